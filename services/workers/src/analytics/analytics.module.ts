import { AnalyticsPublisher } from '@commerce/analytics-publisher';
import { APP_CONFIG } from '@commerce/nest-kit';
import { Logger, Module } from '@nestjs/common';
import type { WorkersConfig } from '../config';
import { AdminAnalyticsController, InternalAnalyticsController } from './analytics.controller';
import { AnalyticsProcessor } from './analytics.processor';
import { AnalyticsStore } from './analytics.store';

/**
 * The `analytics` queue: the internal route producers post events to, the processor folding them
 * into the PostgreSQL read model, and the admin summary over it.
 */
@Module({
  controllers: [InternalAnalyticsController, AdminAnalyticsController],
  providers: [
    AnalyticsStore,
    AnalyticsProcessor,
    {
      // The route reports a failed enqueue (503) so the caller retries: always enabled.
      provide: AnalyticsPublisher,
      inject: [APP_CONFIG],
      useFactory: (config: WorkersConfig) =>
        new AnalyticsPublisher({
          redisUrl: config.REDIS_URL,
          prefix: config.QUEUE_PREFIX,
          timeoutMs: config.ANALYTICS_ENQUEUE_TIMEOUT_MS,
          connectionName: `${config.SERVICE_NAME}:analytics-producer`,
          logger: new Logger('AnalyticsPublisher'),
        }),
    },
  ],
  exports: [AnalyticsProcessor],
})
export class AnalyticsModule {}
