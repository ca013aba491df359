import { AppError, ErrorCode, InjectConfig, ROOT_LOGGER, getAuthUser } from '@commerce/nest-kit';
import { type ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../config';
import { GATEWAY_REDIS } from '../redis/redis.module';

// One warning per outage of the counter store, not one per request.
const STORE_WARNING_INTERVAL_MS = 30_000;

/**
 * @nestjs/throttler with the gateway's policies:
 * - the tracker is the verified user (`user:<id>`) when the edge check authenticated the request,
 *   the client address (`ip:<addr>`, IPv6 by /56) otherwise; it runs after the token check;
 * - counters live in Redis under RATE_LIMIT_PREFIX, one per client and throttler for the whole API
 *   (not per route), so every gateway instance sharing the prefix enforces one limit;
 * - a refusal is 429 TOO_MANY_REQUESTS in the shared error shape with `Retry-After` (seconds);
 * - when Redis cannot count, requests pass (logged): an outage of the counter store must not take
 *   the shop offline.
 */
@Injectable()
export class GatewayThrottlerGuard extends ThrottlerGuard {
  private lastStoreWarning = 0;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @InjectConfig() private readonly config: GatewayConfig,
    @Inject(ROOT_LOGGER) private readonly rootLogger: Logger,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // Not connected (Redis down or reconnecting): do not make every request wait for a timeout.
    if (this.redis.status !== 'ready') {
      this.warnStoreFailure(new Error(`redis connection is ${this.redis.status}`));
      return true;
    }
    try {
      return await super.canActivate(context);
    } catch (error) {
      if (error instanceof HttpException) throw error;
      this.warnStoreFailure(error);
      return true;
    }
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const user = getAuthUser(request);
    if (user) return `user:${user.id}`;
    return `ip:${await super.getTracker(request)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    // The storage appends the throttler's name.
    return `${this.config.RATE_LIMIT_PREFIX}:${tracker}`;
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('retry-after', String(retryAfter));
    throw new AppError({
      status: 429,
      code: ErrorCode.TOO_MANY_REQUESTS,
      message: `Too many requests: at most ${detail.limit} per ${formatSeconds(detail.ttl)}; retry in ${retryAfter} s`,
    });
  }

  private warnStoreFailure(error: unknown): void {
    const now = Date.now();
    if (now - this.lastStoreWarning < STORE_WARNING_INTERVAL_MS) return;
    this.lastStoreWarning = now;
    this.rootLogger.warn(
      { err: error },
      'rate limits not enforced: the counter store (Redis) failed; letting requests through',
    );
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
