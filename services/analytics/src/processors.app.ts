import { type CreateAppOptions, redisHealthIndicator } from '@commerce/nest-kit';
import type { AnalyticsProcessorsConfig } from './config';
import { postgresHealthIndicator } from './database/postgres-health';

/**
 * What the processor entrypoint adds to the kit around AnalyticsProcessorsModule: /health checks
 * Redis (the queue) and PostgreSQL (the read model); no routes of its own, so no OpenAPI document.
 * processors.main.ts and the tests share it.
 */
export function analyticsProcessorsAppOptions(
  config: AnalyticsProcessorsConfig,
): Omit<CreateAppOptions, 'config'> {
  return {
    health: {
      indicators: [redisHealthIndicator({ url: config.REDIS_URL }), postgresHealthIndicator],
    },
    openApi: false,
  };
}
