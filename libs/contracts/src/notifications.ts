import type { UserRole } from './auth';

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

// ---------------------------------------------------------------------------------------------
// Bulk email campaigns: created by admins in the notifications service, fanned out into the
// `campaign-email` queue (QueueName.campaign) and delivered by the workers process.

export const CampaignStatus = {
  /** Stored; the fan-out has not started yet. */
  CREATED: 'CREATED',
  /** The audience is being read from the auth service and enqueued (emails already go out). */
  FANNING_OUT: 'FANNING_OUT',
  /** Everyone is enqueued; emails go out. */
  SENDING: 'SENDING',
  /** Every recipient is sent, failed or suppressed. */
  COMPLETED: 'COMPLETED',
  /** Workers defer this campaign's jobs without sending until it is resumed. */
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

/** The variables every campaign template may use. */
export interface CampaignTemplateData {
  name: string;
  email: string;
  unsubscribeUrl: string;
}

/** The part of a template a campaign snapshots at creation (Handlebars sources). */
export interface CampaignTemplateSnapshot {
  subject: string;
  html: string;
  text: string;
}

/** The campaigns collection (notifications database); the workers read it, never write it. */
export const CAMPAIGNS_COLLECTION = 'campaigns';

export interface CampaignDocument {
  /** A UUID. */
  _id: string;
  subject: string;
  template: string;
  locale: string;
  audience: CampaignAudience;
  /** The template as it was when the campaign was created; the workers render from it. */
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

/** Payload of a `campaign-email` job: everything the worker needs besides the campaign doc. */
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

/**
 * Redis keys of a campaign's delivery state, shared by the notifications service (status,
 * suppression at fan-out, progress) and the workers (claims and counters). The campaign id is a
 * hash tag so one campaign's keys live in one slot (the Lua scripts touch them together).
 */
export function campaignKeys(prefix: string, campaignId: string) {
  const base = `${prefix}:campaign:{${campaignId}}`;
  return {
    /** String: the campaign status, written by the notifications service on every change. */
    status: `${base}:status`,
    /** Hash userId -> delivery state of that recipient (see the workers' campaign store). */
    recipients: `${base}:recipients`,
    /** Hash of counters: sent, failed, suppressed, cancelled, unconfirmed, total (when known). */
    counters: `${base}:counters`,
    /** List of JSON CampaignFailure, oldest first. */
    failures: `${base}:failures`,
  };
}

/**
 * Lua, for the campaign scripts of both the notifications service and the workers: the one rule
 * that completes a campaign. `complete(statusKey, countersKey)` flips a SENDING campaign whose
 * recipients are all done (sent, failed, suppressed or cancelled, once its total is known) to
 * COMPLETED and returns 1; otherwise 0. Whoever runs it first completes the campaign, once.
 */
export const CAMPAIGN_COMPLETE_LUA = `
local function complete(statusKey, countersKey)
  local c = redis.call('HMGET', countersKey, 'total', 'sent', 'failed', 'suppressed', 'cancelled')
  if not c[1] then return 0 end
  local done = (tonumber(c[2]) or 0) + (tonumber(c[3]) or 0) + (tonumber(c[4]) or 0) + (tonumber(c[5]) or 0)
  if done >= tonumber(c[1]) and redis.call('GET', statusKey) == '${CampaignStatus.SENDING}' then
    redis.call('SET', statusKey, '${CampaignStatus.COMPLETED}')
    return 1
  end
  return 0
end`;

/** Redis set of suppressed (unsubscribed) addresses, lower-cased; mirrors MongoDB. */
export const campaignSuppressionKey = (prefix: string) => `${prefix}:campaign:suppressed`;

/** The collection of suppressed addresses (`_id` = lower-cased address). */
export const SUPPRESSIONS_COLLECTION = 'suppressions';

/**
 * Final per-recipient states in the campaign's `recipients` hash (a recipient being delivered
 * holds `claim:<token>:<ms>` or `handover:<token>:<ms>` instead, see the workers' campaign store).
 */
export const CampaignRecipientState = {
  SENT: 'sent',
  /** Counted as sent, without the SMTP server's answer (also counted in `sent`). */
  UNCONFIRMED: 'unconfirmed',
  FAILED: 'failed',
  SUPPRESSED: 'suppressed',
  CANCELLED: 'cancelled',
} as const;
