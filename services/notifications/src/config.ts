import { JWKS_PATH, QUEUE_PREFIX, ServiceBodyLimit, ServicePort } from '@commerce/contracts';
import { type ConfigOf, baseConfigSchema, envInt, envPort, envUrl } from '@commerce/nest-kit';
import { z } from 'zod';

/** The notifications service's environment (see services/notifications/README.md). */
export const notificationsConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('notifications'),
  PORT: envPort().default(ServicePort.notifications),
  BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.notifications),
  MONGO_URL: envUrl(['mongodb:', 'mongodb+srv:']).default(
    'mongodb://127.0.0.1:27017/commerce_notifications',
  ),
  /** BullMQ (the `email` queue) and revoked access tokens (kit auth). */
  REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** Prefix of the BullMQ keys; the workers process must use the same one. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1 to 64 letters, digits, "_" or "-"')
    .default(QUEUE_PREFIX),
  AUTH_JWKS_URL: envUrl(['http:', 'https:']).default(
    `http://127.0.0.1:${ServicePort.auth}${JWKS_PATH}`,
  ),
  /** Tries of one email job (the first one included) before the notification is FAILED. */
  EMAIL_ATTEMPTS: envInt({ min: 1, max: 100 }).default(8),
  /** First retry delay of an email job; each further retry waits twice as long. */
  EMAIL_BACKOFF_MS: envInt({ min: 0, max: 3_600_000 }).default(5000),
  /** How long finished (sent or skipped) email jobs stay in Redis. */
  EMAIL_KEEP_COMPLETED_SECONDS: envInt({ min: 0, max: 30 * 86_400 }).default(3600),
  /** How many failed email jobs stay in Redis for inspection (oldest dropped first). */
  EMAIL_KEEP_FAILED_COUNT: envInt({ min: 0, max: 1_000_000 }).default(10_000),
  /** A notification still QUEUED this long after it was stored is handed over again. */
  REQUEUE_AFTER_MS: envInt({ min: 1000, max: 86_400_000 }).default(60_000),
  /** How often to look for such notifications (0: only once, at start). */
  REQUEUE_INTERVAL_MS: envInt({ min: 0, max: 86_400_000 }).default(60_000),
  /** At most this many notifications are handed over again per sweep. */
  REQUEUE_BATCH_SIZE: envInt({ min: 1, max: 100_000 }).default(500),
});

export type NotificationsConfig = ConfigOf<typeof notificationsConfigSchema>;
