import { APP_CONFIG } from '@commerce/nest-kit';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { WorkersConfig } from '../config';

/**
 * Injection token of the Redis client for delivery state: the email claim guards and the campaign
 * recipients, counters and status keys (BullMQ keeps its own connections).
 */
export const DELIVERY_REDIS = Symbol('DELIVERY_REDIS');

/** Closes the client after every job has stopped (onApplicationShutdown runs last). */
@Injectable()
class DeliveryRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(DELIVERY_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DELIVERY_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: WorkersConfig): Redis => {
        const redis = new Redis(config.REDIS_URL, {
          connectionName: `${config.SERVICE_NAME}:delivery`,
          maxRetriesPerRequest: 3,
        });
        redis.on('error', () => undefined); // the jobs see the failures
        return redis;
      },
    },
    DeliveryRedisCloser,
  ],
  exports: [DELIVERY_REDIS],
})
export class DeliveryRedisModule {}
