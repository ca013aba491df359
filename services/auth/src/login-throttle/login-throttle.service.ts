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
  readonly keys: AttemptKeys;
}

export interface AttemptKeys {
  /** Per (account, address); absent for service accounts, which are never locked. */
  readonly pair?: string;
  readonly pairLock?: string;
  readonly account?: string;
  readonly accountSlot?: string;
  readonly ip: string;
  readonly ipLock: string;
}

/** Who is signing in: a person (counted per account too) or a service account (per address only). */
export type AttemptSubject =
  | { readonly kind: 'user'; readonly email: string }
  | { readonly kind: 'service'; readonly clientId: string };

// DECR that never goes below zero or resurrects an expired counter.
const DECREMENT_IF_POSITIVE = `
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
if value > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/** The Redis keys of one attempt under `prefix` (REDIS_KEY_PREFIX plus `{throttle}:`). */
export function attemptKeys(
  prefix: string,
  subject: AttemptSubject,
  ip: string | undefined,
): AttemptKeys {
  const address = normaliseIp(ip);
  const ipKeys = {
    ip: `${prefix}count:ip:${address}`,
    ipLock: `${prefix}lock:ip:${address}`,
  };
  if (subject.kind === 'service') return ipKeys;
  // Hashed: no email addresses in Redis key names.
  const account = createHash('sha256').update(subject.email).digest('hex').slice(0, 32);
  return {
    ...ipKeys,
    pair: `${prefix}count:pair:${account}:${address}`,
    pairLock: `${prefix}lock:pair:${account}:${address}`,
    account: `${prefix}count:acct:${account}`,
    accountSlot: `${prefix}slot:acct:${account}`,
  };
}

/**
 * Brute-force protection in Redis that stops guessing without letting a stranger lock anyone out:
 * - per (account, client address): past LOGIN_MAX_FAILURES_PER_ACCOUNT_IP that pair is locked
 *   for LOGIN_LOCKOUT_SECONDS; the owner elsewhere is not affected;
 * - per client address across accounts: past LOGIN_MAX_FAILURES_PER_IP the address is locked;
 * - per account from all addresses: past LOGIN_ACCOUNT_SLOWDOWN_AFTER the account is slowed to
 *   one attempt per LOGIN_ACCOUNT_SLOWDOWN_SECONDS (429 with that short Retry-After), never locked;
 * - service accounts (client credentials) are counted per address only: their secrets are
 *   high-entropy, and locking them would stop checkout.
 * Every attempt is counted before the credentials are checked; a success takes it back. Redis
 * unreachable means 503: without counting, guessing would be unlimited.
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
      maxPerAccountAndIp: config.LOGIN_MAX_FAILURES_PER_ACCOUNT_IP,
      maxPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      slowdownAfterPerAccount: config.LOGIN_ACCOUNT_SLOWDOWN_AFTER,
      slowdownMs: config.LOGIN_ACCOUNT_SLOWDOWN_SECONDS * 1000,
      windowMs: config.LOGIN_FAILURE_WINDOW_SECONDS * 1000,
      lockoutMs: config.LOGIN_LOCKOUT_SECONDS * 1000,
    };
    // One hash tag for every throttle key: an attempt counts the address, the (account, address)
    // pair and the account in one MULTI, which a Redis Cluster allows only within one slot.
    this.prefix = `${config.REDIS_KEY_PREFIX}{throttle}:`;
  }

  /** Counts an attempt of `subject` from `ip`, or throws 429 TOO_MANY_ATTEMPTS with Retry-After. */
  async attempt(
    operation: string,
    subject: AttemptSubject,
    ip: string | undefined,
  ): Promise<AttemptTicket> {
    const keys = this.keysOf(subject, ip);
    return this.guard(async () => {
      const lockKeys = [keys.ipLock, ...(keys.pairLock ? [keys.pairLock] : [])];
      const pttls = await Promise.all(lockKeys.map((key) => this.redis.pttl(key)));
      const locked = remainingLockMs(pttls, this.limits.lockoutMs);
      if (locked !== undefined) this.reject(operation, locked);

      const counters = [keys.ip, keys.pair, keys.account].filter(
        (key): key is string => key !== undefined,
      );
      const tx = this.redis.multi();
      for (const key of counters) tx.set(key, 0, 'PX', this.limits.windowMs, 'NX').incr(key);
      const results = (await tx.exec()) ?? [];
      const count = (key: string | undefined) => {
        const index = key === undefined ? -1 : counters.indexOf(key);
        return index === -1 ? undefined : Number(results[index * 2 + 1]?.[1] ?? 0);
      };
      const decision = decideAttempt(
        { ip: count(keys.ip) ?? 0, pair: count(keys.pair), account: count(keys.account) },
        this.limits,
      );
      if (!decision.allowed) {
        await this.lock(decision.lock, keys);
        this.reject(operation, this.limits.lockoutMs);
      }
      if (decision.slowDown && keys.accountSlot) {
        // One attempt per slot for an account under a distributed guess; the rest wait briefly.
        const took = await this.redis.set(keys.accountSlot, 1, 'PX', this.limits.slowdownMs, 'NX');
        if (took !== 'OK') {
          await this.giveBack(keys);
          const wait = await this.redis.pttl(keys.accountSlot);
          this.reject(operation, wait > 0 ? wait : this.limits.slowdownMs, 'slowed');
        }
      }
      return { keys };
    });
  }

  /** The credentials were right: the pair and account start afresh, the address gets its attempt back. */
  async succeeded(ticket: AttemptTicket): Promise<void> {
    const { keys } = ticket;
    await this.guard(async () => {
      const tx = this.redis.multi();
      if (keys.pair) tx.del(keys.pair);
      if (keys.account) tx.eval(DECREMENT_IF_POSITIVE, 1, keys.account);
      tx.eval(DECREMENT_IF_POSITIVE, 1, keys.ip);
      await tx.exec();
    });
  }

  private keysOf(subject: AttemptSubject, ip: string | undefined): AttemptKeys {
    return attemptKeys(this.prefix, subject, ip);
  }

  private async lock(scopes: readonly LockScope[], keys: AttemptKeys): Promise<void> {
    const tx = this.redis.multi();
    for (const scope of scopes) {
      const [lockKey, countKey] =
        scope === 'pair' ? [keys.pairLock, keys.pair] : [keys.ipLock, keys.ip];
      if (!lockKey || !countKey) continue;
      tx.set(lockKey, 1, 'PX', this.limits.lockoutMs);
      // The window starts afresh once the lockout ends.
      tx.del(countKey);
    }
    // The attempt was refused: it does not count against the scopes that were within limits.
    if (keys.pair && !scopes.includes('pair')) tx.eval(DECREMENT_IF_POSITIVE, 1, keys.pair);
    if (!scopes.includes('ip')) tx.eval(DECREMENT_IF_POSITIVE, 1, keys.ip);
    if (keys.account) tx.eval(DECREMENT_IF_POSITIVE, 1, keys.account);
    await tx.exec();
  }

  /** An attempt refused before any check does not count anywhere. */
  private async giveBack(keys: AttemptKeys): Promise<void> {
    const tx = this.redis.multi();
    for (const key of [keys.ip, keys.pair, keys.account]) {
      if (key) tx.eval(DECREMENT_IF_POSITIVE, 1, key);
    }
    await tx.exec();
  }

  private reject(operation: string, waitMs: number, outcome = 'locked'): never {
    this.metrics.recordBusinessOperation(operation, outcome);
    throw AuthErrors.tooManyAttempts(retryAfterSeconds(waitMs));
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
