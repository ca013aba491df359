import { type EmailJobData, QueueName } from '@commerce/contracts';
import { InjectConfig, MetricsService } from '@commerce/nest-kit';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkersConfig } from '../config';
import { QueueWorker, WORKER_ID } from '../queues/queue-worker';
import { type ComposedMail, composeMail, messageIdFor } from './mail-message';
import { type Claim, NotificationStore, judgeUnclaimable } from './notification-store';
import { SendAbortedError, SmtpPool, SmtpSendError } from './smtp-pool';

export type EmailOutcome =
  /** The SMTP server accepted the message. */
  | 'sent'
  /** Counted as sent without the server's answer (its sender died after the hand-over). */
  | 'sent-unconfirmed'
  /** Already SENT or FAILED: nothing to do (a repeated or retried job). */
  | 'skipped';

/**
 * Delivers the `email` queue: one job per notification (`{notificationId}`), sent over SMTP once
 * per notification even when workers die mid-delivery, up to a sub-millisecond window. See
 * services/workers/README.md ("Exactly once") for the protocol; in short:
 *
 * 1. claim the QUEUED notification (token, time, stage SENDING; counts an attempt); a claim older
 *    than EMAIL_CLAIM_LEASE_MS still in SENDING belongs to a dead attempt and may be taken;
 * 2. SMTP envelope and body, all but the final `.` of DATA;
 * 3. send the HANDOVER mark (conditional on the claim token) to MongoDB and, at the next turn of
 *    the event loop, without waiting for its answer, the final `.` to the SMTP server: a crash
 *    between the two (a fraction of a millisecond) is the only way to lose a message;
 * 4. on the server's 250, mark SENT. A claim found in HANDOVER whose lease ran out counts as sent
 *    (its holder died after handing over): it is never sent again.
 */
