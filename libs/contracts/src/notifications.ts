/** Notification contracts shared by the notifications service, the workers and the activities. */

export const NotificationChannel = {
  EMAIL: 'email',
  SMS: 'sms',
  PUSH: 'push',
} as const;
export type NotificationChannel = (typeof NotificationChannel)[keyof typeof NotificationChannel];

export const NotificationStatus = {
  QUEUED: 'QUEUED',
  SENT: 'SENT',
  FAILED: 'FAILED',
} as const;
export type NotificationStatus = (typeof NotificationStatus)[keyof typeof NotificationStatus];

/** Template keys seeded by the notifications service. */
export const NotificationTemplate = {
  ORDER_CONFIRMED: 'order-confirmed',
  ORDER_FAILED: 'order-failed',
  ORDER_CANCELLED: 'order-cancelled',
  WELCOME: 'welcome',
} as const;
export type NotificationTemplate = (typeof NotificationTemplate)[keyof typeof NotificationTemplate];

/** Internal `POST /internal/notifications` body (SERVICE token). Idempotent per idempotencyKey. */
export interface SendNotificationRequest {
  userId: string;
  channel: NotificationChannel;
  template: string;
  /** BCP 47 language tag; falls back to `en`. */
  locale?: string;
  /** Where to deliver: an email address, a phone number or a device token, per channel. */
  to: string;
  /** Values the template renders. */
  data: Record<string, unknown>;
  idempotencyKey: string;
}

export interface NotificationView {
  id: string;
  userId: string;
  channel: NotificationChannel;
  template: string;
  locale: string;
  to: string;
  subject: string;
  status: NotificationStatus;
  attempts: number;
  idempotencyKey: string;
  readAt: string | null;
  sentAt: string | null;
  lastError: string | null;
  createdAt: string;
}

/**
 * The notifications collection in MongoDB (database of MONGO_URL, `commerce_notifications` by
 * default). The notifications service writes it; the workers process claims and marks email
 * notifications in it. Both sides read and write documents of this shape.
 */
export const NOTIFICATIONS_COLLECTION = 'notifications';

/** How far an email worker got with a claimed notification (see services/workers/README.md). */
export const EmailClaimStage = {
  /** Claimed; the message has not been handed to the SMTP server yet (safe to send again). */
  SENDING: 'sending',
  /** About to end the SMTP DATA phase: from here on the server may have accepted the message. */
  HANDOVER: 'handover',
} as const;
export type EmailClaimStage = (typeof EmailClaimStage)[keyof typeof EmailClaimStage];

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
  /** Delivery attempts started (an email worker counts one per claim). */
  attempts: number;
  lastError: string | null;
  idempotencyKey: string;
  readAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Email lease: the worker attempt holding the notification, since when and how far it got. */
  claimToken?: string | null;
  claimedAt?: Date | null;
  claimStage?: EmailClaimStage | null;
  /** Which worker holds the claim (host:pid), for operators. */
  claimedBy?: string | null;
  /** The Message-ID header the email was sent with. */
  messageId?: string | null;
  /**
   * Set when the notification was marked SENT without the SMTP server's confirmation (its worker
   * died after handing the message over); operators can audit these.
   */
  deliveryUnconfirmed?: boolean;
}
