import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CampaignFailure, CampaignStatus } from '@commerce/contracts';
import { InjectConfig, type RedisScript, redisScript } from '@commerce/nest-kit';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { NotificationsConfig } from '../config';
import {
  CAMPAIGN_COMPLETE_LUA,
  CampaignRecipientState,
  campaignKeys,
  campaignSuppressionKey,
  expireCampaignKeys,
} from './campaign-keys';

/** Delivery counters of a campaign, kept in Redis by the campaign processor. */
export interface CampaignCounters {
  sent: number;
  failed: number;
  suppressed: number;
  cancelled: number;
  unconfirmed: number;
}

// Marks recipients suppressed at fan-out (once each, whatever the number of fan-out runs).
// KEYS: recipients, counters. ARGV: user ids. Returns how many were newly marked.
const MARK_SUPPRESSED = `
local added = 0
for i = 1, #ARGV do
  added = added + redis.call('HSETNX', KEYS[1], ARGV[i], '${CampaignRecipientState.SUPPRESSED}')
end
if added > 0 then redis.call('HINCRBY', KEYS[2], 'suppressed', added) end
return added`;

// Records the final total (when given) and completes a SENDING campaign whose recipients are all
// done. KEYS: counters, status. ARGV: total or ''. Returns 1 when this call completed it.
const SETTLE = `${CAMPAIGN_COMPLETE_LUA}
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'total', ARGV[1]) end
return complete(KEYS[2], KEYS[1])`;

// Deletes the status lock only if the caller still holds it. KEYS: lock. ARGV: token.
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** How long a status lock lives if its holder dies, and how long a caller waits for it. */
const STATUS_LOCK_MS = 10_000;
const STATUS_LOCK_WAIT_MS = 5_000;

/**
 * The API's side of a campaign's Redis state: the status key the campaign processor checks per
 * job, suppression at fan-out, the counters and failures the processor keeps, completion.
 */
@Injectable()
export class CampaignState implements OnApplicationShutdown {
  readonly redis: Redis;
  private readonly prefix: string;
  private readonly markSuppressedScript: RedisScript;
  private readonly settleScript: RedisScript;
  private readonly unlockScript: RedisScript;

  constructor(@InjectConfig() config: NotificationsConfig) {
    this.prefix = config.QUEUE_PREFIX;
    this.redis = new Redis(config.REDIS_URL, {
      connectionName: `${config.SERVICE_NAME}:campaigns`,
      maxRetriesPerRequest: 2,
      lazyConnect: false,
    });
    this.redis.on('error', () => undefined); // callers see the failures
    this.markSuppressedScript = redisScript(this.redis, 'campaignMarkSuppressed', MARK_SUPPRESSED);
    this.settleScript = redisScript(this.redis, 'campaignSettle', SETTLE);
    this.unlockScript = redisScript(this.redis, 'campaignStatusUnlock', UNLOCK);
  }

  /**
   * Runs `change` holding the campaign's status lock, so an operator's pause, resume or cancel
   * and the fan-out's own moves (CREATED -> FANNING_OUT -> SENDING -> COMPLETED) never interleave
   * their read, check and write of the status in MongoDB. FerretDB v1's conditional updates are
   * not atomic against each other (several racers win one document, DESIGN.md §3), so without it
   * both writes can land and the later one silently undoes the other: a pause lost to the fan-out
   * finishing at that moment. On a real MongoDB the lock is redundant and harmless. A holder that
   * dies leaves it to expire after STATUS_LOCK_MS.
   */
  async withStatusLock<T>(campaignId: string, change: () => Promise<T>): Promise<T> {
    const key = this.keys(campaignId).statusLock;
    const token = randomUUID();
    const deadline = Date.now() + STATUS_LOCK_WAIT_MS;
    while ((await this.redis.set(key, token, 'PX', STATUS_LOCK_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) {
        throw new Error(`campaign ${campaignId}: its status is being changed; try again`);
      }
      await sleep(20);
    }
    try {
      return await change();
    } finally {
      await this.unlockScript([key], [token]).catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  keys(campaignId: string) {
    return campaignKeys(this.prefix, campaignId);
  }

  async setStatus(campaignId: string, status: CampaignStatus): Promise<void> {
    await this.redis.set(this.keys(campaignId).status, status);
  }

  async status(campaignId: string): Promise<string | null> {
    return this.redis.get(this.keys(campaignId).status);
  }

  /** Marks these recipients suppressed (idempotent); returns how many were new. */
  async markSuppressed(campaignId: string, userIds: readonly string[]): Promise<number> {
    if (userIds.length === 0) return 0;
    const keys = this.keys(campaignId);
    return Number(await this.markSuppressedScript([keys.recipients, keys.counters], userIds));
  }

  /**
   * Completes the campaign in Redis if it is SENDING and every recipient is done (recording the
   * final `total` first when given). True when this call completed it.
   */
  async settle(campaignId: string, total?: number): Promise<boolean> {
    const keys = this.keys(campaignId);
    const result = await this.settleScript(
      [keys.counters, keys.status],
      [total === undefined ? '' : total],
    );
    return Number(result) === 1;
  }

  async counters(campaignId: string): Promise<CampaignCounters> {
    const raw = await this.redis.hgetall(this.keys(campaignId).counters);
    const n = (field: string) => Number(raw[field] ?? 0);
    return {
      sent: n('sent'),
      failed: n('failed'),
      suppressed: n('suppressed'),
      cancelled: n('cancelled'),
      unconfirmed: n('unconfirmed'),
    };
  }

  async failures(
    campaignId: string,
    page: number,
    limit: number,
  ): Promise<{ items: CampaignFailure[]; total: number }> {
    const key = this.keys(campaignId).failures;
    const start = (page - 1) * limit;
    const [total, rows] = await Promise.all([
      this.redis.llen(key),
      this.redis.lrange(key, start, start + limit - 1),
    ]);
    return { total, items: rows.map((row) => JSON.parse(row) as CampaignFailure) };
  }

  /** Lets a finished campaign's delivery state go after `seconds` (jobs can no longer need it). */
  async expire(campaignId: string, seconds: number): Promise<void> {
    await expireCampaignKeys(this.redis, this.prefix, campaignId, seconds);
  }

  /** Adds addresses to the suppression set the processor checks before every send. */
  async suppress(emails: readonly string[]): Promise<void> {
    if (emails.length > 0) await this.redis.sadd(campaignSuppressionKey(this.prefix), ...emails);
  }
}
