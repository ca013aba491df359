import type { RevocationStore } from '@commerce/nest-kit';

/**
 * The revoked-token lookups of the edge token check, with the lookups of one token that start in
 * the same turn of the event loop sharing one EXISTS. A session's concurrent requests (and a flood
 * with one stolen token) then cost one Redis command per turn, not one per request.
 *
 * Still exact: a lookup is joined only until the end of the turn that started it (cleared on the
 * next tick), and ioredis writes it to Redis no earlier than that (auto-pipelining sends on
 * setImmediate). So every request that shares an answer reached the gateway before the command
 * was sent, and a token revoked before a request arrived is refused, as with a lookup of its own.
 */
export class RevocationLookups implements RevocationStore {
  private readonly pending = new Map<string, Promise<number>>();

  constructor(private readonly redis: RevocationStore) {}

  exists(...keys: string[]): Promise<number> {
    const [key] = keys;
    if (keys.length !== 1 || key === undefined) return this.redis.exists(...keys);
    const shared = this.pending.get(key);
    if (shared) return shared;
    const lookup = this.redis.exists(key);
    this.pending.set(key, lookup);
    process.nextTick(() => this.pending.delete(key));
    return lookup;
  }
}
