import { APP_CONFIG } from '@commerce/nest-kit';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AuthConfig } from '../config';

/** Injection token of the service's ioredis client. */
export const REDIS = Symbol('AUTH_REDIS');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * One Redis connection for login counters and revoked jtis. A command fails after one retry
 * instead of queueing for long, so an outage becomes a prompt 503 rather than a hung login.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AuthConfig) => {
        const client = new Redis(config.REDIS_URL, {
          connectionName: 'auth',
          // Connects on the first command: a start that fails early leaves no socket behind.
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          connectTimeout: 2000,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        });
        // Errors surface on the commands that fail; the health check reports the outage.
        client.on('error', () => undefined);
        return client;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
