/** Limits on failed sign-in attempts (login and client credentials). */
export interface LockoutLimits {
  /** Attempts allowed per account in one window; the next one locks the account. */
  readonly maxPerAccount: number;
  /** Same per client address, with a higher ceiling (a shop's NAT carries many customers). */
  readonly maxPerIp: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

export type LockScope = 'account' | 'ip';

export type AttemptDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly lock: readonly LockScope[] };

/**
 * After counting an attempt (counters include attempts still being checked, so parallel guesses
 * cannot slip past the limit): allowed while both counts are within their limit; otherwise the
 * scopes over their limit get locked.
 */
export function decideAttempt(
  accountCount: number,
  ipCount: number,
  limits: Pick<LockoutLimits, 'maxPerAccount' | 'maxPerIp'>,
): AttemptDecision {
  const lock: LockScope[] = [];
  if (accountCount > limits.maxPerAccount) lock.push('account');
  if (ipCount > limits.maxPerIp) lock.push('ip');
  return lock.length === 0 ? { allowed: true } : { allowed: false, lock };
}

/**
 * Remaining lock time from the PTTLs of the lock keys (Redis: -2 missing, -1 no expiry), or
 * undefined when neither is locked. A lock without expiry counts as a full lockout.
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

/** `::ffff:10.0.0.1` -> `10.0.0.1`, so one client is one counter whatever the socket family. */
export function normaliseIp(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return (mapped?.[1] ?? ip).toLowerCase();
}