@Injectable()
export class EmailProcessor
  extends QueueWorker<EmailJobData, EmailOutcome>
  implements OnApplicationShutdown
{
  protected readonly queueName = QueueName.email;
  protected readonly concurrency: number;
  private readonly smtp: SmtpPool;

  constructor(
    @InjectConfig() config: WorkersConfig,
    metrics: MetricsService,
    private readonly store: NotificationStore,
  ) {
    super(config, metrics);
    this.concurrency = config.EMAIL_CONCURRENCY;
    this.smtp = new SmtpPool({
      url: config.SMTP_URL,
      size: config.SMTP_POOL_SIZE,
      timeoutMs: config.SMTP_TIMEOUT_MS,
      maxMessagesPerConnection: config.SMTP_MAX_MESSAGES_PER_CONNECTION,
    });
  }

  /** After every worker stopped (onModuleDestroy), so no job still needs a connection. */
  onApplicationShutdown(): void {
    this.smtp.close();
  }

  protected async process(
    job: Job<EmailJobData>,
    token: string,
    signal: AbortSignal,
  ): Promise<EmailOutcome> {
    const id = job.data.notificationId;
    const lease = this.config.EMAIL_CLAIM_LEASE_MS;
    const claim: Claim = { notificationId: id, token: randomUUID() };
    const claimedAt = Date.now();
    const notification = await this.store.claim(
      id,
      claim.token,
      WORKER_ID,
      lease,
      new Date(claimedAt),
    );
    if (!notification) return this.unclaimable(job, token);

    // The hand-over mark, sent to MongoDB right before the end of the message (see the gate).
    let handover: Promise<boolean> | undefined;
    let mail: ComposedMail | undefined;
    try {
      mail = await composeMail(notification, this.config.MAIL_FROM);
      await this.smtp.send(
        mail.envelope,
        mail.raw,
        () => {
          if (signal.aborted) throw new SendAbortedError('the worker is shutting down');
          // Other workers take the claim over only once the lease has run out by their clock;
          // stop well before that (the margin absorbs clock skew between workers).
          if (Date.now() > claimedAt + lease - leaseMargin(lease)) {
            throw new SendAbortedError('the claim is about to run out; trying again later');
          }
          handover = this.store.markHandover(claim);
          handover.catch(() => undefined); // awaited below
          // The end of the message goes out at the next turn of the event loop: by then the
          // driver has written the mark to its socket (it needs no I/O to get there), so the mark
          // leaves the process first and the end follows a fraction of a millisecond later,
          // without waiting for MongoDB's answer.
          return new Promise<void>((resolve) => setImmediate(resolve));
        },
        signal,
      );
    } catch (error) {
      return this.notSent(job, token, claim, error, handover);
    }
    if (handover && !(await settled(handover))) {
      this.logger.warn(`notification ${id}: the hand-over mark did not apply (claim lost?)`);
    }
    await this.recordSent(claim, mail, claimedAt + lease - leaseMargin(lease));
    return 'sent';
  }

  /** Another attempt holds the notification, or it is done, or gone. */
  private async unclaimable(job: Job<EmailJobData>, token: string): Promise<EmailOutcome> {
    const id = job.data.notificationId;
    const doc = await this.store.find(id);
    const verdict = judgeUnclaimable(doc, Date.now(), this.config.EMAIL_CLAIM_LEASE_MS);
    switch (verdict.kind) {
      case 'missing':
        throw new UnrecoverableError(`notification ${id} does not exist`);
      case 'not-email':
        throw new UnrecoverableError(`notification ${id} is not an email`);
      case 'finished':
        this.logger.debug(`notification ${id} is already ${verdict.status}; skipping`);
        return 'skipped';
      case 'handed-over': {
        const messageId = messageIdFor(id, this.config.MAIL_FROM);
        await this.store.markSent({ notificationId: id, token: verdict.token }, messageId, true);
        this.logger.warn(
          `notification ${id}: its sender died after handing the message to SMTP; counted as SENT (unconfirmed), not sent again`,
        );
        return 'sent-unconfirmed';
      }
      case 'held':
        // Not an attempt of this job: look again when the holder's lease runs out.
        await job.moveToDelayed(verdict.until + 50, token);
        throw new DelayedError();
    }
  }

  /** The send failed; the message may or may not have reached the server. */
  private async notSent(
    job: Job<EmailJobData>,
    token: string,
    claim: Claim,
    error: unknown,
    handover: Promise<boolean> | undefined,
  ): Promise<EmailOutcome> {
    // Whatever happens next is conditional on the claim: let the hand-over mark land first.
    if (handover) await settled(handover);
    const smtp = error instanceof SmtpSendError ? error : undefined;
    const cause = smtp ? smtp.cause : error;
    if (smtp?.handedOver && smtp.responseCode === undefined) {
      // The end of the message went out but no answer came back (connection lost): the server
      // most likely accepted it. Counting it as sent is the side that never duplicates.
      const messageId = messageIdFor(claim.notificationId, this.config.MAIL_FROM);
      await this.store.markSent(claim, messageId, true);
      this.logger.warn(
        `notification ${claim.notificationId}: no answer after the message was handed over (${smtp.message}); counted as SENT (unconfirmed)`,
      );
      return 'sent-unconfirmed';
    }
    const reason = describe(error);
    if (cause instanceof SendAbortedError) {
      await this.safely(() => this.store.release(claim, reason));
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    if (smtp?.permanent || this.isLastAttempt(job)) {
      await this.safely(() => this.store.markFailed(claim, reason));
      throw new UnrecoverableError(reason);
    }
    await this.safely(() => this.store.release(claim, reason));
    throw error instanceof Error ? error : new Error(reason);
  }

  /**
   * Marks SENT after the server's 250. If the claim was taken over meanwhile (this attempt ran
   * past its lease), it is still this attempt's message that was accepted. A write that keeps
   * failing is retried until shortly before the claim would run out (`until`): a HANDOVER mark
   * already protects the message from being sent again, but if MongoDB refused that one too, only
   * this process knows the message went out.
   */
  private async recordSent(claim: Claim, mail: ComposedMail, until: number): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!(await this.store.markSent(claim, mail.messageId))) {
          await this.store.markSentAnyway(claim.notificationId, mail.messageId);
          this.logger.warn(`notification ${claim.notificationId}: sent after its claim was lost`);
        }
        return;
      } catch (error) {
        lastError = error;
        const pause = Math.min(100 * 2 ** attempt, 2000);
        if (Date.now() + pause > until) break;
        await sleep(pause);
      }
    }
    throw new Error(
      `notification ${claim.notificationId} was sent but could not be marked SENT: ${describe(lastError)}`,
    );
  }

  private async safely(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      // The claim then simply runs out; the next attempt takes it over.
      this.logger.warn(`could not update the notification: ${describe(error)}`);
    }
  }
}

/** Stop sending this long before the claim's lease runs out (a quarter of it, at most 10 s). */
export function leaseMargin(leaseMs: number): number {
  return Math.min(Math.floor(leaseMs / 4), 10_000);
}

/** The promise's value, or false when it rejected (the rejection is handled by the caller's log). */
export async function settled(write: Promise<boolean>): Promise<boolean> {
  try {
    return await write;
  } catch {
    return false;
  }
}

export function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}
