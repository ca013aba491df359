import { decideAttempt, normaliseIp, remainingLockMs, retryAfterSeconds } from './lockout';

describe('lockout arithmetic', () => {
  const limits = { maxPerAccount: 3, maxPerIp: 10 };

  it('allows attempts up to the limit and locks the one past it', () => {
    expect(decideAttempt(1, 1, limits)).toEqual({ allowed: true });
    expect(decideAttempt(3, 10, limits)).toEqual({ allowed: true });
    expect(decideAttempt(4, 1, limits)).toEqual({ allowed: false, lock: ['account'] });
    expect(decideAttempt(1, 11, limits)).toEqual({ allowed: false, lock: ['ip'] });
    expect(decideAttempt(4, 11, limits)).toEqual({ allowed: false, lock: ['account', 'ip'] });
  });

  it('takes the longest remaining lock, ignoring missing keys', () => {
    expect(remainingLockMs([-2, -2], 900_000)).toBeUndefined();
    expect(remainingLockMs([1200, -2], 900_000)).toBe(1200);
    expect(remainingLockMs([1200, 5000], 900_000)).toBe(5000);
    expect(remainingLockMs([0, -2], 900_000)).toBeUndefined();
  });

  it('treats a lock key without expiry as a full lockout', () => {
    expect(remainingLockMs([-1, -2], 900_000)).toBe(900_000);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(900_000)).toBe(900);
  });

  it('counts an IPv4 client the same over IPv4 and IPv6 sockets', () => {
    expect(normaliseIp('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(normaliseIp('203.0.113.9')).toBe('203.0.113.9');
    expect(normaliseIp('2001:DB8::1')).toBe('2001:db8::1');
    expect(normaliseIp(undefined)).toBe('unknown');
  });
});
