import Redis from 'ioredis';
import { testEndpoints, uniqueName } from '../index';

describe('Redis (real server)', () => {
  const redis = new Redis(testEndpoints.redisUrl, { lazyConnect: true });
  beforeAll(() => redis.connect());
  afterAll(() => redis.quit());

  it('round-trips a value with an expiry', async () => {
    const key = uniqueName('proof');
    await redis.set(key, 'hello', 'EX', 30);
    expect(await redis.get(key)).toBe('hello');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
    await redis.del(key);
    expect(await redis.get(key)).toBeNull();
  });
});
