import { JWKS_PATH, ServiceBodyLimit, ServicePort } from '@commerce/contracts';
import { type ConfigOf, baseConfigSchema, envInt, envPort, envUrl } from '@commerce/nest-kit';
import { notificationProcessorsEnv } from '@commerce/notifications';
import { z } from 'zod';

/**
 * The workers process's environment (see services/workers/README.md for each variable): its own
 * plus the notifications processors' (notificationProcessorsEnv: MONGO_URL, REDIS_URL,
 * QUEUE_PREFIX, SMTP_*, MAIL_FROM, EMAIL_*, CAMPAIGN_*, WORKER_*), passed through to them.
 */
export const workersConfigSchema = baseConfigSchema.extend({
  ...notificationProcessorsEnv,
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('workers'),
  PORT: envPort().default(ServicePort.workers),
  BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.workers),
  /** The auth service's JWKS, which verifies access tokens (internal and admin routes). */
  AUTH_JWKS_URL: envUrl(['http:', 'https:']).default(
    `http://127.0.0.1:${ServicePort.auth}${JWKS_PATH}`,
  ),
  /** The analytics read model (PostgreSQL, migrated at start). */
  DATABASE_URL: envUrl(['postgres:', 'postgresql:']).default(
    'postgres://postgres@127.0.0.1:5432/commerce_analytics',
  ),
  DATABASE_POOL_SIZE: envInt({ min: 1, max: 200 }).default(10),
  /** Analytics jobs one process applies at once. */
  ANALYTICS_CONCURRENCY: envInt({ min: 1, max: 1000 }).default(10),
  /** Longest range (in days, both ends included) GET /admin/analytics/summary accepts. */
  ANALYTICS_MAX_RANGE_DAYS: envInt({ min: 1, max: 3660 }).default(366),
  /** How long POST /internal/analytics/events waits for Redis before answering 503. */
  ANALYTICS_ENQUEUE_TIMEOUT_MS: envInt({ min: 50, max: 60_000 }).default(2000),
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
