import { decideAttempt, normaliseIp, remainingLockMs, retryAfterSeconds } from './lockout';

describe('lockout arithmetic', () => {
  const limits = { maxPerAccountAndIp: 3, maxPerIp: 10, slowdownAfterPerAccount: 20 };

  it('locks the (account, address) pair or the address past its limit, never the account', () => {
    expect(decideAttempt({ pair: 1, ip: 1, account: 1 }, limits)).toEqual({
      allowed: true,
      slowDown: false,
    });
    expect(decideAttempt({ pair: 3, ip: 10, account: 3 }, limits)).toEqual({
      allowed: true,
      slowDown: false,
    });
    expect(decideAttempt({ pair: 4, ip: 1, account: 4 }, limits)).toEqual({
      allowed: false,
      lock: ['pair'],
    });
    expect(decideAttempt({ pair: 1, ip: 11, account: 1 }, limits)).toEqual({
      allowed: false,
      lock: ['ip'],
    });
    expect(decideAttempt({ pair: 4, ip: 11 }, limits)).toEqual({
      allowed: false,
      lock: ['pair', 'ip'],
    });
  });

  it('only slows an account down past its ceiling', () => {
    expect(decideAttempt({ pair: 1, ip: 1, account: 21 }, limits)).toEqual({
      allowed: true,
      slowDown: true,
    });
  });

  it('counts a service account by address only', () => {
    expect(decideAttempt({ ip: 10 }, limits)).toEqual({ allowed: true, slowDown: false });
    expect(decideAttempt({ ip: 11 }, limits)).toEqual({ allowed: false, lock: ['ip'] });
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

  it('counts an IPv4 client the same over IPv4 and IPv6 sockets, IPv6 by /64', () => {
    expect(normaliseIp('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(normaliseIp('203.0.113.9')).toBe('203.0.113.9');
    expect(normaliseIp('2001:DB8::1')).toBe('2001:db8:0:0::/64');
    expect(normaliseIp(undefined)).toBe('unknown');
  });
});
