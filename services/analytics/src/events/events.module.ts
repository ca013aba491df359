import { AnalyticsPublisher } from '@commerce/analytics-publisher';
import { APP_CONFIG } from '@commerce/nest-kit';
import { Logger, Module } from '@nestjs/common';
import type { AnalyticsConfig } from '../config';
import { InternalAnalyticsController } from './events.controller';

/** The internal route producers post events to, which puts them on the `analytics` queue. */
@Module({
  controllers: [InternalAnalyticsController],
  providers: [
    {
      // The route reports a failed enqueue (503) so the caller retries: always enabled.
      provide: AnalyticsPublisher,
      inject: [APP_CONFIG],
      useFactory: (config: AnalyticsConfig) =>
        new AnalyticsPublisher({
          redisUrl: config.REDIS_URL,
          prefix: config.QUEUE_PREFIX,
          timeoutMs: config.ANALYTICS_ENQUEUE_TIMEOUT_MS,
          connectionName: `${config.SERVICE_NAME}:analytics-producer`,
          logger: new Logger('AnalyticsPublisher'),
        }),
    },
  ],
})
export class EventsModule {}
