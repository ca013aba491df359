import { type RedisScript, redisScript } from '@commerce/nest-kit';
import type { Redis } from 'ioredis';

/** What one counted request learns about its window. */
export type HitOutcome =
  | { readonly blocked: false; readonly totalHits: number; readonly resetSeconds: number }
  | { readonly blocked: true; readonly retryAfterSeconds: number };

/** One limit as the counter needs it. */
export interface WindowLimit {
  readonly name: string;
  readonly limit: number;
  readonly ttlMs: number;
}

/**
 * `n` hits in one step, with the semantics of @nest-lab/throttler-storage-redis' script (which
 * the gateway used before, one call per hit): a fixed window of `ttl` from the first hit; a hit
 * over the limit blocks the key for `blockDuration`; hits keep counting while blocked. The keys
 * are the library's too, so instances of the previous release count with this one during a
 * rolling upgrade. Hand-written because the library only adds one hit per call.
 * Returns { hits after this batch, window ms left, 1 if the key was already blocked, block ms left }.
 */
const ADD_HITS_LUA = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
local windowLeft = redis.call('PTTL', KEYS[1])
if windowLeft <= 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  windowLeft = tonumber(ARGV[2])
end
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return { total, windowLeft, 1, blockLeft }
end
if total > tonumber(ARGV[3]) then
  redis.call('SET', KEYS[2], 1, 'PX', ARGV[4])
end
return { total, windowLeft, 0, 0 }
`;

interface Waiter {
  resolve(outcome: HitOutcome): void;
  reject(error: unknown): void;
}

/** The requests of one key: at most one call in Redis at a time, the rest waiting for the next. */
interface KeyQueue {
  inFlight: boolean;
  waiting: Waiter[];
}

/**
 * Counts requests per key in Redis, exactly, with at most one round trip in flight per key: hits
 * of a key that arrive while its call is out wait and go together as the next call (INCRBY n),
 * and each learns its own place in the window (the first `limit - before` pass). So a key under
 * heavy traffic (one address flooding, a busy user) costs one script call per round trip instead
 * of one per request, for the gateway and for Redis, and a quiet key still costs one call per
 * request with no added wait. Nothing is counted locally: every hit is in Redis before its request
 * is answered, so instances sharing the prefix enforce one limit to the request, as before.
 */
export class WindowCounter {
  private readonly addHits: RedisScript;
  private readonly queues = new Map<string, KeyQueue>();

  constructor(redis: Redis) {
    this.addHits = redisScript(redis, 'gatewayAddHits', ADD_HITS_LUA);
  }

  /** Counts one hit of `key` under `limit`; rejects when Redis could not count it. */
  hit(key: string, limit: WindowLimit): Promise<HitOutcome> {
    const hitKey = `{${key}:${limit.name}}:hits`;
    let queue = this.queues.get(hitKey);
    if (!queue) {
      queue = { inFlight: false, waiting: [] };
      this.queues.set(hitKey, queue);
    }
    const outcome = new Promise<HitOutcome>((resolve, reject) => {
      queue.waiting.push({ resolve, reject });
    });
    if (!queue.inFlight) this.send(hitKey, queue, limit);
    return outcome;
  }

  private send(hitKey: string, queue: KeyQueue, limit: WindowLimit): void {
    const batch = queue.waiting;
    queue.waiting = [];
    queue.inFlight = true;
    const blockKey = `${hitKey.slice(0, -'hits'.length)}blocked`;
    const call = async (): Promise<void> => {
      try {
        const reply = await this.addHits(
          [hitKey, blockKey],
          [batch.length, limit.ttlMs, limit.limit, limit.ttlMs],
        );
        settle(batch, limit, parseReply(reply));
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
      queue.inFlight = false;
      if (queue.waiting.length > 0) this.send(hitKey, queue, limit);
      else this.queues.delete(hitKey);
    };
    void call();
  }
}

interface AddHitsReply {
  total: number;
  windowLeftMs: number;
  wasBlocked: boolean;
  blockLeftMs: number;
}

function parseReply(reply: unknown): AddHitsReply {
  if (!Array.isArray(reply) || reply.length !== 4 || !reply.every((v) => typeof v === 'number')) {
    throw new TypeError(`unexpected rate-limit script reply ${JSON.stringify(reply)}`);
  }
  // Four numbers, checked above.
  const [total = 0, windowLeftMs = 0, wasBlocked = 0, blockLeftMs = 0] = reply;
  return { total, windowLeftMs, wasBlocked: wasBlocked === 1, blockLeftMs };
}

/** Hands each waiter, in arrival order, the outcome its own increment would have had. */
export function settle(batch: readonly Waiter[], limit: WindowLimit, reply: AddHitsReply): void {
  const before = reply.total - batch.length;
  const resetSeconds = Math.ceil(reply.windowLeftMs / 1000);
  batch.forEach((waiter, index) => {
    const totalHits = before + index + 1;
    if (reply.wasBlocked) {
      waiter.resolve({ blocked: true, retryAfterSeconds: Math.ceil(reply.blockLeftMs / 1000) });
    } else if (totalHits > limit.limit) {
      // This batch crossed the limit and set the block for a whole window from now.
      waiter.resolve({ blocked: true, retryAfterSeconds: Math.ceil(limit.ttlMs / 1000) });
    } else {
      waiter.resolve({ blocked: false, totalHits, resetSeconds });
    }
  });
}
