import type { Redis } from 'ioredis';
import { type HitOutcome, WindowCounter } from './window-counter';

const LIMIT = { name: 'address', limit: 3, ttlMs: 60_000 };

/**
 * Redis as far as the counter uses it: the script's effect on one key (hits, block), answered
 * only when the test says, so it can hold a call "in flight" while more hits arrive.
 */
class ScriptedRedis {
  readonly calls: { hitKey: string; blockKey: string; hits: number }[] = [];
  private readonly answers: (() => void)[] = [];
  private readonly hits = new Map<string, number>();
  private readonly blocked = new Set<string>();
  failNext = false;

  defineCommand(name: string): void {
    Object.assign(this, {
      [name]: (
        _keys: number,
        hitKey: string,
        blockKey: string,
        hits: number,
        ttl: number,
        limit: number,
      ) => {
        this.calls.push({ hitKey, blockKey, hits });
        return new Promise((resolve, reject) => {
          this.answers.push(() => {
            if (this.failNext) {
              this.failNext = false;
              reject(new Error('connection lost'));
              return;
            }
            const total = (this.hits.get(hitKey) ?? 0) + hits;
            this.hits.set(hitKey, total);
            if (this.blocked.has(blockKey)) return resolve([total, ttl, 1, 42_500]);
            if (total > limit) this.blocked.add(blockKey);
            resolve([total, ttl, 0, 0]);
          });
        });
      },
    });
  }

  /** Lets the oldest call in flight complete. */
  async answer(): Promise<void> {
    this.answers.shift()?.();
    // The counter's continuation (settling, sending the next batch) runs on promise callbacks.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function setup(): { redis: ScriptedRedis; counter: WindowCounter } {
  const redis = new ScriptedRedis();
  return { redis, counter: new WindowCounter(redis as unknown as Redis) };
}

describe('WindowCounter', () => {
  it('sends a lone hit at once, with the library keys of the window and its block', async () => {
    const { redis, counter } = setup();
    const outcome = counter.hit('rl:ip:1', LIMIT);
    expect(redis.calls).toEqual([
      { hitKey: '{rl:ip:1:address}:hits', blockKey: '{rl:ip:1:address}:blocked', hits: 1 },
    ]);
    await redis.answer();
    await expect(outcome).resolves.toEqual({ blocked: false, totalHits: 1, resetSeconds: 60 });
  });

  it('counts the hits that arrive while a call is out as one call, each at its own place', async () => {
    const { redis, counter } = setup();
    const outcomes: Promise<HitOutcome>[] = [counter.hit('k', LIMIT)];
    for (let i = 0; i < 4; i += 1) outcomes.push(counter.hit('k', LIMIT));
    expect(redis.calls.map((c) => c.hits)).toEqual([1]);
    await redis.answer();
    expect(redis.calls.map((c) => c.hits)).toEqual([1, 4]);
    await redis.answer();
    // Limit 3: the first three in arrival order pass; the rest are refused for a whole window.
    expect(await Promise.all(outcomes)).toEqual([
      { blocked: false, totalHits: 1, resetSeconds: 60 },
      { blocked: false, totalHits: 2, resetSeconds: 60 },
      { blocked: false, totalHits: 3, resetSeconds: 60 },
      { blocked: true, retryAfterSeconds: 60 },
      { blocked: true, retryAfterSeconds: 60 },
    ]);
    // A blocked key answers with the block's own time left.
    const later = counter.hit('k', LIMIT);
    await redis.answer();
    await expect(later).resolves.toEqual({ blocked: true, retryAfterSeconds: 43 });
  });

  it('keeps keys apart and forgets a key once nothing of it is waiting', async () => {
    const { redis, counter } = setup();
    const a = counter.hit('a', LIMIT);
    const b = counter.hit('b', LIMIT);
    expect(redis.calls.map((c) => c.hitKey)).toEqual(['{a:address}:hits', '{b:address}:hits']);
    await redis.answer();
    await redis.answer();
    await Promise.all([a, b]);
    // Nothing in flight for `a` any more: the next hit goes out at once again.
    void counter.hit('a', LIMIT);
    expect(redis.calls).toHaveLength(3);
  });

  it('fails every hit of a batch Redis could not count, then goes on with the next', async () => {
    const { redis, counter } = setup();
    const first = counter.hit('k', LIMIT);
    const second = counter.hit('k', LIMIT);
    const third = counter.hit('k', LIMIT);
    await redis.answer();
    await expect(first).resolves.toMatchObject({ blocked: false, totalHits: 1 });
    redis.failNext = true;
    await redis.answer();
    await expect(second).rejects.toThrow('connection lost');
    await expect(third).rejects.toThrow('connection lost');
    const fourth = counter.hit('k', LIMIT);
    await redis.answer();
    await expect(fourth).resolves.toMatchObject({ blocked: false, totalHits: 2 });
  });
});
