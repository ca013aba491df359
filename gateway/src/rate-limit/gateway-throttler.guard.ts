import {
  AppError,
  ErrorCode,
  InjectConfig,
  ROOT_LOGGER,
  clientAddressKey,
  getAuthUser,
} from '@commerce/nest-kit';
import { type ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../config';
import { GATEWAY_REDIS } from '../redis/redis.module';

// One warning per outage of the counter store, not one per request.
const STORE_WARNING_INTERVAL_MS = 30_000;

/** Throttler names (rate-limit.module.ts) by the phase that counts them. */
export const ADDRESS_THROTTLERS: readonly string[] = ['address', 'auth'];
export const USER_THROTTLERS: readonly string[] = ['user'];

/**
 * @nestjs/throttler with the gateway's policies, in two phases:
 * - AddressThrottlerGuard (global, so every route: the API, /health, /metrics, /docs, the board
 *   session) counts the client address (`ip:<addr>`, IPv6 by /64) before any token work, so a
 *   flood of invalid or forged tokens is refused with 429 like any other flood;
 * - UserThrottlerGuard, after the edge token check on the API, counts the verified user.
 * Counters live in Redis under RATE_LIMIT_PREFIX (one per client and throttler for the whole API),
 * so every gateway instance sharing the prefix enforces one limit. A refusal is 429
 * TOO_MANY_REQUESTS in the shared error shape with `Retry-After`. When Redis cannot count,
 * requests pass (logged): an outage of the counter store must not take the shop offline.
 */
// The phases inherit this constructor and its injection metadata (Nest reads both through the
// prototype chain), so they declare none of their own.
@Injectable()
abstract class PhasedThrottlerGuard extends ThrottlerGuard {
  private lastStoreWarning = 0;
  protected abstract readonly phase: readonly string[];

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
    if (context.getType() !== 'http') return true;
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

  protected override handleRequest(props: ThrottlerRequest): Promise<boolean> {
    if (!this.phase.includes(props.throttler.name ?? '')) return Promise.resolve(true);
    return super.handleRequest(props);
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

/** Every request, by the address the gateway saw (X-Forwarded-For only from TRUST_PROXY peers). */
@Injectable()
export class AddressThrottlerGuard extends PhasedThrottlerGuard {
  protected readonly phase = ADDRESS_THROTTLERS;

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(`ip:${clientAddressKey((request as unknown as FastifyRequest).ip)}`);
  }
}

/** Requests the edge check authenticated, by user; runs after the token check. */
@Injectable()
export class UserThrottlerGuard extends PhasedThrottlerGuard {
  protected readonly phase = USER_THROTTLERS;

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(!getAuthUser(context.switchToHttp().getRequest<object>()));
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(`user:${getAuthUser(request)?.id ?? 'anonymous'}`);
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
