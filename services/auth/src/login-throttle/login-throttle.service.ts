import { InjectConfig, MetricsService } from '@commerce/nest-kit';
import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { AuthErrors } from '../common/auth-errors';
import type { AuthConfig } from '../config';
import { REDIS } from '../redis/redis.module';
import {
  type LockScope,
  type LockoutLimits,
  decideAttempt,
  normaliseIp,
  remainingLockMs,
  retryAfterSeconds,
} from './lockout';

/** An attempt that was counted; report its outcome with `succeeded` (failures need nothing). */
export interface AttemptTicket {
  readonly accountKey: string;
  readonly ipKey: string;
}

// DECR that never goes below zero or resurrects an expired counter.
const DECREMENT_IF_POSITIVE = `
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
if value > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * Brute-force protection in Redis, per account and per client address. Every attempt is counted
 * before the credentials are checked; a success takes it back (and clears the account's count),
 * so the counters hold failures plus attempts in flight. Past a limit the scope is locked for
 * the lockout period: 429 TOO_MANY_ATTEMPTS with Retry-After, credentials not even checked.
 * Redis unreachable means 503: without counting, guessing would be unlimited.
 */
@Injectable()
export class LoginThrottle {
  private readonly limits: LockoutLimits;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @InjectConfig() config: AuthConfig,
    private readonly metrics: MetricsService,
  ) {
    this.limits = {
      maxPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      windowMs: config.LOGIN_FAILURE_WINDOW_SECONDS * 1000,
      lockoutMs: config.LOGIN_LOCKOUT_SECONDS * 1000,
    };
    this.prefix = `${config.REDIS_KEY_PREFIX}throttle:`;
  }

  /**
   * Counts an attempt of `subject` (a normalised email, or `client:<id>`) from `ip`, or throws
   * 429 when either is locked or this attempt crosses a limit.
   */
  async attempt(
    operation: string,
    subject: string,
    ip: string | undefined,
  ): Promise<AttemptTicket> {
    // Hashed: no email addresses in Redis key names.
    const account = createHash('sha256').update(subject).digest('hex').slice(0, 32);
    const address = normaliseIp(ip);
    const keys = {
      account: `${this.prefix}count:acct:${account}`,
      ip: `${this.prefix}count:ip:${address}`,
      accountLock: `${this.prefix}lock:acct:${account}`,
      ipLock: `${this.prefix}lock:ip:${address}`,
    };
    return this.guard(async () => {
      const [accountLock, ipLock] = await Promise.all([
        this.redis.pttl(keys.accountLock),
        this.redis.pttl(keys.ipLock),
      ]);
      const locked = remainingLockMs([accountLock, ipLock], this.limits.lockoutMs);
      if (locked !== undefined) this.reject(operation, locked);

      const results = await this.redis
        .multi()
        .set(keys.account, 0, 'PX', this.limits.windowMs, 'NX')
        .incr(keys.account)
        .set(keys.ip, 0, 'PX', this.limits.windowMs, 'NX')
        .incr(keys.ip)
        .exec();
      const accountCount = Number(results?.[1]?.[1] ?? 0);
      const ipCount = Number(results?.[3]?.[1] ?? 0);
      const decision = decideAttempt(accountCount, ipCount, this.limits);
      if (!decision.allowed) {
        await this.lock(decision.lock, keys);
        this.reject(operation, this.limits.lockoutMs);
      }
      return { accountKey: keys.account, ipKey: keys.ip };
    });
  }

  /** The credentials were right: the account starts afresh, the address gets its attempt back. */
  async succeeded(ticket: AttemptTicket): Promise<void> {
    await this.guard(async () => {
      await this.redis.del(ticket.accountKey);
      await this.redis.eval(DECREMENT_IF_POSITIVE, 1, ticket.ipKey);
    });
  }

  private async lock(
    scopes: readonly LockScope[],
    keys: { account: string; ip: string; accountLock: string; ipLock: string },
  ): Promise<void> {
    const tx = this.redis.multi();
    for (const scope of scopes) {
      tx.set(scope === 'account' ? keys.accountLock : keys.ipLock, 1, 'PX', this.limits.lockoutMs);
      // The window starts afresh once the lockout ends.
      tx.del(scope === 'account' ? keys.account : keys.ip);
    }
    // The attempt was refused: it does not count against the scope that was not over its limit.
    if (!scopes.includes('account')) tx.eval(DECREMENT_IF_POSITIVE, 1, keys.account);
    if (!scopes.includes('ip')) tx.eval(DECREMENT_IF_POSITIVE, 1, keys.ip);
    await tx.exec();
  }

  private reject(operation: string, lockedMs: number): never {
    this.metrics.recordBusinessOperation(operation, 'locked');
    throw AuthErrors.tooManyAttempts(retryAfterSeconds(lockedMs));
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof HttpException) throw error;
      throw AuthErrors.unavailable('Sign-in', error);
    }
  }
}
