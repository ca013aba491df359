import { analyticsProcessorEnv } from '@commerce/analytics';
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

// "Shop <shop@example.com>" or "shop@example.com".
const MAILBOX =
  /^(?:[^<>\r\n]*<([^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>|([^<>\s@]+@[^<>\s@]+\.[^<>\s@]+))$/;

/** The address part of a MAIL_FROM value ("Shop <shop@example.com>" -> "shop@example.com"). */
export function mailboxAddress(value: string): string {
  const match = MAILBOX.exec(value.trim());
  const address = match?.[1] ?? match?.[2];
  if (!address) throw new Error(`not a mailbox: ${value}`);
  return address;
}

/** The workers process's environment (see services/workers/README.md for each variable). */
export const workersConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('workers'),
  PORT: envPort().default(ServicePort.workers),
  BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.workers),
  /** The notifications database: email jobs name a notification stored there. */
  MONGO_URL: envUrl(['mongodb:', 'mongodb+srv:']).default(
    'mongodb://127.0.0.1:27017/commerce_notifications',
  ),
  REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** The auth service's JWKS, which verifies access tokens (Bull Board). */
  AUTH_JWKS_URL: envUrl(['http:', 'https:']).default(
    `http://127.0.0.1:${ServicePort.auth}${JWKS_PATH}`,
  ),
  /** The analytics processor's read model and concurrency (see services/analytics/README.md). */
  ...analyticsProcessorEnv,
  /** Prefix of the BullMQ keys; the producers (notifications service) must use the same one. */
  QUEUE_PREFIX: envQueuePrefix().default(QUEUE_PREFIX),
  /** `smtp://[user:pass@]host:port` (STARTTLS when offered) or `smtps://` (TLS from the start). */
  SMTP_URL: envUrl(['smtp:', 'smtps:']).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z
    .string()
    .regex(MAILBOX, 'expected an address such as "Shop <shop@example.com>"')
    .default('Commerce <no-reply@commerce.test>'),
  /** SMTP connections kept open and shared by the email jobs of this process. */
  SMTP_POOL_SIZE: envInt({ min: 1, max: 200 }).default(5),
  /** Connect, greeting and idle-socket timeout of one SMTP connection. */
  SMTP_TIMEOUT_MS: envInt({ min: 100, max: 600_000 }).default(30_000),
  /** A connection is replaced after this many messages. */
  SMTP_MAX_MESSAGES_PER_CONNECTION: envInt({ min: 1, max: 100_000 }).default(100),
  /** Email jobs one process works on at once. */
  EMAIL_CONCURRENCY: envInt({ min: 1, max: 1000 }).default(10),
  /**
   * How long a claim on a notification protects it from other workers. A claim older than this
   * whose holder has not reached the SMTP hand-over can be taken over (its holder is presumed dead).
   */
  EMAIL_CLAIM_LEASE_MS: envInt({ min: 500, max: 3_600_000 }).default(60_000),
  /** Campaign email jobs one process works on at once. */
  CAMPAIGN_CONCURRENCY: envInt({ min: 1, max: 1000 }).default(50),
  /** Campaign emails per second, across every workers process (BullMQ limiter); 0: unlimited. */
  CAMPAIGN_RATE_LIMIT_PER_SECOND: envInt({ min: 0, max: 100_000 }).default(0),
  /** SMTP connections of campaign email, apart from transactional email's SMTP_POOL_SIZE. */
  CAMPAIGN_SMTP_POOL_SIZE: envInt({ min: 1, max: 200 }).default(10),
  /** Like EMAIL_CLAIM_LEASE_MS, for one recipient of a campaign. */
  CAMPAIGN_CLAIM_LEASE_MS: envInt({ min: 500, max: 3_600_000 }).default(60_000),
  /**
   * How long a job of a paused campaign first waits before it looks at the campaign again; the
   * wait doubles with every look, up to CAMPAIGN_PAUSE_RECHECK_MAX_MS.
   */
  CAMPAIGN_PAUSE_RECHECK_MS: envInt({ min: 50, max: 600_000 }).default(5000),
  /** The longest such wait: a resumed campaign's jobs pick up again within this time. */
  CAMPAIGN_PAUSE_RECHECK_MAX_MS: envInt({ min: 50, max: 3_600_000 }).default(60_000),
  /** BullMQ job lock; a job whose lock expires (its worker died) is handed to another worker. */
  WORKER_LOCK_DURATION_MS: envInt({ min: 500, max: 600_000 }).default(30_000),
  /** How often a worker looks for such stalled jobs. */
  WORKER_STALLED_INTERVAL_MS: envInt({ min: 200, max: 600_000 }).default(30_000),
  /** A job that stalls more often than this is failed (a message that keeps killing workers). */
  WORKER_MAX_STALLED_COUNT: envInt({ min: 0, max: 100 }).default(2),
  /**
   * The path under which browsers see Bull Board (the UI loads its files and API relative to it):
   * through the gateway, `/api/admin/queues`.
   */
  BULL_BOARD_BASE_PATH: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, 'expected an absolute URL path such as /api/admin/queues')
    .default('/api/admin/queues'),
  /** On SIGTERM, active jobs get this long to finish before they are abandoned to other workers. */
  WORKER_SHUTDOWN_GRACE_MS: envInt({ min: 0, max: 600_000 }).default(20_000),
});

export type WorkersConfig = ConfigOf<typeof workersConfigSchema>;
