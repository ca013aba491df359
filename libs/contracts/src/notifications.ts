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
