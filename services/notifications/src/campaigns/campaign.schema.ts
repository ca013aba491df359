import { type CampaignAudience, CampaignStatus } from '@commerce/contracts';
import { Schema } from 'mongoose';

/** The campaigns collection (notifications database); the campaign processor only reads it. */
export const CAMPAIGNS_COLLECTION = 'campaigns';

/** The collection of suppressed addresses (`_id` = lower-cased address). */
export const SUPPRESSIONS_COLLECTION = 'suppressions';

/** The part of a template a campaign snapshots at creation (Handlebars sources). */
export interface CampaignTemplateSnapshot {
  subject: string;
  html: string;
  text: string;
}

export interface CampaignDocument {
  /** A UUID. */
  _id: string;
  subject: string;
  template: string;
  locale: string;
  audience: CampaignAudience;
  /** The template as it was when the campaign was created; the processor renders from it. */
  snapshot: CampaignTemplateSnapshot;
  status: CampaignStatus;
  /** The status to return to on resume. */
  resumeTo: CampaignStatus | null;
  total: number;
  queued: number;
  fanoutDone: boolean;
  /** Where the fan-out goes on (auth's keyset cursor, or an offset into `userIds`). */
  fanoutCursor: string | null;
  /** Pages enqueued so far (a cursor alone cannot say whether the first page was done). */
  fanoutPages: number;
  /** The fan-out lease: the instance that fans the campaign out, until when. */
  fanoutOwner: string | null;
  fanoutLeaseUntil: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export const CAMPAIGN_MODEL = 'Campaign';
export const SUPPRESSION_MODEL = 'Suppression';

const STATUSES = Object.values(CampaignStatus);

/**
 * A campaign: what to send to whom, the template snapshot the processor renders, and the fan-out's
 * progress and lease. Delivery counters (sent, failed, suppressed) live in Redis next to the
 * per-recipient state they are updated with (see campaign-keys.ts).
 */
export const CampaignSchema = new Schema<CampaignDocument>(
  {
    _id: { type: String, required: true },
    subject: { type: String, required: true },
    template: { type: String, required: true },
    locale: { type: String, required: true },
    audience: { type: Schema.Types.Mixed, required: true },
    snapshot: {
      subject: { type: String, required: true },
      html: { type: String, required: true },
      text: { type: String, required: true },
    },
    status: { type: String, required: true, enum: STATUSES },
    resumeTo: { type: String, default: null, enum: [...STATUSES, null] },
    total: { type: Number, required: true, default: 0 },
    queued: { type: Number, required: true, default: 0 },
    fanoutDone: { type: Boolean, required: true, default: false },
    fanoutCursor: { type: String, default: null },
    fanoutPages: { type: Number, required: true, default: 0 },
    fanoutOwner: { type: String, default: null },
    fanoutLeaseUntil: { type: Date, default: null },
    createdBy: { type: String, required: true },
    completedAt: { type: Date, default: null },
  },
  { collection: CAMPAIGNS_COLLECTION, versionKey: false, timestamps: true, minimize: false },
);
// The list (newest first) and the sweeper (unfinished fan-outs).
CampaignSchema.index({ createdAt: -1 });
CampaignSchema.index({ fanoutDone: 1, status: 1 });

/** An address that unsubscribed: `_id` is the lower-cased address. */
export interface SuppressionDocument {
  _id: string;
  userId: string | null;
  reason: string;
  createdAt: Date;
}

export const SuppressionSchema = new Schema<SuppressionDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, default: null },
    reason: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: SUPPRESSIONS_COLLECTION, versionKey: false },
);
