import { AppError, ErrorCode, InjectConfig, ROOT_LOGGER } from '@commerce/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import { GATEWAY_REDIS } from '../redis/redis.module';
import { type HitOutcome, WindowCounter } from './window-counter';

// One warning per outage of the counter store, not one per request.
const STORE_WARNING_INTERVAL_MS = 30_000;

export type RateLimitName = 'address' | 'auth' | 'user';

/** One limit, with everything a request needs precomputed at start. */
export interface RateLimitPolicy {
  readonly name: RateLimitName;
  readonly limit: number;
  readonly ttlMs: number;
  /** `RATE_LIMIT_PREFIX:`; the tracker (`ip:<addr>`, `user:<id>`) follows. */
  readonly keyPrefix: string;
  /** Response headers, named as @nestjs/throttler named them (`X-RateLimit-Limit-address`). */
  readonly headers: { readonly limit: string; readonly remaining: string; readonly reset: string };
  readonly retryAfterHeader: string;
  /** The limit's value as a header string. */
  readonly limitValue: string;
  /** `at most 1200 per 60 s`, for the 429 message. */
  readonly description: string;
}

/** The gateway's limits: the config's values, one policy object each, built once. */
export function rateLimitPolicies(config: GatewayConfig): Record<RateLimitName, RateLimitPolicy> {
  const policy = (name: RateLimitName, limit: number, ttlMs: number): RateLimitPolicy => ({
    name,
    limit,
    ttlMs,
    keyPrefix: `${config.RATE_LIMIT_PREFIX}:`,
    headers: {
      limit: `x-ratelimit-limit-${name}`,
      remaining: `x-ratelimit-remaining-${name}`,
      reset: `x-ratelimit-reset-${name}`,
    },
    retryAfterHeader: `retry-after-${name}`,
    limitValue: String(limit),
    description: `at most ${limit} per ${formatSeconds(ttlMs)}`,
  });
  return {
    address: policy('address', config.RATE_LIMIT_ADDRESS_LIMIT, config.RATE_LIMIT_ADDRESS_TTL_MS),
    // Per client address: the auth service limits attempts per account on its side.
    auth: policy('auth', config.RATE_LIMIT_AUTH_LIMIT, config.RATE_LIMIT_AUTH_TTL_MS),
    user: policy('user', config.RATE_LIMIT_DEFAULT_LIMIT, config.RATE_LIMIT_DEFAULT_TTL_MS),
  };
}

/**
 * Counts requests against the gateway's limits, exactly, in Redis: every request is counted in its
 * client's window by an atomic script before it is answered (WindowCounter; concurrent requests of
 * one key share a call), so every instance sharing RATE_LIMIT_PREFIX enforces one limit. The hooks
 * call this directly instead of going through @nestjs/throttler's guard: the guard re-resolves
 * every option of every throttler through Nest's reflector on each request, which was a visible
 * share of the gateway's CPU for a decision that is fixed at start. Semantics are the guard's: a
 * fixed window of `ttl` per key, blocked for `ttl` once over the limit; 429 TOO_MANY_REQUESTS with
 * Retry-After.
 * When Redis cannot count, requests pass (logged): an outage of the counter store must not take
 * the shop offline.
 */
@Injectable()
export class RateLimiter {
  readonly policies: Record<RateLimitName, RateLimitPolicy>;
  private readonly counter: WindowCounter;
  private lastStoreWarning = 0;

  constructor(
    @InjectConfig() config: GatewayConfig,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.policies = rateLimitPolicies(config);
    this.counter = new WindowCounter(redis);
  }

  /** Counts one request of `tracker`; rejects with a 429 AppError (headers set) over the limit. */
  async consume(policy: RateLimitPolicy, tracker: string, reply: FastifyReply): Promise<void> {
    // Not connected (Redis down or reconnecting): do not make every request wait for a timeout.
    if (this.redis.status !== 'ready') {
      this.warnStoreFailure(new Error(`redis connection is ${this.redis.status}`));
      return;
    }
    let outcome: HitOutcome;
    try {
      outcome = await this.counter.hit(policy.keyPrefix + tracker, policy);
    } catch (error) {
      this.warnStoreFailure(error);
      return;
    }
    if (outcome.blocked) {
      const retryAfter = String(Math.max(1, outcome.retryAfterSeconds));
      void reply.header(policy.retryAfterHeader, retryAfter).header('retry-after', retryAfter);
      throw new AppError({
        status: 429,
        code: ErrorCode.TOO_MANY_REQUESTS,
        message: `Too many requests: ${policy.description}; retry in ${retryAfter} s`,
      });
    }
    void reply
      .header(policy.headers.limit, policy.limitValue)
      .header(policy.headers.remaining, String(Math.max(0, policy.limit - outcome.totalHits)))
      .header(policy.headers.reset, String(outcome.resetSeconds));
  }

  private warnStoreFailure(error: unknown): void {
    const now = Date.now();
    if (now - this.lastStoreWarning < STORE_WARNING_INTERVAL_MS) return;
    this.lastStoreWarning = now;
    this.logger.warn(
      { err: error },
      'rate limits not enforced: the counter store (Redis) failed; letting requests through',
    );
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
