import { clientAddressKey } from '@commerce/nest-kit';

/** Limits on failed sign-in attempts (login and client credentials). */
export interface LockoutLimits {
  /** Attempts per (account, client address) in one window; the next one locks that pair only. */
  readonly maxPerAccountAndIp: number;
  /** Attempts per client address across accounts (a shop's NAT carries many customers). */
  readonly maxPerIp: number;
  /**
   * Attempts per account from all addresses before the account is slowed down (one attempt per
   * `slowdownMs`): far above `maxPerAccountAndIp`, and never a lock, so a stranger spreading
   * guesses over many addresses cannot keep the owner out.
   */
  readonly slowdownAfterPerAccount: number;
  readonly slowdownMs: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

export type LockScope = 'pair' | 'ip';

export interface AttemptCounts {
  /** Attempts of this account from this address (undefined: not counted, e.g. a service account). */
  readonly pair?: number;
  readonly ip: number;
  /** Attempts of this account from all addresses (undefined: not counted). */
  readonly account?: number;
}

export type AttemptDecision =
  | { readonly allowed: true; readonly slowDown: boolean }
  | { readonly allowed: false; readonly lock: readonly LockScope[] };

/**
 * After counting an attempt (counters include attempts still being checked, so parallel guesses
 * cannot slip past the limit): the pair or address over its limit gets locked; an account over
 * its ceiling is only slowed down.
 */
export function decideAttempt(
  counts: AttemptCounts,
  limits: Pick<LockoutLimits, 'maxPerAccountAndIp' | 'maxPerIp' | 'slowdownAfterPerAccount'>,
): AttemptDecision {
  const lock: LockScope[] = [];
  if (counts.pair !== undefined && counts.pair > limits.maxPerAccountAndIp) lock.push('pair');
  if (counts.ip > limits.maxPerIp) lock.push('ip');
  if (lock.length > 0) return { allowed: false, lock };
  return {
    allowed: true,
    slowDown: counts.account !== undefined && counts.account > limits.slowdownAfterPerAccount,
  };
}

/**
 * Remaining lock time from the PTTLs of the lock keys (Redis: -2 missing, -1 no expiry), or
 * undefined when none is locked. A lock without expiry counts as a full lockout.
 */
export function remainingLockMs(pttls: readonly number[], lockoutMs: number): number | undefined {
  let remaining: number | undefined;
  for (const pttl of pttls) {
    const ms = pttl === -1 ? lockoutMs : pttl;
    if (ms > 0) remaining = Math.max(remaining ?? 0, ms);
  }
  return remaining;
}

/** Retry-After in whole seconds, rounded up, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The counter key of a client address: IPv4 as is, IPv6 by its /64 (one subscriber's block). */
export function normaliseIp(ip: string | undefined): string {
  return clientAddressKey(ip);
}
