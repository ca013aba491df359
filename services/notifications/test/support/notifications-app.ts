import { type EmailJobData, QueueName } from '@commerce/contracts';
import type { Env } from '@commerce/nest-kit';
import {
  MailSink,
  type Reply,
  type RunningService,
  ServiceTestApp,
  testEndpoints,
  uniqueName,
} from '@commerce/testing';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import mongoose, { type Collection, type Connection } from 'mongoose';
import { AppModule, notificationsAppOptions } from '../../src/app.module';
import { type NotificationsConfig, notificationsConfigSchema } from '../../src/config';
import {
  NOTIFICATIONS_COLLECTION,
  type NotificationDocument,
} from '../../src/notifications/notification.schema';

export { errorShape, eventually, type Reply } from '@commerce/testing';

export interface NotificationBody {
  id: string;
  userId: string;
  channel: string;
  template: string;
  locale: string;
  to: string;
  subject: string;
  text: string;
  status: string;
  attempts: number;
  idempotencyKey: string;
  readAt: string | null;
  sentAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export const ORDER_DATA = {
  orderId: 'A-1001',
  total: 4998,
  currency: 'EUR',
  items: [
    { name: 'Tea pot', quantity: 1, unitPrice: 2999 },
    { name: 'Cups', quantity: 1, unitPrice: 1999 },
  ],
};

/**
 * One test file's notifications service: its own MongoDB database and BullMQ prefix on the real
 * servers, and direct handles on the database and the queue to check what the API did. The
 * issuer stands in for the auth service: its JWKS, client credentials (the campaign fan-out's
 * `notifications` account) and, when a test adds it, the user list (auth-users.ts).
 */
export class NotificationsTestEnvironment extends ServiceTestApp<typeof notificationsConfigSchema> {
  readonly database = uniqueName('notifications');
  readonly mongoUrl = testEndpoints.mongoUrl(this.database);
  readonly prefix = uniqueName('q');
  /** Part of every email address of this file, so its mail is found and nothing else. */
  readonly tag = uniqueName('nt').toLowerCase();
  readonly sink = new MailSink();
  connection!: Connection;
  notifications!: Collection<NotificationDocument>;
  queue!: Queue<EmailJobData>;

  constructor() {
    super({
      schema: notificationsConfigSchema,
      module: () => AppModule,
      appOptions: notificationsAppOptions,
      env: { EMAIL_ATTEMPTS: '3', EMAIL_BACKOFF_MS: '200', REQUEUE_INTERVAL_MS: '0' },
    });
  }

  override async setUp(env: Env = {}): Promise<void> {
    await super.setUp();
    await this.start(env);
    this.connection = await mongoose
      .createConnection(this.mongoUrl, { serverSelectionTimeoutMS: 5000 })
      .asPromise();
    this.notifications = this.connection.collection<NotificationDocument>(NOTIFICATIONS_COLLECTION);
    this.queue = new Queue<EmailJobData>(QueueName.email, {
      connection: { url: testEndpoints.redisUrl },
      prefix: this.prefix,
    });
    // Run after the apps have closed, newest first: the queue goes, then the database.
    this.onTearDown(async () => {
      await this.connection.dropDatabase().catch(() => undefined);
      await this.connection.close().catch(() => undefined);
    });
    this.onTearDown(async () => {
      await this.queue.obliterate({ force: true }).catch(() => undefined);
      await this.queue.close().catch(() => undefined);
    });
  }

  /** An instance of the service on this file's database and queue (the first is the default). */
  override start(env: Env = {}): Promise<RunningService<NotificationsConfig>> {
    return super.start({
      MONGO_URL: this.mongoUrl,
      QUEUE_PREFIX: this.prefix,
      AUTH_URL: this.issuer.url,
      ...env,
    });
  }

  /** An email address unique to this file (and `label`). */
  email(label: string = randomUUID().slice(0, 8)): string {
    return `${this.tag}-${label}@example.test`;
  }

  /** `POST /internal/notifications` with a SERVICE token; `body` overrides the defaults. */
  send(body: Record<string, unknown> = {}): Promise<Reply<NotificationBody>> {
    return this.request<NotificationBody>('POST', '/internal/notifications', {
      token: this.serviceToken(),
      body: {
        userId: randomUUID(),
        channel: 'email',
        template: 'order-confirmed',
        to: this.email(),
        data: ORDER_DATA,
        idempotencyKey: `order-confirmed:${randomUUID()}`,
        ...body,
      },
    });
  }

  countNotifications(filter: Record<string, unknown> = {}): Promise<number> {
    return this.notifications.countDocuments(filter);
  }

  find(id: string): Promise<NotificationDocument | null> {
    return this.notifications.findOne({ _id: id });
  }
}
