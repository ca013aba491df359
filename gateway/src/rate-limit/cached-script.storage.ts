import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

const COMMAND = 'gatewayThrottleIncrement';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

type WithCommand = Redis & {
  [COMMAND](...args: (string | number)[]): Promise<unknown>;
};

/**
 * The library's storage, with its script and semantics, sent as EVALSHA instead of EVAL: it
 * ships its whole Lua source on every request, which on the gateway's hot path cost a visible
 * share of CPU (socket writes of the script) under load. ioredis' `defineCommand` sends the
 * script once per connection and its SHA afterwards, falling back to EVAL after a SCRIPT FLUSH.
 */
export class CachedScriptThrottlerStorage extends ThrottlerStorageRedisService {
  private readonly client: WithCommand;

  constructor(redis: Redis) {
    super(redis);
    redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: this.scriptSrc });
    this.client = redis as WithCommand;
  }

  override async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const hitKey = `{${key}:${throttlerName}}:hits`;
    const blockKey = `{${key}:${throttlerName}}:blocked`;
    const result = await this.client[COMMAND](
      hitKey,
      blockKey,
      throttlerName,
      ttl,
      limit,
      blockDuration,
    );
    if (
      !Array.isArray(result) ||
      result.length !== 4 ||
      !result.every((v) => typeof v === 'number')
    ) {
      throw new TypeError(`unexpected rate-limit script result ${JSON.stringify(result)}`);
    }
    const [totalHits, timeToExpire, isBlocked, timeToBlockExpire] = result;
    return {
      totalHits: totalHits!,
      timeToExpire: Math.ceil(timeToExpire! / 1000),
      isBlocked: isBlocked === 1,
      timeToBlockExpire: Math.ceil(timeToBlockExpire! / 1000),
    };
  }
}
