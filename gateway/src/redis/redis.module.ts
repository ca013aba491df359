import { APP_CONFIG, ROOT_LOGGER } from '@commerce/nest-kit';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';

/** The gateway's Redis client: rate-limit counters and revoked-token lookups. */
export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');

// One log line per outage, not one per reconnect attempt.
const ERROR_LOG_INTERVAL_MS = 30_000;

// How long the start waits for the first connection; without Redis the gateway still starts.
const FIRST_CONNECT_WAIT_MS = 2000;

async function createGatewayRedis(config: GatewayConfig, logger: Logger): Promise<Redis> {
  const redis = new Redis(config.REDIS_URL, {
    connectionName: config.SERVICE_NAME,
    // A command waits for a reconnect only briefly; callers decide what an outage means
    // (the rate limiter lets traffic through, the token check answers 503).
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // ioredis arms this timer on disconnect even when Redis was down and the socket is already
    // gone; the default (2 s) would hold a stopping process that long.
    disconnectTimeout: 100,
    // Commands issued while the event loop handles one batch of sockets (rate-limit counts and
    // revocation lookups of concurrent requests) leave in one write and come back in one read:
    // socket writes were the largest item of the gateway's CPU profile under load.
    enableAutoPipelining: true,
  });
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn({ err: error }, `redis: ${error.message}`);
  });
  // Rate limits count from the first request on, so the start waits (briefly) until it can count.
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, FIRST_CONNECT_WAIT_MS);
    redis.once('ready', done);
  });
  return redis;
}

@Injectable()
class GatewayRedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_REDIS) private readonly redis: Redis) {}

  // Nest calls this after the HTTP server has drained, so no request still needs the client.
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: GATEWAY_REDIS,
      inject: [APP_CONFIG, ROOT_LOGGER],
      useFactory: createGatewayRedis,
    },
    GatewayRedisLifecycle,
  ],
  exports: [GATEWAY_REDIS],
})
export class GatewayRedisModule {}
