import {
  CAMPAIGNS_COLLECTION,
  type CampaignDocument,
  CampaignStatus,
  SUPPRESSIONS_COLLECTION,
} from '@commerce/contracts';
import { Schema } from 'mongoose';

export const CAMPAIGN_MODEL = 'Campaign';
export const SUPPRESSION_MODEL = 'Suppression';

const STATUSES = Object.values(CampaignStatus);

/**
 * A campaign: what to send to whom, the template snapshot the workers render, and the fan-out's
 * progress and lease. Delivery counters (sent, failed, suppressed) live in Redis next to the
 * per-recipient state they are updated with (see the workers' campaign store).
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
