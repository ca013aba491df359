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
 */
export function redisScript(redis: Redis, name: string, lua: string): RedisScript {
  redis.defineCommand(name, { lua });
  const command = (redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
    name
  ];
  if (!command) throw new Error(`ioredis did not define the command ${name}`);
  return (keys, args) => command.call(redis, keys.length, ...keys, ...args);
}
