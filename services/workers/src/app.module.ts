import { type AnalyticsProcessorConfig, AnalyticsProcessorsModule } from '@commerce/analytics';
import {
  APP_CONFIG,
  type CreateAppOptions,
  KitAuthModule,
  redisHealthIndicator,
} from '@commerce/nest-kit';
import { NotificationProcessorsModule, deliveryMongoHealth } from '@commerce/notifications';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkersConfig } from './config';
import { QueuesModule } from './queues/queues.module';

/**
 * The workers process, a host of BullMQ processors: the notifications context's (transactional and
 * campaign email, from @commerce/notifications, which owns their code and state) and the analytics
 * context's (from @commerce/analytics, likewise), plus a look at all the queues (Bull Board, queue
 * gauges). Over HTTP: Bull Board, and the kit's /health and /metrics.
 */
@Module({
  imports: [
    // App-wide: every route needs a verified token unless @Public (the kit's /health, /metrics).
    KitAuthModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: WorkersConfig) => ({
        jwksUrl: config.AUTH_JWKS_URL,
        redisUrl: config.REDIS_URL,
      }),
    }),
    // The host's config spreads notificationProcessorsEnv: the processors read it as it is.
    NotificationProcessorsModule.forRoot((config: WorkersConfig) => config),
    // Likewise analyticsProcessorEnv: the analytics processor and its read model (PostgreSQL).
    AnalyticsProcessorsModule,
    QueuesModule,
  ],
})
export class AppModule {}

// The analytics processor reads its variables from this process's config.
const _hostsAnalytics: AnalyticsProcessorConfig = {} as WorkersConfig;
void _hostsAnalytics;

/** What the workers process adds to the kit; main.ts and the tests share it. */
export function workersAppOptions(config: WorkersConfig): Omit<CreateAppOptions, 'config'> {
  return {
    health: {
      indicators: [
        deliveryMongoHealth,
        redisHealthIndicator({ url: config.REDIS_URL }),
        {
          name: 'postgres',
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => () => dataSource.query('select 1'),
        },
      ],
    },
    openApi: {
      title: 'Workers',
      description: 'BullMQ processors (email, campaign email, analytics) and Bull Board.',
      version: '0.1.0',
    },
  };
}
