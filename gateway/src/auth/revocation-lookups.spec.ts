import { RevocationLookups } from './revocation-lookups';

function store(): { calls: string[][]; exists: (...keys: string[]) => Promise<number> } {
  const calls: string[][] = [];
  return {
    calls,
    exists: (...keys: string[]) => {
      calls.push(keys);
      return Promise.resolve(keys.length);
    },
  };
}

describe('RevocationLookups', () => {
  it('shares one lookup among the checks of one token started in the same turn', async () => {
    const redis = store();
    const lookups = new RevocationLookups(redis);
    const answers = [lookups.exists('jti:a'), lookups.exists('jti:a'), lookups.exists('jti:b')];
    expect(redis.calls).toEqual([['jti:a'], ['jti:b']]);
    expect(await Promise.all(answers)).toEqual([1, 1, 1]);
  });

  it('looks up again once the turn is over, so a later request sees a later revocation', async () => {
    const redis = store();
    const lookups = new RevocationLookups(redis);
    await lookups.exists('jti:a');
    await new Promise((resolve) => process.nextTick(resolve));
    await lookups.exists('jti:a');
    expect(redis.calls).toEqual([['jti:a'], ['jti:a']]);
  });

  it('passes lookups of several keys through', async () => {
    const redis = store();
    await expect(new RevocationLookups(redis).exists('a', 'b')).resolves.toBe(2);
    expect(redis.calls).toEqual([['a', 'b']]);
  });
});
