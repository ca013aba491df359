import { type CampaignJobData, CampaignStatus, QueueName } from '@commerce/contracts';
import { InjectConfig } from '@commerce/nest-kit';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { NotificationsConfig } from '../config';
import { type AudienceMember, AudienceSource } from './audience-source';
import {
  CAMPAIGN_MODEL,
  type CampaignDocument,
  SUPPRESSION_MODEL,
  type SuppressionDocument,
} from './campaign.schema';
import { campaignJobId } from './campaign-job-id';
import { CampaignQueue } from './campaign-queue';
import { CampaignState } from './campaign-state';
import { unsubscribeToken, unsubscribeUrl } from './unsubscribe-token';

/** How long the delivery state of a finished campaign stays in Redis. */
export const FINISHED_CAMPAIGN_RETENTION_SECONDS = 30 * 86_400;

/** `addBulk` calls of one fan-out in flight at once (measured in bench/bulk-email). */
const ADDS_IN_FLIGHT = 2;

/** Statuses in which a campaign's fan-out may still run. */
const FANOUT_STATUSES = [
  CampaignStatus.CREATED,
  CampaignStatus.FANNING_OUT,
  CampaignStatus.PAUSED,
] as const;

/**
 * Fans campaigns out: reads the audience from the auth service page by page, skips suppressed
 * addresses (counted as suppressed) and enqueues the rest with one `addBulk` per page, job ids
 * derived from campaign and user. After each page the cursor, the page count and the queued and
 * total counts are saved in one update conditional on this instance's lease and on the page
 * count it started from, so a page is counted once however often it is enqueued (BullMQ keeps one
 * job per id; the processor's per-recipient state stops a repeat whose job was already removed).
 *
 * A fan-out holds its campaign with a lease (CAMPAIGN_FANOUT_LEASE_MS), renewed with every page.
 * At start and every CAMPAIGN_SWEEP_INTERVAL_MS, the sweep takes over fan-outs whose lease ran
 * out (their instance died), completes campaigns whose last email went out without the worker
 * recording it, and restores status keys Redis lost. Pausing does not stop the fan-out (the jobs
 * wait in the queue); cancelling does.
 */
