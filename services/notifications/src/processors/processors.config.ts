import { ServiceBodyLimit } from '@commerce/contracts';
import { type ConfigOf, baseConfigSchema, envInt, envPort, envUrl } from '@commerce/nest-kit';
import { type QueueWorkerSettings, queueWorkerEnv } from '@commerce/queue-worker';
import { z } from 'zod';
import { envMongoUrl } from '../database/mongo-url';

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

/** Port of the processors entrypoint (health and metrics only) when it runs on its own. */
export const PROCESSORS_PORT = 3010;

/**
 * The environment of the notifications queue processors (transactional and campaign email),
 * whether they run in their own process (processors.main.ts) or in a host that composes
 * NotificationProcessorsModule: such a host spreads this into its own config schema, so the same
 * variables reach the processors (see services/notifications/README.md for each).
 */
export const notificationProcessorsEnv = {
  ...queueWorkerEnv,
  /** The notifications database: email jobs name a notification stored there. */
  MONGO_URL: envMongoUrl().default('mongodb://127.0.0.1:27017/commerce_notifications'),
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
  /** Campaign emails per second, across every processors process (BullMQ limiter); 0: unlimited. */
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
};

/** What the processors read of their process's configuration. */
export type NotificationProcessorsSettings = z.infer<
  z.ZodObject<typeof notificationProcessorsEnv>
> &
  QueueWorkerSettings;

/** The processors entrypoint's environment: the kit's plus the processors'. */
export const notificationProcessorsConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('notification-processors'),
  PORT: envPort().default(PROCESSORS_PORT),
  BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.notifications),
  ...notificationProcessorsEnv,
});

export type NotificationProcessorsConfig = ConfigOf<typeof notificationProcessorsConfigSchema>;
