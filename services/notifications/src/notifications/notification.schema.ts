import {
  EmailClaimStage,
  NOTIFICATIONS_COLLECTION,
  NotificationChannel,
  type NotificationDocument,
  NotificationStatus,
} from '@commerce/contracts';
import { Schema } from 'mongoose';

export const NOTIFICATION_MODEL = 'Notification';

/**
 * The notifications collection, shared with the workers process (which claims and marks email
 * notifications through the fields of NotificationDocument). `_id` is a UUID, the public `id`.
 */
export const NotificationSchema = new Schema<NotificationDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    channel: { type: String, required: true, enum: Object.values(NotificationChannel) },
    template: { type: String, required: true },
    locale: { type: String, required: true },
    to: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    subject: { type: String, required: true },
    html: { type: String, required: true },
    text: { type: String, required: true },
    status: { type: String, required: true, enum: Object.values(NotificationStatus) },
    attempts: { type: Number, required: true, default: 0 },
    lastError: { type: String, default: null },
    idempotencyKey: { type: String, required: true },
    readAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    claimToken: { type: String, default: null },
    claimedAt: { type: Date, default: null },
    claimStage: { type: String, default: null, enum: [...Object.values(EmailClaimStage), null] },
    claimedBy: { type: String, default: null },
    messageId: { type: String, default: null },
    deliveryUnconfirmed: { type: Boolean, default: false },
  },
  {
    collection: NOTIFICATIONS_COLLECTION,
    versionKey: false,
    timestamps: true,
    // Keep `data: {}` as it came (mongoose drops empty objects by default).
    minimize: false,
  },
);

// One notification per idempotency key: the last word when two requests race.
NotificationSchema.index({ idempotencyKey: 1 }, { unique: true });
// A user's notifications, newest first.
NotificationSchema.index({ userId: 1, createdAt: -1 });
// The requeue sweep: QUEUED notifications by age.
NotificationSchema.index({ status: 1, createdAt: 1 });
