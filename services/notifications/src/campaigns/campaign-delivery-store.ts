import { type CampaignFailure, CampaignStatus } from '@commerce/contracts';
import { type RedisScript, redisScript } from '@commerce/nest-kit';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DELIVERY_REDIS, PROCESSORS_SETTINGS } from '../processors/delivery-connections';
import type { NotificationProcessorsSettings } from '../processors/processors.config';
import {
  CAMPAIGN_COMPLETE_LUA,
  CampaignRecipientState,
  campaignKeys,
  campaignSuppressionKey,
  expireCampaignKeys,
} from './campaign-keys';

const S = CampaignRecipientState;

// Shared by the scripts: the completion rule (KEYS[1] status, KEYS[3] counters) and the parsing
// of a recipient's in-flight state.
const COMPLETE = `${CAMPAIGN_COMPLETE_LUA}
local function parse(state)
  if not state then return nil end
  local kind, token, at = string.match(state, '^(%a+):([^:]+):(%d+)$')
  if kind ~= 'claim' and kind ~= 'handover' then return nil end
  return kind, token, tonumber(at)
end`;

// KEYS: status, recipients, counters (one campaign: one hash slot). ARGV: userId, token, now (ms),
// lease (ms), '1' when the address is suppressed (read just before: the suppression set lives in
// another slot, and an unsubscribe landing in between is one that came a moment too late).
const CLAIM = `${COMPLETE}
local state = redis.call('HGET', KEYS[2], ARGV[1])
local kind, token, at = parse(state)
if state and not kind then return {'done', state} end
local status = redis.call('GET', KEYS[1])
if not status then return {'no-status'} end
local now = tonumber(ARGV[3])
if kind then
  if at + tonumber(ARGV[4]) > now then return {'held', tostring(at + tonumber(ARGV[4]))} end
  if kind == 'handover' then return {'handed-over', token} end
end
if status == '${CampaignStatus.CANCELLED}' then
  redis.call('HSET', KEYS[2], ARGV[1], '${S.CANCELLED}')
  redis.call('HINCRBY', KEYS[3], 'cancelled', 1)
  return {'cancelled'}
end
if status == '${CampaignStatus.PAUSED}' then
  if kind then redis.call('HDEL', KEYS[2], ARGV[1]) end
  return {'paused'}
end
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[2], ARGV[1], '${S.SUPPRESSED}')
  redis.call('HINCRBY', KEYS[3], 'suppressed', 1)
  return {'suppressed', tostring(complete(KEYS[1], KEYS[3]))}
end
redis.call('HSET', KEYS[2], ARGV[1], 'claim:' .. ARGV[2] .. ':' .. ARGV[3])
return {'claimed'}`;

// KEYS: recipients. ARGV: userId, token. 1 when the claim was still this attempt's.
const HANDOVER = `
local state = redis.call('HGET', KEYS[1], ARGV[1])
if not state then return 0 end
local token, at = string.match(state, '^claim:([^:]+):(%d+)$')
if token ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], 'handover:' .. token .. ':' .. at)
return 1`;

// KEYS: status, recipients, counters, failures. ARGV: userId, token ('' = whoever holds it),
// final state (sent, unconfirmed, failed), failure JSON. Returns {applied, completed}.
const FINISH = `${COMPLETE}
local state = redis.call('HGET', KEYS[2], ARGV[1])
local kind, token = parse(state)
if state and not kind then return {0, 0} end
if ARGV[2] ~= '' and token ~= ARGV[2] then return {0, 0} end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
if ARGV[3] == '${S.FAILED}' then
  redis.call('HINCRBY', KEYS[3], 'failed', 1)
  redis.call('RPUSH', KEYS[4], ARGV[4])
else
  redis.call('HINCRBY', KEYS[3], 'sent', 1)
  if ARGV[3] == '${S.UNCONFIRMED}' then redis.call('HINCRBY', KEYS[3], 'unconfirmed', 1) end
end
return {1, complete(KEYS[1], KEYS[3])}`;

// KEYS: recipients. ARGV: userId, token. Gives a claim back (nothing was handed over).
const RELEASE = `
local state = redis.call('HGET', KEYS[1], ARGV[1])
if state and string.match(state, '^claim:([^:]+):') == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0`;

export type ClaimResult =
  | { kind: 'claimed' }
  /** Already final (sent, failed, suppressed, cancelled): nothing to do. */
  | { kind: 'done'; state: string }
  /** Redis has no status for the campaign (lost): the caller restores it and tries again. */
  | { kind: 'no-status' }
  /** Another attempt holds the recipient until `until` (ms). */
  | { kind: 'held'; until: number }
  /** A dead attempt had handed the message over: count it as sent, never send again. */
  | { kind: 'handed-over'; token: string }
  | { kind: 'cancelled' }
  | { kind: 'paused' }
  | { kind: 'suppressed'; completed: boolean };

export interface Recipient {
  readonly campaignId: string;
  readonly userId: string;
}

