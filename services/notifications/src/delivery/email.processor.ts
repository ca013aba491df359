import { type EmailJobData, QueueName } from '@commerce/contracts';
import { MetricsService } from '@commerce/nest-kit';
import { QueueWorker, WORKER_ID } from '@commerce/queue-worker';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { PROCESSORS_SETTINGS } from '../processors/delivery-connections';
import type { NotificationProcessorsSettings } from '../processors/processors.config';
import { type ComposedMail, composeMail, messageIdFor } from './mail-message';
import { type Claim, NotificationStore, type Unclaimable } from './notification-store';
import {
  claimDeadline,
  describe,
  judgeSendFailure,
  recordUntil,
  sendWithHandover,
} from './smtp-handover';
import { SmtpPool } from './smtp-pool';

/** How soon a job whose notification another attempt holds looks again (at most). */
const HELD_RECHECK_MS = 1000;

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
 * services/notifications/README.md ("Exactly once") for the protocol; in short:
 *
 * 1. claim the QUEUED notification: insert the claim document of the next generation (token,
 *    time, stage SENDING; counts an attempt). A unique `_id` lets exactly one racer win, on FerretDB
 *    too (see NotificationStore). A claim older than EMAIL_CLAIM_LEASE_MS still in SENDING belongs
 *    to a dead attempt, and the next generation may be taken;
 * 2. SMTP envelope and body, all but the final `.` of DATA;
 * 3. send the HANDOVER mark (conditional on the claim token) to MongoDB and, at the next turn of
 *    the event loop, without waiting for its answer, the final `.` to the SMTP server: a crash
 *    between the two (a fraction of a millisecond) is the only way to lose a message;
 * 4. on the server's 250, mark SENT. A claim found in HANDOVER whose lease ran out counts as sent
 *    (its holder died after handing over): it is never sent again.
 */
@Injectable()
export class EmailProcessor
  extends QueueWorker<EmailJobData, EmailOutcome, NotificationProcessorsSettings>
  implements OnApplicationShutdown
{
  protected readonly queueName = QueueName.email;
  protected readonly concurrency: number;
  private readonly smtp: SmtpPool;

  constructor(
    @Inject(PROCESSORS_SETTINGS) config: NotificationProcessorsSettings,
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
    const claimedAt = Date.now();
    const result = await this.store.claim(id, randomUUID(), WORKER_ID, lease, new Date(claimedAt));
    if (result.kind !== 'claimed') return this.unclaimable(job, token, result);
    const { claim, notification } = result;

    let mail: ComposedMail;
    try {
      mail = await composeMail(notification, this.config.MAIL_FROM);
    } catch (error) {
      return this.notSent(job, token, claim, error);
    }
    const sent = await sendWithHandover(this.smtp, mail, {
      signal,
      claimedAt,
      leaseMs: lease,
      markHandover: () => this.store.markHandover(claim),
    });
    if (!sent.ok) return this.notSent(job, token, claim, sent.error);
    if (!sent.markApplied) {
      this.logger.warn(`notification ${id}: the hand-over mark did not apply`);
    }
    await recordUntil(
      () => this.recordSent(claim, mail),
      claimDeadline(claimedAt, lease),
      `notification ${id}`,
    );
    return 'sent';
  }

  /** Another attempt holds the notification, or it is done, or gone. */
  private async unclaimable(
    job: Job<EmailJobData>,
    token: string,
    verdict: Unclaimable,
  ): Promise<EmailOutcome> {
    const id = job.data.notificationId;
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
        if (!(await this.store.markSent(id, messageId, true))) return 'skipped';
        this.logger.warn(
          `notification ${id}: its sender died after handing the message to SMTP; counted as SENT (unconfirmed), not sent again`,
        );
        return 'sent-unconfirmed';
      }
      case 'held':
        // Not an attempt of this job: look again when the holder's lease runs out, or sooner (a
        // live holder, e.g. of a duplicate job, usually finishes in milliseconds).
        await job.moveToDelayed(Math.min(verdict.until + 50, Date.now() + HELD_RECHECK_MS), token);
        throw new DelayedError();
    }
  }

  /** The send failed (or the message could not be built); it may have reached the server. */
  private async notSent(
    job: Job<EmailJobData>,
    token: string,
    claim: Claim,
    error: unknown,
  ): Promise<EmailOutcome> {
    const failure = judgeSendFailure(error, this.isLastAttempt(job));
    switch (failure.kind) {
      case 'unconfirmed': {
        const messageId = messageIdFor(claim.notificationId, this.config.MAIL_FROM);
        await this.store.markSent(claim.notificationId, messageId, true);
        this.logger.warn(
          `notification ${claim.notificationId}: no answer after the message was handed over (${failure.reason}); counted as SENT (unconfirmed)`,
        );
        return 'sent-unconfirmed';
      }
      case 'aborted':
        await this.safely(() => this.store.release(claim, failure.reason));
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      case 'failed':
        await this.safely(() => this.store.markFailed(claim, failure.reason));
        throw new UnrecoverableError(failure.reason);
      case 'retry':
        await this.safely(() => this.store.release(claim, failure.reason));
        throw error instanceof Error ? error : new Error(failure.reason);
    }
  }

  /**
   * Marks SENT after the server's 250. If this attempt's claim was taken over meanwhile (it ran
   * past its lease), it is still its message that was accepted. A HANDOVER mark already protects
   * the message from being sent again, but if MongoDB refused that one too, only this process
   * knows the message went out (hence recordUntil's retries).
   */
  private async recordSent(claim: Claim, mail: ComposedMail): Promise<void> {
    if (!(await this.store.markSent(claim.notificationId, mail.messageId))) {
      this.logger.warn(`notification ${claim.notificationId}: was no longer QUEUED when sent`);
    }
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