@Injectable()
export class CampaignFanout implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CampaignFanout.name);
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Promise<void>>();
  private sweeping: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @InjectModel(CAMPAIGN_MODEL) private readonly campaigns: Model<CampaignDocument>,
    @InjectModel(SUPPRESSION_MODEL) private readonly suppressions: Model<SuppressionDocument>,
    private readonly audience: AudienceSource,
    private readonly queue: CampaignQueue,
    private readonly state: CampaignState,
    @InjectConfig() private readonly config: NotificationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    const interval = this.config.CAMPAIGN_SWEEP_INTERVAL_MS;
    if (interval <= 0) return;
    this.timer = setInterval(() => void this.sweep(), interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.running.values(), this.sweeping]);
  }

  /** Starts (or joins) the fan-out of a campaign in the background. */
  start(campaignId: string): Promise<void> {
    let run = this.running.get(campaignId);
    if (!run) {
      run = this.fanOut(campaignId)
        .catch((error: unknown) => {
          this.logger.warn(
            `campaign ${campaignId}: fan-out stopped (${describe(error)}); the sweep resumes it`,
          );
        })
        .finally(() => this.running.delete(campaignId));
      this.running.set(campaignId, run);
    }
    return run;
  }

  /** One sweep, unless the previous one is still going (tests call it directly). */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((error: unknown) => {
        this.logger.warn(`campaign sweep failed (${describe(error)}); retrying at the next tick`);
      })
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = new Date();
    const active = await this.campaigns
      .find({ status: { $nin: [CampaignStatus.COMPLETED, CampaignStatus.CANCELLED] } })
      .select({ _id: 1, status: 1, fanoutDone: 1, fanoutOwner: 1, fanoutLeaseUntil: 1 })
      .lean()
      .exec();
    for (const campaign of active) {
      if (this.stopping) return;
      // A status key Redis lost or a racing write left behind (MongoDB has the say, except for
      // COMPLETED, which the campaign processor writes to Redis first).
      const key = this.state.keys(campaign._id).status;
      const inRedis = await this.state.redis.get(key);
      if (inRedis !== campaign.status && inRedis !== CampaignStatus.COMPLETED) {
        await this.state.redis.set(key, campaign.status);
      }
      if (campaign.fanoutDone) {
        if (campaign.status === CampaignStatus.SENDING) await this.settle(campaign._id);
        continue;
      }
      const leaseOver =
        !campaign.fanoutOwner || !campaign.fanoutLeaseUntil || campaign.fanoutLeaseUntil <= now;
      if (leaseOver) await this.start(campaign._id);
    }
  }

  /**
   * Marks the campaign COMPLETED when every recipient is done (Redis decides, once); returns
   * whether it is complete now.
   */
  async settle(campaignId: string, total?: number): Promise<boolean> {
    const completedNow = await this.state.settle(campaignId, total);
    const status = await this.state.status(campaignId);
    if (status !== CampaignStatus.COMPLETED) return false;
    const now = new Date();
    const marked = await this.state.withStatusLock(campaignId, () =>
      this.campaigns
        .updateOne(
          { _id: campaignId, status: CampaignStatus.SENDING },
          { $set: { status: CampaignStatus.COMPLETED, completedAt: now } },
        )
        .exec(),
    );
    if (completedNow || marked.modifiedCount > 0) {
      await this.state.expire(campaignId, FINISHED_CAMPAIGN_RETENTION_SECONDS);
    }
    return true;
  }

  private async fanOut(campaignId: string): Promise<void> {
    const campaign = await this.acquire(campaignId);
    if (!campaign) return;
    if (campaign.status === CampaignStatus.CREATED) {
      await this.state.withStatusLock(campaignId, async () => {
        const started = await this.campaigns
          .updateOne(
            { _id: campaignId, status: CampaignStatus.CREATED },
            { $set: { status: CampaignStatus.FANNING_OUT } },
          )
          .exec();
        if (started.modifiedCount > 0) {
          await this.state.setStatus(campaignId, CampaignStatus.FANNING_OUT);
        }
      });
    }
    // A pipeline of three steps: read (auth's page and the suppression check), add (`addBulk`),
    // save (cursor and counts). The next page is read while pages are added, ADDS_IN_FLIGHT
    // `addBulk`s overlap (one is built while Redis runs the other), and a page is saved once it is
    // added and the page before it is saved. Only the save moves the cursor, and each save is
    // conditional on the one before it, so a page added but never saved (lease lost, shutdown,
    // crash, a failed add before it) is read and added again on resume: the job ids make that a
    // no-op and it is counted once.
    let ahead: Promise<ReadPage> | undefined = this.readPage(campaign, campaign.fanoutCursor);
    let saving: Promise<CampaignDocument | null> = Promise.resolve(campaign);
    const adding: Promise<void>[] = [];
    let leaseHeld = true;
    while (ahead && leaseHeld && !this.stopping) {
      const page: ReadPage = await ahead;
      ahead = page.next === null ? undefined : this.readPage(campaign, page.next);
      ahead?.catch(() => undefined); // awaited at the next turn, or dropped with the run
      const added = this.addPage(campaign._id, page);
      added.catch(() => undefined); // awaited below
      saving = Promise.all([saving, added]).then(([saved]) =>
        saved ? this.savePage(saved, page) : null,
      );
      saving.then(
        (saved) => (leaseHeld &&= saved !== null),
        () => undefined, // awaited below
      );
      adding.push(added);
      if (adding.length >= ADDS_IN_FLIGHT) await adding.shift();
    }
    await Promise.all(adding);
    const last = await saving;
    if (!last) {
      this.logger.warn(`campaign ${campaignId}: fan-out lease lost or campaign cancelled`);
      return;
    }
    if (last.fanoutDone) await this.finish(last);
  }

  /** Takes the fan-out lease: free, run out, or already ours. */
  private acquire(campaignId: string): Promise<CampaignDocument | null> {
    const now = new Date();
    return this.campaigns
      .findOneAndUpdate(
        {
          _id: campaignId,
          fanoutDone: false,
          status: { $in: FANOUT_STATUSES },
          $or: [
            { fanoutOwner: null },
            { fanoutLeaseUntil: { $lte: now } },
            { fanoutOwner: this.owner },
          ],
        },
        {
          $set: {
            fanoutOwner: this.owner,
            fanoutLeaseUntil: new Date(now.getTime() + this.config.CAMPAIGN_FANOUT_LEASE_MS),
          },
        },
        { new: true },
      )
      .lean()
      .exec();
  }

  /** Reads one page of the audience and splits it into suppressed members and jobs to add. */
  private async readPage(campaign: CampaignDocument, cursor: string | null): Promise<ReadPage> {
    const page = await this.audience.page(
      campaign.audience,
      cursor,
      this.config.CAMPAIGN_FANOUT_PAGE_SIZE,
    );
    const suppressed = await this.suppressedAmong(page.members);
    const skipped: string[] = [];
    const jobs: ReadPage['jobs'] = [];
    for (const member of page.members) {
      if (suppressed.has(member.email.toLowerCase())) {
        skipped.push(member.id);
      } else {
        jobs.push({
          name: QueueName.campaign,
          data: this.jobData(campaign._id, member),
          opts: { jobId: campaignJobId(campaign._id, member.id) },
        });
      }
    }
    return { size: page.members.length, next: page.next, skipped, jobs };
  }

  /** Marks a page's suppressed members and adds its jobs (one `addBulk`). */
  private async addPage(campaignId: string, page: ReadPage): Promise<void> {
    await this.state.markSuppressed(campaignId, page.skipped);
    if (page.jobs.length > 0) await this.queue.queue.addBulk(page.jobs);
  }

  /**
   * Saves the cursor after a page added, and its counts, if this instance still holds the lease
   * and `campaign` is the latest save; the campaign as saved, or null.
   */
  private savePage(campaign: CampaignDocument, page: ReadPage): Promise<CampaignDocument | null> {
    const now = Date.now();
    return this.campaigns
      .findOneAndUpdate(
        {
          _id: campaign._id,
          fanoutOwner: this.owner,
          fanoutPages: campaign.fanoutPages,
          status: { $in: FANOUT_STATUSES },
        },
        {
          $set: {
            fanoutCursor: page.next,
            fanoutDone: page.next === null,
            fanoutLeaseUntil: new Date(now + this.config.CAMPAIGN_FANOUT_LEASE_MS),
          },
          $inc: { fanoutPages: 1, queued: page.jobs.length, total: page.size },
        },
        { new: true },
      )
      .lean()
      .exec();
  }

  /** Everyone is enqueued: SENDING (unless paused or cancelled meanwhile), lease released. */
  private async finish(campaign: CampaignDocument): Promise<void> {
    const id = campaign._id;
    // Under the status lock: an operator's pause or cancel is judged before or after this move,
    // never in the middle of it.
    await this.state.withStatusLock(id, async () => {
      const sending = await this.campaigns
        .updateOne(
          { _id: id, status: CampaignStatus.FANNING_OUT },
          { $set: { status: CampaignStatus.SENDING } },
        )
        .exec();
      if (sending.modifiedCount > 0) {
        await this.state.setStatus(id, CampaignStatus.SENDING);
      } else {
        // Paused during the fan-out: resume to SENDING from now on.
        await this.campaigns
          .updateOne(
            { _id: id, status: CampaignStatus.PAUSED },
            { $set: { resumeTo: CampaignStatus.SENDING } },
          )
          .exec();
      }
    });
    await this.settle(id, campaign.total);
    await this.campaigns
      .updateOne(
        { _id: id, fanoutOwner: this.owner },
        { $set: { fanoutOwner: null, fanoutLeaseUntil: null } },
      )
      .exec();
    this.logger.log(
      `campaign ${id}: fan-out done (${campaign.total} recipients, ${campaign.queued} enqueued)`,
    );
  }

  private async suppressedAmong(members: readonly AudienceMember[]): Promise<Set<string>> {
    if (members.length === 0) return new Set();
    const found = await this.suppressions
      .find({ _id: { $in: members.map((m) => m.email.toLowerCase()) } })
      .select({ _id: 1 })
      .lean()
      .exec();
    return new Set(found.map((s) => s._id));
  }

  private jobData(campaignId: string, member: AudienceMember): CampaignJobData {
    const token = unsubscribeToken(this.config.CAMPAIGN_UNSUBSCRIBE_SECRET, {
      userId: member.id,
      email: member.email,
    });
    return {
      campaignId,
      userId: member.id,
      email: member.email,
      name: member.name,
      unsubscribeUrl: unsubscribeUrl(this.config.PUBLIC_BASE_URL, token),
    };
  }
}

/** One page of the audience, ready to enqueue. */
interface ReadPage {
  /** Members on the page, suppressed ones included. */
  readonly size: number;
  /** The cursor after this page; null after the last one. */
  readonly next: string | null;
  /** User ids of the suppressed members. */
  readonly skipped: string[];
  readonly jobs: { name: string; data: CampaignJobData; opts: { jobId: string } }[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
