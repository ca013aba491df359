import { ServicePort, TaskQueue } from '@commerce/contracts';
import {
  DEVELOPMENT_SECRETS,
  type ConfigOf,
  baseConfigSchema,
  checkTemporalConnection,
  envInt,
  envPort,
  envTaskQueuePrefix,
  envUrl,
  temporalConnectionEnv,
} from '@commerce/nest-kit';
import { z } from 'zod';

/** What one worker process does: run checkout workflows, or one domain's activities. */
export const WORKER_ROLES = [
  TaskQueue.checkout,
  TaskQueue.inventory,
  TaskQueue.payments,
  TaskQueue.orders,
  TaskQueue.notifications,
  TaskQueue.analytics,
] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

/** `WORKER_ROLES=all` or a comma-separated list such as `checkout` or `payments,orders`. */
const roles = z
  .string()
  .trim()
  .transform((raw, ctx): WorkerRole[] => {
    if (raw === 'all') return [...WORKER_ROLES];
    const list = raw.split(',').map((role) => role.trim());
    const unknown = list.filter((role) => !(WORKER_ROLES as readonly string[]).includes(role));
    if (unknown.length > 0 || list.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected "all" or a list of ${WORKER_ROLES.join(', ')}; unknown: ${unknown.join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(list)] as WorkerRole[];
  });

const httpUrl = () => envUrl(['http:', 'https:']);

/** The Temporal worker's environment (see temporal/README.md for each variable). */
export const workerConfigSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('temporal-worker'),
    /** Health and /metrics of this process. */
    PORT: envPort().default(3007),
    WORKER_ROLES: roles.default([...WORKER_ROLES]),
    /** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS/mTLS, API key, gRPC metadata (docs/deploy.md). */
    ...temporalConnectionEnv,
    /** Prefix of every task queue this worker polls; the same as the orders service's. */
    TEMPORAL_TASK_QUEUE_PREFIX: envTaskQueuePrefix(),
    /**
     * A workflow bundle built ahead of time (npm run build writes temporal/dist/workflows.bundle.js).
     * Production must set it or use that default; without a bundle, development bundles at start.
     */
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    /** Where the Rust core exports the SDK's own metrics for Prometheus; 0 turns it off. */
    TEMPORAL_METRICS_PORT: z.union([z.literal('0').transform(() => 0), envPort()]).default(0),
    MAX_CONCURRENT_ACTIVITIES: envInt({ min: 1, max: 10_000 }).default(100),
    MAX_CONCURRENT_WORKFLOW_TASKS: envInt({ min: 1, max: 10_000 }).default(40),
    /** Workflows kept in memory between tasks (sticky cache). */
    MAX_CACHED_WORKFLOWS: envInt({ min: 0, max: 100_000 }).default(1000),
    /** How long in-flight activities get to finish on shutdown before they are cancelled. */
    WORKER_SHUTDOWN_GRACE_MS: envInt({ min: 0, max: 10 * 60 * 1000 }).default(10_000),

    AUTH_URL: httpUrl().default(`http://127.0.0.1:${ServicePort.auth}`),
    PRODUCTS_URL: httpUrl().default(`http://127.0.0.1:${ServicePort.products}`),
    ORDERS_URL: httpUrl().default(`http://127.0.0.1:${ServicePort.orders}`),
    PAYMENTS_URL: httpUrl().default(`http://127.0.0.1:${ServicePort.payments}`),
    NOTIFICATIONS_URL: httpUrl().default(`http://127.0.0.1:${ServicePort.notifications}`),
    /** The analytics service (analytics events of the checkout); WORKERS_URL before it existed. */
    ANALYTICS_URL: httpUrl().default(`http://127.0.0.1:${ServicePort.analytics}`),
    /** Client-credentials account of the activities (auth's SERVICE_ACCOUNTS). */
    SERVICE_CLIENT_ID: z.string().min(1).default('activities'),
    SERVICE_CLIENT_SECRET: z.string().min(1).default('dev-activities-secret'),
    /** Timeout of one HTTP call from an activity to a service. */
    SERVICE_TIMEOUT_MS: envInt({ min: 100, max: 120_000 }).default(10_000),
  })
  .superRefine((config, ctx) => {
    checkTemporalConnection(config, ctx);
    if (config.NODE_ENV === 'production' && DEVELOPMENT_SECRETS.has(config.SERVICE_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SERVICE_CLIENT_SECRET'],
        message: 'must be set in production (the development secret is public)',
      });
    }
  });

export type WorkerConfig = ConfigOf<typeof workerConfigSchema>;
