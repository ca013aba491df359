import { AnalyticsPublisher, analyticsPublisherProvider } from '@commerce/analytics-publisher';
import { APP_CONFIG, MetricsService } from '@commerce/nest-kit';
import { Global, Logger, Module } from '@nestjs/common';

/**
 * Analytics events of the orders service (cart created, checkout started) onto the `analytics`
 * queue, best effort: publishing never slows or fails a request (ANALYTICS_ENQUEUE_TIMEOUT_MS,
 * ANALYTICS_ENABLED). Outcomes are counted as `analytics.publish` business operations.
 */
@Global()
@Module({
  providers: [
    analyticsPublisherProvider<[MetricsService]>(APP_CONFIG, {
      inject: [MetricsService],
      build: (metrics) => ({
        logger: new Logger('AnalyticsPublisher'),
        onOutcome: (outcome) => metrics.recordBusinessOperation('analytics.publish', outcome),
      }),
    }),
  ],
  exports: [AnalyticsPublisher],
})
export class OrdersAnalyticsModule {}
