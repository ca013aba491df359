import { QUEUE_PREFIX } from '@commerce/contracts';
import { envBool, envInt, envQueuePrefix, envUrl } from '@commerce/nest-kit';

/**
 * The environment of a service that publishes analytics events; spread into its config schema.
 * Documented in the README of each such service (products, orders).
 */
export const analyticsPublisherEnv = {
  /** Prefix of the BullMQ keys; the analytics processor must use the same one. */
  QUEUE_PREFIX: envQueuePrefix().default(QUEUE_PREFIX),
  /** Redis of the `analytics` queue (the analytics processor's) when it is not REDIS_URL. */
  ANALYTICS_REDIS_URL: envUrl(['redis:', 'rediss:']).optional(),
  /** Publish analytics events to the `analytics` queue. */
  ANALYTICS_ENABLED: envBool().default(true),
  /** Longest a publish waits on Redis in the background before its event is dropped. */
  ANALYTICS_ENQUEUE_TIMEOUT_MS: envInt({ min: 10, max: 60_000 }).default(500),
};
