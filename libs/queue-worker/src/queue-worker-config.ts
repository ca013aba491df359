import { envInt, envQueuePrefix, envUrl } from '@commerce/nest-kit';
import { QUEUE_PREFIX } from '@commerce/contracts';
import { z } from 'zod';

/**
 * The environment every process with BullMQ workers reads (spread into its config schema):
 * Redis, the key prefix the producers use, stalled-job detection and the graceful stop.
 */
export const queueWorkerEnv = {
  REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** Prefix of the BullMQ keys; the producers must use the same one. */
  QUEUE_PREFIX: envQueuePrefix().default(QUEUE_PREFIX),
  /** BullMQ job lock; a job whose lock expires (its worker died) is handed to another worker. */
  WORKER_LOCK_DURATION_MS: envInt({ min: 500, max: 600_000 }).default(30_000),
  /** How often a worker looks for such stalled jobs. */
  WORKER_STALLED_INTERVAL_MS: envInt({ min: 200, max: 600_000 }).default(30_000),
  /** A job that stalls more often than this is failed (a message that keeps killing workers). */
  WORKER_MAX_STALLED_COUNT: envInt({ min: 0, max: 100 }).default(2),
  /** On SIGTERM, active jobs get this long to finish before they are abandoned to other workers. */
  WORKER_SHUTDOWN_GRACE_MS: envInt({ min: 0, max: 600_000 }).default(20_000),
};

/** What a QueueWorker reads of its process's configuration. */
export type QueueWorkerSettings = z.infer<z.ZodObject<typeof queueWorkerEnv>> & {
  /** Names the worker's Redis connections (`<service>:<queue>`). */
  readonly SERVICE_NAME: string;
};