/**
 * Per-recipient delivery state of campaigns in Redis, changed by small Lua scripts so that each
 * state change and the campaign's counters move together (progress is exact) and a campaign's last
 * recipient completes it exactly once. The states of one recipient (hash `recipients`, field =
 * user id): none -> `claim:<token>:<ms>` -> `handover:<token>:<ms>` -> `sent`, or `unconfirmed`
 * (the holder died after the hand-over), `failed`, `suppressed`, `cancelled`. Like the email
 * processor's claims, every change of a claim is conditional on its token, and a claim
 * older than the lease may be taken over unless it reached the hand-over.
 */
@Injectable()
export class CampaignDeliveryStore implements OnModuleInit {
  private readonly prefix: string;
  private readonly scripts: ReadonlyMap<string, RedisScript>;
  private readonly logger = new Logger(CampaignDeliveryStore.name);

  constructor(
    @Inject(PROCESSORS_SETTINGS) config: NotificationProcessorsSettings,
    @Inject(DELIVERY_REDIS) private readonly redis: Redis,
  ) {
    this.prefix = config.QUEUE_PREFIX;
    const scripts = { campaignClaim: CLAIM, campaignHandover: HANDOVER, campaignFinish: FINISH };
    this.scripts = new Map(
      Object.entries({ ...scripts, campaignRelease: RELEASE }).map(([name, lua]) => [
        lua,
        redisScript(this.redis, name, lua),
      ]),
    );
  }

  /**
   * Loads the scripts whenever the connection is (again) ready, so the hand-over mark goes out as
   * one EVALSHA without a round trip even after a Redis restart emptied the script cache. Not
   * awaited: the process starts while Redis is down and catches up when it is back; a script that
   * is not loaded still runs (ioredis falls back to EVAL on NOSCRIPT), one round trip slower.
   */
  onModuleInit(): void {
    const load = () => {
      Promise.all(
        [CLAIM, HANDOVER, FINISH, RELEASE].map((script) => this.redis.script('LOAD', script)),
      ).catch((error: Error) => {
        this.logger.warn(`campaign scripts not preloaded (loaded on first use): ${error.message}`);
      });
    };
    this.redis.on('ready', load);
    if (this.redis.status === 'ready') load();
  }

  async claim(
    recipient: Recipient,
    address: string,
    token: string,
    leaseMs: number,
    now: number,
  ): Promise<ClaimResult> {
    const keys = campaignKeys(this.prefix, recipient.campaignId);
    const suppressed = await this.redis.sismember(
      campaignSuppressionKey(this.prefix),
      address.toLowerCase(),
    );
    const reply = (await this.run(
      CLAIM,
      [keys.status, keys.recipients, keys.counters],
      [recipient.userId, token, now, leaseMs, suppressed === 1 ? '1' : '0'],
    )) as string[];
    const [kind, value = ''] = reply;
    switch (kind) {
      case 'claimed':
      case 'no-status':
      case 'cancelled':
      case 'paused':
        return { kind };
      case 'done':
        return { kind, state: value };
      case 'held':
        return { kind, until: Number(value) };
      case 'handed-over':
        return { kind, token: value };
      case 'suppressed':
        return { kind, completed: value === '1' };
      default:
        throw new Error(`unexpected campaign claim reply ${JSON.stringify(reply)}`);
    }
  }

  /** The hand-over mark; resolves false when the claim was no longer this attempt's. */
  async markHandover(recipient: Recipient, token: string): Promise<boolean> {
    const keys = campaignKeys(this.prefix, recipient.campaignId);
    return Number(await this.run(HANDOVER, [keys.recipients], [recipient.userId, token])) === 1;
  }

  /**
   * Records the final state with its counter. `token` undefined: whoever holds the recipient
   * (this attempt's message was accepted, whatever happened to its claim since). Says whether it
   * applied and whether it completed the campaign.
   */
  async finish(
    recipient: Recipient,
    token: string | undefined,
    state: typeof S.SENT | typeof S.UNCONFIRMED | typeof S.FAILED,
    failure?: CampaignFailure,
  ): Promise<{ applied: boolean; completed: boolean }> {
    const keys = campaignKeys(this.prefix, recipient.campaignId);
    const [applied, completed] = (await this.run(
      FINISH,
      [keys.status, keys.recipients, keys.counters, keys.failures],
      [recipient.userId, token ?? '', state, failure ? JSON.stringify(failure) : ''],
    )) as number[];
    return { applied: applied === 1, completed: completed === 1 };
  }

  async release(recipient: Recipient, token: string): Promise<void> {
    const keys = campaignKeys(this.prefix, recipient.campaignId);
    await this.run(RELEASE, [keys.recipients], [recipient.userId, token]);
  }

  /** Restores a lost status key (from MongoDB); keeps one another writer set meanwhile. */
  async restoreStatus(campaignId: string, status: string): Promise<void> {
    await this.redis.set(campaignKeys(this.prefix, campaignId).status, status, 'NX');
  }

  /** Lets a finished campaign's delivery state go after `seconds`. */
  async expire(campaignId: string, seconds: number): Promise<void> {
    await expireCampaignKeys(this.redis, this.prefix, campaignId, seconds);
  }

  private run(
    script: string,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    const run = this.scripts.get(script);
    if (!run) throw new Error('unknown campaign script');
    return run(keys, args);
  }
}
