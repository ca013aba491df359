import { Redis } from 'ioredis';
import { assertOneSlot, redisHashSlot, redisScript } from './redis-script';

describe('Redis Cluster hash slots', () => {
  it('computes the slots of the Redis Cluster specification', () => {
    // CRC16 of "123456789" is 0x31C3 (the spec's test vector); slots keep its low 14 bits.
    expect(redisHashSlot('123456789')).toBe(0x31c3 & 0x3fff);
    // Only the hash tag counts, and only the first one.
    expect(redisHashSlot('{user1000}.following')).toBe(redisHashSlot('user1000'));
    expect(redisHashSlot('{commerce}:campaign:{c1}')).toBe(redisHashSlot('commerce'));
  });

  it('refuses script keys that a cluster would answer with CROSSSLOT', () => {
    expect(() =>
      assertOneSlot('campaignClaim', ['a:{c1}:status', 'a:{c1}:counters']),
    ).not.toThrow();
    expect(() => assertOneSlot('campaignClaim', ['a:{c1}:status', 'a:suppressed'])).toThrow(
      /campaignClaim: keys a:\{c1\}:status, a:suppressed are in different Redis Cluster hash slots/,
    );
  });

  it('rejects a script call across slots before anything is sent', async () => {
    // Never connected: the call must fail on the key names alone.
    const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });
    const script = redisScript(redis, 'twoKeys', "return redis.call('GET', KEYS[1])");
    await expect(script(['a:{c1}:x', 'b:{c2}:y'], [])).rejects.toThrow(
      /twoKeys: keys a:\{c1\}:x, b:\{c2\}:y are in different Redis Cluster hash slots/,
    );
    redis.disconnect();
  });
});
