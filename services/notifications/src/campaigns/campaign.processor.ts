import { type CampaignJobData, CampaignStatus, QueueName } from '@commerce/contracts';
import { MetricsService } from '@commerce/nest-kit';
import { QueueWorker } from '@commerce/queue-worker';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, type Job, type RateLimiterOptions, UnrecoverableError } from 'bullmq';
import type { Collection, Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { type ComposedMail, buildMail } from '../delivery/mail-message';
import {
  claimDeadline,
  describe,
  judgeSendFailure,
  recordUntil,
  sendWithHandover,
} from '../delivery/smtp-handover';
import { SmtpPool } from '../delivery/smtp-pool';
import { DELIVERY_MONGO, PROCESSORS_SETTINGS } from '../processors/delivery-connections';
import {
  type NotificationProcessorsSettings,
  mailboxAddress,
} from '../processors/processors.config';
import { CAMPAIGNS_COLLECTION, type CampaignDocument } from './campaign.schema';
import { CampaignDeliveryStore, type Recipient } from './campaign-delivery-store';
import { CampaignRecipientState } from './campaign-keys';
import { CampaignTemplate } from './campaign-renderer';

export type CampaignOutcome =
  | 'sent'
  /** Counted as sent without the server's answer (its sender died after the hand-over). */
  | 'sent-unconfirmed'
  /** The recipient was already done (a repeated or redelivered job). */
  | 'skipped'
  /** The address is on the suppression list. */
  | 'suppressed'
  /** The campaign was cancelled before this recipient's turn. */
  | 'cancelled';

/** How long the delivery state of a completed campaign stays in Redis. */
const FINISHED_RETENTION_SECONDS = 30 * 86_400;
/** Compiled templates kept per process (campaigns are few; their snapshots never change). */
const TEMPLATE_CACHE_SIZE = 100;

/**
 * Delivers the `campaign-email` queue: one job per recipient (CampaignJobData). Exactly once per
 * recipient, with the email processor's protocol on a per-recipient state in Redis (see
 * CampaignDeliveryStore): claim with a lease, SMTP envelope and body, the hand-over mark right before the
 * final `.` of DATA, then SENT with the counter in the same script. Before claiming, the claim
 * script looks at the campaign's status key: jobs of a PAUSED campaign are deferred
 * (CAMPAIGN_PAUSE_RECHECK_MS) without sending, those of a CANCELLED one end as cancelled.
 *
 * Campaign email has its own SMTP pool (CAMPAIGN_SMTP_POOL_SIZE), so a bulk send never starves
 * transactional email, and a BullMQ rate limiter (CAMPAIGN_RATE_LIMIT_PER_SECOND) for providers
 * that cap sends per second.
 */
@Injectable()
export class CampaignProcessor
  extends QueueWorker<CampaignJobData, CampaignOutcome, NotificationProcessorsSettings>
  implements OnApplicationShutdown
{
  protected readonly queueName = QueueName.campaign;
  protected readonly concurrency: number;
  protected override readonly limiter: RateLimiterOptions | undefined;
  private readonly smtp: SmtpPool;
  private readonly campaigns: Collection<CampaignDocument>;
  private readonly templates = new Map<string, Promise<CampaignTemplate>>();
  private readonly domain: string;

  constructor(
    @Inject(PROCESSORS_SETTINGS) config: NotificationProcessorsSettings,
    metrics: MetricsService,
    private readonly store: CampaignDeliveryStore,
    @Inject(DELIVERY_MONGO) connection: Connection,
  ) {
    super(config, metrics);
    this.concurrency = config.CAMPAIGN_CONCURRENCY;
    const perSecond = config.CAMPAIGN_RATE_LIMIT_PER_SECOND;
    this.limiter = perSecond > 0 ? { max: perSecond, duration: 1000 } : undefined;
    this.smtp = new SmtpPool({
      url: config.SMTP_URL,
      size: config.CAMPAIGN_SMTP_POOL_SIZE,
      timeoutMs: config.SMTP_TIMEOUT_MS,
      maxMessagesPerConnection: config.SMTP_MAX_MESSAGES_PER_CONNECTION,
    });
    this.campaigns = connection.collection<CampaignDocument>(CAMPAIGNS_COLLECTION);
    this.domain = mailboxAddress(config.MAIL_FROM).split('@')[1] ?? 'localhost';
  }

  /** After every worker stopped (onModuleDestroy), so no job still needs a connection. */
  onApplicationShutdown(): void {
    this.smtp.close();
  }

  protected async process(
    job: Job<CampaignJobData>,
    token: string,
    signal: AbortSignal,
  ): Promise<CampaignOutcome> {
    const data = job.data;
    const recipient: Recipient = { campaignId: data.campaignId, userId: data.userId };
    const template = await this.templateOf(data.campaignId);
    const lease = this.config.CAMPAIGN_CLAIM_LEASE_MS;
    const claimToken = randomUUID();
    const claimedAt = Date.now();
    const claim = async () => this.store.claim(recipient, data.email, claimToken, lease, claimedAt);
    let result = await claim();
    if (result.kind === 'no-status') {
      const campaign = await this.campaigns.findOne({ _id: data.campaignId });
      if (!campaign) throw new UnrecoverableError(`campaign ${data.campaignId} does not exist`);
      await this.store.restoreStatus(data.campaignId, campaign.status);
      result = await claim();
    }
    switch (result.kind) {
      case 'claimed':
        break;
      case 'done':
        return 'skipped';
      case 'cancelled':
        return 'cancelled';
      case 'suppressed':
        if (result.completed) await this.completed(data.campaignId);
        return 'suppressed';
      case 'paused':
        await job.moveToDelayed(Date.now() + this.pauseRecheck(job), token);
        throw new DelayedError();
      case 'held':
        // Not an attempt of this job: look again when the holder's lease runs out.
        await job.moveToDelayed(result.until + 50, token);
        throw new DelayedError();
      case 'handed-over': {
        const { completed } = await this.store.finish(
          recipient,
          result.token,
          CampaignRecipientState.UNCONFIRMED,
        );
        if (completed) await this.completed(data.campaignId);
        this.logger.warn(
          `campaign ${data.campaignId}, user ${data.userId}: its sender died after handing the message to SMTP; counted as sent (unconfirmed), not sent again`,
        );
        return 'sent-unconfirmed';
      }
      case 'no-status':
        throw new Error(`campaign ${data.campaignId} has no status in Redis`);
    }

    let mail: ComposedMail;
    try {
      mail = await this.compose(job, template);
    } catch (error) {
      // The same data renders the same way next time: fail for good.
      await this.fail(job, claimToken, describe(error));
      throw new UnrecoverableError(`cannot render the campaign email: ${describe(error)}`);
    }

    const sent = await sendWithHandover(this.smtp, mail, {
      signal,
      claimedAt,
      leaseMs: lease,
      markHandover: () => this.store.markHandover(recipient, claimToken),
    });
    if (!sent.ok) return this.notSent(job, token, claimToken, sent.error);
    if (!sent.markApplied) {
      this.logger.warn(`campaign job ${job.id}: the hand-over mark did not apply (claim lost?)`);
    }
    await recordUntil(
      () => this.recordSent(recipient, claimToken),
      claimDeadline(claimedAt, lease),
      `campaign ${recipient.campaignId}, user ${recipient.userId}`,
    );
    return 'sent';
  }

  /**
   * How long a job of a paused campaign waits: CAMPAIGN_PAUSE_RECHECK_MS, doubled with every time
   * the job was started, at most CAMPAIGN_PAUSE_RECHECK_MAX_MS. A long pause of a large campaign
   * then costs a look per job every minute or so instead of keeping the workers busy, and a resume
   * is picked up within the longest wait.
   */
  private pauseRecheck(job: Job<CampaignJobData>): number {
    return pauseRecheckDelay(
      job.attemptsStarted,
      this.config.CAMPAIGN_PAUSE_RECHECK_MS,
      this.config.CAMPAIGN_PAUSE_RECHECK_MAX_MS,
    );
  }

  private async compose(job: Job<CampaignJobData>, template: CampaignTemplate) {
    const data = job.data;
    const rendered = template.render({
      name: data.name,
      email: data.email,
      unsubscribeUrl: data.unsubscribeUrl,
    });
    return buildMail(
      {
        // The same for every attempt, so a duplicate (should one ever slip through) collapses.
        messageId: `<campaign.${data.campaignId}.${data.userId}@${this.domain}>`,
        to: data.email,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        date: new Date(job.timestamp),
        headers: {
          'List-Unsubscribe': `<${data.unsubscribeUrl}>`,
          // One-click (RFC 8058): mail clients POST to the URL above instead of opening it.
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'X-Campaign-Id': data.campaignId,
        },
      },
      this.config.MAIL_FROM,
    );
  }

  /** The send failed; the message may or may not have reached the server. */
  private async notSent(
    job: Job<CampaignJobData>,
    token: string,
    claimToken: string,
    error: unknown,
  ): Promise<CampaignOutcome> {
    const recipient: Recipient = { campaignId: job.data.campaignId, userId: job.data.userId };
    const failure = judgeSendFailure(error, this.isLastAttempt(job));
    switch (failure.kind) {
      case 'unconfirmed': {
        const { completed } = await this.store.finish(
          recipient,
          claimToken,
          CampaignRecipientState.UNCONFIRMED,
        );
        if (completed) await this.completed(recipient.campaignId);
        this.logger.warn(
          `campaign job ${job.id}: no answer after the message was handed over (${failure.reason}); counted as sent (unconfirmed)`,
        );
        return 'sent-unconfirmed';
      }
      case 'aborted':
        await this.safely(() => this.store.release(recipient, claimToken));
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      case 'failed':
        await this.safely(() => this.fail(job, claimToken, failure.reason));
        throw new UnrecoverableError(failure.reason);
      case 'retry':
        await this.safely(() => this.store.release(recipient, claimToken));
        throw error instanceof Error ? error : new Error(failure.reason);
    }
  }

  private async fail(job: Job<CampaignJobData>, claimToken: string, reason: string) {
    const { campaignId, userId, email } = job.data;
    const { completed } = await this.store.finish(
      { campaignId, userId },
      claimToken,
      CampaignRecipientState.FAILED,
      { userId, email, error: reason, failedAt: new Date().toISOString() },
    );
    if (completed) await this.completed(campaignId);
  }

  /**
   * Marks sent after the server's 250. If the claim was taken over meanwhile, it is still this
   * attempt's message that went out (recordUntil retries a failing write).
   */
  private async recordSent(recipient: Recipient, claimToken: string): Promise<void> {
    let result = await this.store.finish(recipient, claimToken, CampaignRecipientState.SENT);
    if (!result.applied) {
      result = await this.store.finish(recipient, undefined, CampaignRecipientState.SENT);
      if (result.applied) {
        this.logger.warn(`campaign ${recipient.campaignId}: sent after its claim was lost`);
      }
    }
    if (result.completed) await this.completed(recipient.campaignId);
  }

  /** This job's recipient was the campaign's last: COMPLETED in MongoDB too. */
  private async completed(campaignId: string): Promise<void> {
    await this.safely(async () => {
      await this.campaigns.updateOne(
        { _id: campaignId, status: CampaignStatus.SENDING },
        {
          $set: {
            status: CampaignStatus.COMPLETED,
            completedAt: new Date(),
            updatedAt: new Date(),
          },
        },
      );
      await this.store.expire(campaignId, FINISHED_RETENTION_SECONDS);
    });
    this.logger.log(`campaign ${campaignId} completed`);
  }

  /** The campaign's compiled template, read from MongoDB once per process. */
  private templateOf(campaignId: string): Promise<CampaignTemplate> {
    let template = this.templates.get(campaignId);
    if (!template) {
      template = this.campaigns
        .findOne({ _id: campaignId }, { projection: { snapshot: 1, locale: 1 } })
        .then((campaign) => {
          if (!campaign) throw new UnrecoverableError(`campaign ${campaignId} does not exist`);
          return new CampaignTemplate(campaign.snapshot, campaign.locale);
        });
      template.catch(() => this.templates.delete(campaignId));
      if (this.templates.size >= TEMPLATE_CACHE_SIZE) {
        const oldest = this.templates.keys().next().value;
        if (oldest !== undefined) this.templates.delete(oldest);
      }
      this.templates.set(campaignId, template);
    }
    return template;
  }

  private async safely(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.warn(`could not update the campaign state: ${describe(error)}`);
    }
  }
}

/** `base` doubled for every start after the first (BullMQ's attemptsStarted), capped at `max`. */
export function pauseRecheckDelay(starts: number, base: number, max: number): number {
  const doublings = Math.min(Math.max(starts - 1, 0), 30);
  return Math.min(base * 2 ** doublings, Math.max(base, max));
}
