import type { UserRole } from './auth';

/**
 * What crosses a process boundary around notifications: the internal and admin API's bodies and
 * views, and the campaign job payload. How the notifications context stores them (collections,
 * documents, Redis keys) is its own business (services/notifications).
 */

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
  /** Campaign template: `name`, `email`, `unsubscribeUrl`. */
  NEWSLETTER: 'newsletter',
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

// ---------------------------------------------------------------------------------------------
// Bulk email campaigns: created by admins in the notifications service, fanned out into the
// `campaign-email` queue (QueueName.campaign) and delivered by its queue processors.

export const CampaignStatus = {
  /** Stored; the fan-out has not started yet. */
  CREATED: 'CREATED',
  /** The audience is being read from the auth service and enqueued (emails already go out). */
  FANNING_OUT: 'FANNING_OUT',
  /** Everyone is enqueued; emails go out. */
  SENDING: 'SENDING',
  /** Every recipient is sent, failed or suppressed. */
  COMPLETED: 'COMPLETED',
  /** The processors defer this campaign's jobs without sending until it is resumed. */
  PAUSED: 'PAUSED',
  /** Remaining recipients are dropped without sending. */
  CANCELLED: 'CANCELLED',
} as const;
export type CampaignStatus = (typeof CampaignStatus)[keyof typeof CampaignStatus];

/** Who receives a campaign: every user, the holders of a role, or listed users. */
export type CampaignAudience = { all: true } | { role: UserRole } | { userIds: string[] };

/** Admin `POST /admin/campaigns` body. `subject` is a Handlebars template like the body. */
export interface CreateCampaignRequest {
  subject: string;
  /** Key of a stored template (e.g. `newsletter`); rendered with `name`, `email`, `unsubscribeUrl`. */
  template: string;
  audience: CampaignAudience;
  /** BCP 47 tag; the template's best locale is used (falls back to `en`). */
  locale?: string;
}

export interface CampaignView {
  id: string;
  status: CampaignStatus;
  subject: string;
  template: string;
  /** The template locale actually used. */
  locale: string;
  audience: CampaignAudience;
  /** Recipients found so far (final once the fan-out is done): queued + suppressed at fan-out. */
  total: number;
  /** Jobs enqueued. */
  queued: number;
  sent: number;
  failed: number;
  /** Recipients skipped because their address is on the suppression list. */
  suppressed: number;
  /** Recipients dropped because the campaign was cancelled before their turn. */
  cancelled: number;
  /** Counted as sent without the SMTP server's answer (the sender died after handing over). */
  unconfirmed: number;
  fanoutDone: boolean;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

/** Payload of a `campaign-email` job: one recipient of one campaign. */
export interface CampaignJobData {
  campaignId: string;
  userId: string;
  email: string;
  name: string;
  /** The public unsubscribe link (its token is signed by the notifications service). */
  unsubscribeUrl: string;
}

/** One recipient a campaign could not deliver to (`GET /admin/campaigns/:id/failures`). */
export interface CampaignFailure {
  userId: string;
  email: string;
  error: string;
  failedAt: string;
}
