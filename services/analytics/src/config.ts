import { JWKS_PATH, QUEUE_PREFIX, ServiceBodyLimit, ServicePort } from '@commerce/contracts';
import {
  type ConfigOf,
  baseConfigSchema,
  envInt,
  envPort,
  envQueuePrefix,
  envUrl,
} from '@commerce/nest-kit';
import { envPostgresUrl, type PostgresConfig } from '@commerce/persistence';
import { type QueueWorkerSettings, queueWorkerEnv } from '@commerce/queue-worker';

/** Health and metrics of the processor entrypoint when it runs alone (dist/processors.main.js). */
export const PROCESSORS_PORT = 3009;

/** The read model's database; both entrypoints migrate it at start. */
const databaseEnv = {
  DATABASE_URL: envPostgresUrl().default('postgres://postgres@127.0.0.1:5432/commerce_analytics'),
  DATABASE_POOL_SIZE: envInt({ min: 1, max: 200 }).default(10),
};

/**
 * What the analytics processor reads besides `queueWorkerEnv` (Redis, the queue prefix, the
 * worker settings): spread into the config schema of a process that hosts
 * AnalyticsProcessorsModule (the workers process).
 */
export const analyticsProcessorEnv = {
  ...databaseEnv,
  /** Analytics jobs one process applies at once. */
  ANALYTICS_CONCURRENCY: envInt({ min: 1, max: 1000 }).default(10),
};

/** What AnalyticsProcessorsModule reads from its host's config. */
export type AnalyticsProcessorConfig = QueueWorkerSettings &
  PostgresConfig & { readonly ANALYTICS_CONCURRENCY: number };

/** The analytics API's environment (src/main.ts; see services/analytics/README.md). */
export const analyticsConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('analytics'),
  PORT: envPort().default(ServicePort.analytics),
  BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.analytics),
  REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** Prefix of the BullMQ keys the internal route enqueues under; the processors' one. */
  QUEUE_PREFIX: envQueuePrefix().default(QUEUE_PREFIX),
  ...databaseEnv,
  /** The auth service's JWKS, which verifies access tokens (internal and admin routes). */
  AUTH_JWKS_URL: envUrl(['http:', 'https:']).default(
    `http://127.0.0.1:${ServicePort.auth}${JWKS_PATH}`,
  ),
  /** Longest range (in days, both ends included) GET /admin/analytics/summary accepts. */
  ANALYTICS_MAX_RANGE_DAYS: envInt({ min: 1, max: 3660 }).default(366),
  /** How long POST /internal/analytics/events waits for Redis before answering 503. */
  ANALYTICS_ENQUEUE_TIMEOUT_MS: envInt({ min: 50, max: 60_000 }).default(2000),
});

export type AnalyticsConfig = ConfigOf<typeof analyticsConfigSchema>;

/** The processor entrypoint's environment (src/processors.main.ts). */
export const analyticsProcessorsConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('analytics-processors'),
  PORT: envPort().default(PROCESSORS_PORT),
  ...queueWorkerEnv,
  ...analyticsProcessorEnv,
});

export type AnalyticsProcessorsConfig = ConfigOf<typeof analyticsProcessorsConfigSchema>;

// The standalone processor is one host of AnalyticsProcessorsModule: it must carry what it reads.
const _hostsProcessor: AnalyticsProcessorConfig = {} as AnalyticsProcessorsConfig;
void _hostsProcessor;
