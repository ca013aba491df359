import { type AuthUser, CampaignStatus, type UserRole } from '@commerce/contracts';
import { AppError, ErrorCode, InjectConfig } from '@commerce/nest-kit';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import type { NotificationsConfig } from '../config';
import { TemplatesService } from '../templates/templates.service';
import {
  CAMPAIGN_MODEL,
  type CampaignDocument,
  SUPPRESSION_MODEL,
  type SuppressionDocument,
} from './campaign.schema';
import { CampaignFanout, FINISHED_CAMPAIGN_RETENTION_SECONDS } from './campaign-fanout';
import { type CampaignCounters, CampaignState } from './campaign-state';
import type {
  CampaignDto,
  CampaignFailurePageDto,
  CampaignPageDto,
  CreateCampaignDto,
  UnsubscribeResultDto,
} from './campaigns.dto';
import { verifyUnsubscribeToken } from './unsubscribe-token';

/** The error code of a pause, resume or cancel the campaign's status does not allow (409). */
export const CAMPAIGN_STATE = 'CAMPAIGN_STATE';

/** What each operator action may start from, and where it leads. */
const TRANSITIONS = {
  pause: [CampaignStatus.CREATED, CampaignStatus.FANNING_OUT, CampaignStatus.SENDING],
  resume: [CampaignStatus.PAUSED],
  cancel: [
    CampaignStatus.CREATED,
    CampaignStatus.FANNING_OUT,
    CampaignStatus.SENDING,
    CampaignStatus.PAUSED,
  ],
} as const satisfies Record<string, readonly CampaignStatus[]>;
export type CampaignAction = keyof typeof TRANSITIONS;

/** Sample values that stand for a recipient when a template is checked at creation. */
const SAMPLE_RECIPIENT = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  unsubscribeUrl: 'https://example.com/unsubscribe',
};

@Injectable()
export class CampaignsService {
  constructor(
    @InjectModel(CAMPAIGN_MODEL) private readonly campaigns: Model<CampaignDocument>,
    @InjectModel(SUPPRESSION_MODEL) private readonly suppressions: Model<SuppressionDocument>,
    private readonly templates: TemplatesService,
    private readonly state: CampaignState,
    private readonly fanout: CampaignFanout,
    @InjectConfig() private readonly config: NotificationsConfig,
  ) {}

  /** Stores the campaign (with its template snapshot) and starts the fan-out in the background. */
  async create(body: CreateCampaignDto, admin: AuthUser): Promise<CampaignDto> {
    const snapshot = await this.templates.snapshot(
      body.template,
      body.locale,
      body.subject,
      SAMPLE_RECIPIENT,
    );
    const now = new Date();
    const doc: CampaignDocument = {
      _id: randomUUID(),
      subject: body.subject,
      template: body.template,
      locale: snapshot.locale,
      audience: normaliseAudience(body.audience),
      snapshot: { subject: snapshot.subject, html: snapshot.html, text: snapshot.text },
      // FANNING_OUT right away: the fan-out starts now, and FerretDB's conditional updates are not
      // atomic enough for a CREATED -> FANNING_OUT step racing an admin's pause.
      status: CampaignStatus.FANNING_OUT,
      resumeTo: null,
      total: 0,
      queued: 0,
      fanoutDone: false,
      fanoutCursor: null,
      fanoutPages: 0,
      fanoutOwner: null,
      fanoutLeaseUntil: null,
      createdBy: admin.id,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    };
    await this.campaigns.create(doc);
    await this.state.setStatus(doc._id, doc.status);
    void this.fanout.start(doc._id);
    return toView(doc, await this.state.counters(doc._id));
  }

