import { JWKS_PATH, QUEUE_PREFIX, ServiceBodyLimit, ServicePort } from '@commerce/contracts';
import {
  type ConfigOf,
  baseConfigSchema,
  envInt,
  envPort,
  envQueuePrefix,
  envUrl,
} from '@commerce/nest-kit';
import { z } from 'zod';
import { envMongoUrl } from './database/mongo-url';

/** Development and test defaults; production refuses to start with them. */
export const DEV_SERVICE_CLIENT_SECRET = 'dev-notifications-secret';
export const DEV_UNSUBSCRIBE_SECRET = 'dev-campaign-unsubscribe-secret';

/** The notifications service's environment (see services/notifications/README.md). */
export const notificationsConfigSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('notifications'),
    PORT: envPort().default(ServicePort.notifications),
    BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.notifications),
    MONGO_URL: envMongoUrl().default('mongodb://127.0.0.1:27017/commerce_notifications'),
    /** BullMQ (the `email` queue) and revoked access tokens (kit auth). */
    REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /** Prefix of the BullMQ keys; the queue processors must use the same one. */
    QUEUE_PREFIX: envQueuePrefix().default(QUEUE_PREFIX),
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

    // Bulk email campaigns.
    /** Auth service: its SERVICE token (`POST /auth/token`) and the audience (`/internal/users`). */
    AUTH_URL: envUrl(['http:', 'https:']).default(`http://127.0.0.1:${ServicePort.auth}`),
    SERVICE_CLIENT_ID: z.string().min(1).max(64).default('notifications'),
    SERVICE_CLIENT_SECRET: z.string().min(1).max(512).default(DEV_SERVICE_CLIENT_SECRET),
    /** Public base of the API as recipients reach it (the gateway's /api): unsubscribe links. */
    PUBLIC_BASE_URL: envUrl(['http:', 'https:']).default('http://127.0.0.1:3000/api'),
    /** HMAC key of the unsubscribe tokens; required (not the dev default) in production. */
    CAMPAIGN_UNSUBSCRIBE_SECRET: z.string().min(16).max(512).default(DEV_UNSUBSCRIBE_SECRET),
    /** Users read from auth and enqueued per fan-out step. */
    CAMPAIGN_FANOUT_PAGE_SIZE: envInt({ min: 1, max: 1000 }).default(1000),
    /** How long a fan-out holds its campaign; another instance resumes it after that. */
    CAMPAIGN_FANOUT_LEASE_MS: envInt({ min: 1000, max: 3_600_000 }).default(30_000),
    /** How often to look for campaigns whose fan-out stopped (0: only once, at start). */
    CAMPAIGN_SWEEP_INTERVAL_MS: envInt({ min: 0, max: 86_400_000 }).default(10_000),
    /** Tries of one campaign email (the first one included). */
    CAMPAIGN_ATTEMPTS: envInt({ min: 1, max: 100 }).default(5),
    /** First retry delay of a campaign email; each further retry waits twice as long. */
    CAMPAIGN_BACKOFF_MS: envInt({ min: 0, max: 3_600_000 }).default(10_000),
    /** Completed campaign jobs kept in Redis (newest first); delivery state is kept apart. */
    CAMPAIGN_KEEP_COMPLETED_COUNT: envInt({ min: 0, max: 1_000_000 }).default(1000),
    /** Failed campaign jobs kept in Redis for inspection. */
    CAMPAIGN_KEEP_FAILED_COUNT: envInt({ min: 0, max: 10_000_000 }).default(100_000),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    if (config.CAMPAIGN_UNSUBSCRIBE_SECRET === DEV_UNSUBSCRIBE_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['CAMPAIGN_UNSUBSCRIBE_SECRET'],
        message: 'must be set to a secret of its own in production',
      });
    }
    if (config.SERVICE_CLIENT_SECRET === DEV_SERVICE_CLIENT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SERVICE_CLIENT_SECRET'],
        message: 'must be set to the secret of the notifications service account in production',
      });
    }
  });

export type NotificationsConfig = ConfigOf<typeof notificationsConfigSchema>;
