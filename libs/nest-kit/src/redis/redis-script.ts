import calculateSlot from 'cluster-key-slot';
import type { Redis } from 'ioredis';

/** A Lua script bound to one client: `run(keys, args)` evaluates it atomically in Redis. */
export type RedisScript = (
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<unknown>;

/**
 * Registers `lua` on `redis` with ioredis's `defineCommand`, which sends EVALSHA and falls back to
 * EVAL when the server does not have the script cached (after a restart or SCRIPT FLUSH). Without
 * `numberOfKeys` the command takes the key count as its first argument, so one script serves any
 * number of keys.
 *
 * A call whose keys are not all in one Redis Cluster hash slot is refused, on any Redis: a cluster
 * would answer CROSSSLOT, so keys that belong together need a common `{hash tag}`, and every test
 * run on a single server proves the key layout.
 */
export function redisScript(redis: Redis, name: string, lua: string): RedisScript {
  redis.defineCommand(name, { lua });
  const command = (redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
    name
  ];
  if (!command) throw new Error(`ioredis did not define the command ${name}`);
  return (keys, args) => {
    // A rejection like Redis's own CROSSSLOT, never a synchronous throw.
    const crossSlot = crossSlotError(name, keys);
    if (crossSlot) return Promise.reject(crossSlot);
    return command.call(redis, keys.length, ...keys, ...args);
  };
}

/** Throws unless `keys` share one Redis Cluster hash slot (what a multi-key command needs). */
export function assertOneSlot(what: string, keys: readonly string[]): void {
  const crossSlot = crossSlotError(what, keys);
  if (crossSlot) throw crossSlot;
}

function crossSlotError(what: string, keys: readonly string[]): Error | undefined {
  if (keys.length < 2 || calculateSlot.generateMulti(keys) !== -1) return undefined;
  return new Error(
    `${what}: keys ${keys.join(', ')} are in different Redis Cluster hash slots; give them a common {hash tag}`,
  );
}

/** The Redis Cluster hash slot (0..16383) of `key`, honouring `{hash tags}`. */
export function redisHashSlot(key: string): number {
  return calculateSlot(key);
}
