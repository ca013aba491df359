import { analyticsProcessorEnv } from '@commerce/analytics';
import { JWKS_PATH, ServiceBodyLimit, ServicePort } from '@commerce/contracts';
import { type ConfigOf, baseConfigSchema, envInt, envPort, envUrl } from '@commerce/nest-kit';
import { notificationProcessorsEnv } from '@commerce/notifications';
import { z } from 'zod';

/**
 * The workers process's environment (see services/workers/README.md for each variable): its own
 * plus the notifications processors' (notificationProcessorsEnv: MONGO_URL, REDIS_URL,
 * QUEUE_PREFIX, SMTP_*, MAIL_FROM, EMAIL_*, CAMPAIGN_*, WORKER_*) and the analytics processor's
 * (analyticsProcessorEnv: DATABASE_URL, DATABASE_POOL_SIZE, ANALYTICS_CONCURRENCY), passed through.
 */
export const workersConfigSchema = baseConfigSchema.extend({
  ...notificationProcessorsEnv,
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('workers'),
  PORT: envPort().default(ServicePort.workers),
  BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.workers),
  /** The auth service's JWKS, which verifies access tokens (Bull Board). */
  AUTH_JWKS_URL: envUrl(['http:', 'https:']).default(
    `http://127.0.0.1:${ServicePort.auth}${JWKS_PATH}`,
  ),
  /** The analytics processor's read model and concurrency (see services/analytics/README.md). */
  ...analyticsProcessorEnv,
  /**
   * The path under which browsers see Bull Board (the UI loads its files and API relative to it):
   * through the gateway, `/api/admin/queues`.
   */
  BULL_BOARD_BASE_PATH: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, 'expected an absolute URL path such as /api/admin/queues')
    .default('/api/admin/queues'),
});

export type WorkersConfig = ConfigOf<typeof workersConfigSchema>;
