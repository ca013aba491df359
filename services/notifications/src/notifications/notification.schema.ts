import { NotificationChannel, NotificationStatus } from '@commerce/contracts';
import { Schema } from 'mongoose';

export const NOTIFICATION_MODEL = 'Notification';

/**
 * The notifications collection (database of MONGO_URL, `commerce_notifications` by default): the
 * API stores notifications, the email processor marks them SENT or FAILED (its claims live apart,
 * in `email_claims`, see src/delivery/notification-store.ts).
 */
export const NOTIFICATIONS_COLLECTION = 'notifications';

export interface NotificationDocument {
  /** A UUID (the notification's `id`). */
  _id: string;
  userId: string;
  channel: NotificationChannel;
  template: string;
  /** The locale the template was rendered in (after falling back). */
  locale: string;
  to: string;
  data: Record<string, unknown>;
  subject: string;
  html: string;
  text: string;
  status: NotificationStatus;
  /** Delivery attempts started (for email: the claims taken on it). */
  attempts: number;
  lastError: string | null;
  idempotencyKey: string;
  readAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** The Message-ID header the email was sent with. */
  messageId?: string | null;
  /**
   * Set when the notification was marked SENT without the SMTP server's confirmation (its sender
   * died after handing the message over); operators can audit these.
   */
  deliveryUnconfirmed?: boolean;
}

/** `_id` is a UUID, the public `id`. */
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
// An order's notifications for operators (GET /admin/notifications?orderId=).
NotificationSchema.index({ 'data.orderId': 1, createdAt: -1 });
// The requeue sweep: QUEUED notifications by age.
NotificationSchema.index({ status: 1, createdAt: 1 });