  async list(page: number, limit: number): Promise<CampaignPageDto> {
    const [docs, total] = await Promise.all([
      this.campaigns
        .find()
        .sort({ createdAt: -1, _id: 1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .lean()
        .exec(),
      this.campaigns.countDocuments().exec(),
    ]);
    const counters = await Promise.all(docs.map((d) => this.state.counters(d._id)));
    return {
      items: docs.map((d, i) => toView(d, counters[i] ?? zeroCounters())),
      total,
      page,
      limit,
    };
  }

  /** The campaign with live progress; completes it when the last recipient is done. */
  async get(id: string): Promise<CampaignDto> {
    let doc = await this.find(id);
    if (doc.status === CampaignStatus.SENDING && doc.fanoutDone) {
      if (await this.fanout.settle(id, doc.total)) doc = await this.find(id);
    }
    return toView(doc, await this.state.counters(id));
  }

  async failures(id: string, page: number, limit: number): Promise<CampaignFailurePageDto> {
    await this.find(id);
    const { items, total } = await this.state.failures(id, page, limit);
    return { items, total, page, limit };
  }

  /**
   * Pause, resume or cancel; 409 CAMPAIGN_STATE when the status does not allow it. The status is
   * read, judged and written under the campaign's status lock, so the answer is the status that
   * stands (see CampaignState.withStatusLock).
   */
  async act(id: string, action: CampaignAction): Promise<CampaignDto> {
    const doc = await this.state.withStatusLock(id, async () => {
      const current = await this.find(id);
      const allowed: readonly CampaignStatus[] = TRANSITIONS[action];
      if (!allowed.includes(current.status)) throw notAllowed(action, current.status);
      const target = targetOf(action, current);
      const changed = await this.campaigns
        .updateOne(
          { _id: id, status: current.status },
          {
            $set: {
              status: target,
              resumeTo: action === 'pause' ? current.status : null,
              ...(action === 'cancel' ? { fanoutOwner: null, fanoutLeaseUntil: null } : {}),
            },
          },
        )
        .exec();
      // Only the campaign processor completes a campaign without the lock: then it is over.
      if (changed.modifiedCount === 0) throw notAllowed(action, (await this.find(id)).status);
      await this.state.setStatus(id, target);
      return current;
    });
    if (action === 'cancel') {
      await this.state.expire(id, FINISHED_CAMPAIGN_RETENTION_SECONDS);
    }
    if (action === 'resume') {
      if (doc.fanoutDone) await this.fanout.settle(id, doc.total);
      else void this.fanout.start(id);
    }
    return this.get(id);
  }

  /** Adds the token's address to the suppression list (idempotent). */
  async unsubscribe(token: string): Promise<UnsubscribeResultDto> {
    const subject = verifyUnsubscribeToken(this.config.CAMPAIGN_UNSUBSCRIBE_SECRET, token);
    if (!subject) {
      throw new AppError({
        status: 400,
        code: ErrorCode.VALIDATION_FAILED,
        message: 'Validation failed: token is not a valid unsubscribe token',
        details: [{ field: 'token', constraints: ['token is not a valid unsubscribe token'] }],
      });
    }
    await this.suppressions
      .updateOne(
        { _id: subject.email },
        {
          $setOnInsert: {
            userId: subject.userId,
            reason: 'unsubscribe-link',
            createdAt: new Date(),
          },
        },
        { upsert: true },
      )
      .exec();
    await this.state.suppress([subject.email]);
    return { email: subject.email, unsubscribed: true };
  }

  private async find(id: string): Promise<CampaignDocument> {
    const doc = await this.campaigns.findById(id).lean().exec();
    if (!doc) {
      throw new AppError({ status: 404, code: ErrorCode.NOT_FOUND, message: 'Campaign not found' });
    }
    return doc;
  }
}

function targetOf(action: CampaignAction, doc: CampaignDocument): CampaignStatus {
  switch (action) {
    case 'pause':
      return CampaignStatus.PAUSED;
    case 'cancel':
      return CampaignStatus.CANCELLED;
    case 'resume':
      return doc.fanoutDone ? CampaignStatus.SENDING : CampaignStatus.FANNING_OUT;
  }
}

function notAllowed(action: CampaignAction, status: CampaignStatus): AppError {
  return new AppError({
    status: 409,
    code: CAMPAIGN_STATE,
    message: `A ${status} campaign cannot be ${action === 'cancel' ? 'cancelled' : `${action}d`}`,
    details: [{ status, allowedFrom: TRANSITIONS[action] }],
  });
}

function normaliseAudience(audience: CreateCampaignDto['audience']): CampaignDocument['audience'] {
  // A validated DTO instance: exactly one kind is set (the others are present but undefined).
  const { userIds, role } = audience as { userIds?: string[]; role?: UserRole };
  if (userIds) return { userIds: [...new Set(userIds.map((id) => id.toLowerCase()))] };
  if (role) return { role };
  return { all: true };
}

const zeroCounters = (): CampaignCounters => ({
  sent: 0,
  failed: 0,
  suppressed: 0,
  cancelled: 0,
  unconfirmed: 0,
});

function toView(doc: CampaignDocument, counters: CampaignCounters): CampaignDto {
  return {
    id: doc._id,
    status: doc.status,
    subject: doc.subject,
    template: doc.template,
    locale: doc.locale,
    audience: doc.audience,
    total: doc.total,
    queued: doc.queued,
    sent: counters.sent,
    failed: counters.failed,
    suppressed: counters.suppressed,
    cancelled: counters.cancelled,
    unconfirmed: counters.unconfirmed,
    fanoutDone: doc.fanoutDone,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    completedAt: doc.completedAt ? doc.completedAt.toISOString() : null,
  };
}
