import { CampaignStatus, queueKeyspace } from '@commerce/contracts';
import type { Redis } from 'ioredis';

/**
 * Redis keys of a campaign's delivery state: the API side (status, suppression at fan-out,
 * progress; campaign-state.ts) and the campaign processor (claims and counters;
 * campaign-delivery-store.ts). The campaign id is a hash tag so one campaign's keys live in one
 * slot (the Lua scripts touch them together) and campaigns spread over a cluster's slots; the
 * QUEUE_PREFIX goes in without its own braces, which would otherwise be the tag (`commerce:campaign:
 * {<id>}:status` for both `{commerce}` and `commerce`).
 */
export function campaignKeys(prefix: string, campaignId: string) {
  const base = `${queueKeyspace(prefix)}:campaign:{${campaignId}}`;
  return {
    /** String: the campaign status, written by the API on every change. */
    status: `${base}:status`,
    /** String: the holder's token while a status change is made (CampaignState.withStatusLock). */
    statusLock: `${base}:status-lock`,
    /** Hash userId -> delivery state of that recipient (see CampaignDeliveryStore). */
    recipients: `${base}:recipients`,
    /** Hash of counters: sent, failed, suppressed, cancelled, unconfirmed, total (when known). */
    counters: `${base}:counters`,
    /** List of JSON CampaignFailure, oldest first. */
    failures: `${base}:failures`,
  };
}

/**
 * Lua, for the campaign scripts of both sides: the one rule that completes a campaign.
 * `complete(statusKey, countersKey)` flips a SENDING campaign whose recipients are all done (sent,
 * failed, suppressed or cancelled, once its total is known) to COMPLETED and returns 1; otherwise
 * 0. Whoever runs it first completes the campaign, once.
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

/** Lets a finished campaign's delivery state go after `seconds` (jobs can no longer need it). */
export async function expireCampaignKeys(
  redis: Redis,
  prefix: string,
  campaignId: string,
  seconds: number,
): Promise<void> {
  const keys = campaignKeys(prefix, campaignId);
  await redis
    .multi()
    .expire(keys.recipients, seconds)
    .expire(keys.counters, seconds)
    .expire(keys.failures, seconds)
    .expire(keys.status, seconds)
    .exec();
}

/**
 * Redis set of suppressed (unsubscribed) addresses, lower-cased; mirrors MongoDB. In a slot of its
 * own: no script reads it together with a campaign's keys.
 */
export const campaignSuppressionKey = (prefix: string) =>
  `${queueKeyspace(prefix)}:campaign:suppressed`;

/**
 * Final per-recipient states in the campaign's `recipients` hash (a recipient being delivered
 * holds `claim:<token>:<ms>` or `handover:<token>:<ms>` instead, see CampaignDeliveryStore).
 */
export const CampaignRecipientState = {
  SENT: 'sent',
  /** Counted as sent, without the SMTP server's answer (also counted in `sent`). */
  UNCONFIRMED: 'unconfirmed',
  FAILED: 'failed',
  SUPPRESSED: 'suppressed',
  CANCELLED: 'cancelled',
} as const;
