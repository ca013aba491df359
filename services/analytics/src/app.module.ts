import {
  APP_CONFIG,
  type CreateAppOptions,
  KitAuthModule,
  redisHealthIndicator,
} from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import type { AnalyticsConfig } from './config';
import { postgresHealthIndicator } from './database/postgres-health';
import { EventsModule } from './events/events.module';
import { SummaryModule } from './summary/summary.module';

/**
 * The analytics API (src/main.ts): the internal route producers post events to and the admin
 * summary over the read model, plus the kit's /health, /metrics and /docs. The processor that
 * fills the read model runs elsewhere (src/processors.main.ts, or a host of
 * AnalyticsProcessorsModule).
 */
@Module({
  imports: [
    // App-wide: every route needs a verified token unless @Public (the kit's /health, /metrics).
    KitAuthModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AnalyticsConfig) => ({
        jwksUrl: config.AUTH_JWKS_URL,
        redisUrl: config.REDIS_URL,
      }),
    }),
    EventsModule,
    SummaryModule,
  ],
})
export class AppModule {}

/** What the analytics API adds to the kit; main.ts and the tests share it. */
export function analyticsAppOptions(config: AnalyticsConfig): Omit<CreateAppOptions, 'config'> {
  return {
    health: {
      indicators: [redisHealthIndicator({ url: config.REDIS_URL }), postgresHealthIndicator],
    },
    openApi: {
      title: 'Analytics',
      description: 'The analytics read model: the admin summary and the internal event route.',
      version: '0.1.0',
    },
  };
}
