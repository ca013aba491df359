import { type EmailJobData, QueueName, type Role } from '@commerce/contracts';
import { createApp, listen, loadConfig } from '@commerce/nest-kit';
import { MailSink, TestTokenIssuer, testEndpoints, uniqueName } from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import mongoose, { type Collection, type Connection } from 'mongoose';
import { AppModule, notificationsAppOptions } from '../../src/app.module';
import { type NotificationsConfig, notificationsConfigSchema } from '../../src/config';
import {
  NOTIFICATIONS_COLLECTION,
  type NotificationDocument,
} from '../../src/notifications/notification.schema';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

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

export const errorShape = (statusCode: number, code: string) => ({
  statusCode,
  error: expect.any(String),
  message: expect.any(String),
  code,
  requestId: expect.any(String),
});

export const ORDER_DATA = {
  orderId: 'A-1001',
  total: 4998,
  currency: 'EUR',
  items: [
    { name: 'Tea pot', quantity: 1, unitPrice: 2999 },
    { name: 'Cups', quantity: 1, unitPrice: 1999 },
  ],
};

export { eventually } from '@commerce/testing';

/**
 * One test file's notifications service: its own MongoDB database and BullMQ prefix on the real
 * servers, a JWKS issuer standing in for the auth service, the app as main.ts builds it on a free
 * port, and direct handles on the database and the queue to check what the API did.
 */
export class NotificationsTestEnvironment {
  readonly issuer = new TestTokenIssuer();
  readonly database = uniqueName('notifications');
  readonly mongoUrl = testEndpoints.mongoUrl(this.database);
  readonly prefix = uniqueName('q');
  /** Part of every email address of this file, so its mail is found and nothing else. */
  readonly tag = uniqueName('nt').toLowerCase();
  readonly sink = new MailSink();
  app!: NestFastifyApplication;
  url!: string;
  config!: NotificationsConfig;
  connection!: Connection;
  notifications!: Collection<NotificationDocument>;
  queue!: Queue<EmailJobData>;
  private readonly extraApps: NestFastifyApplication[] = [];

  async setUp(env: Record<string, string> = {}): Promise<void> {
    await this.issuer.start();
    const started = await this.startApp(env);
    this.app = started.app;
    this.url = started.url;
    this.config = started.config;
    this.connection = await mongoose
      .createConnection(this.mongoUrl, { serverSelectionTimeoutMS: 5000 })
      .asPromise();
    this.notifications = this.connection.collection<NotificationDocument>(NOTIFICATIONS_COLLECTION);
    this.queue = new Queue<EmailJobData>(QueueName.email, {
      connection: { url: testEndpoints.redisUrl },
      prefix: this.prefix,
    });
  }

  /** Another instance of the service on the same database and queue. */
  async startApp(
    env: Record<string, string> = {},
  ): Promise<{ app: NestFastifyApplication; url: string; config: NotificationsConfig }> {
    const config = loadConfig(notificationsConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MONGO_URL: this.mongoUrl,
      REDIS_URL: testEndpoints.redisUrl,
      QUEUE_PREFIX: this.prefix,
      AUTH_JWKS_URL: this.issuer.jwksUrl,
      EMAIL_ATTEMPTS: '3',
      EMAIL_BACKOFF_MS: '200',
      REQUEUE_INTERVAL_MS: '0',
      ...env,
    });
    const app = await createApp(AppModule, {
      ...notificationsAppOptions(config),
      config,
      metrics: { defaultMetrics: false },
      shutdownHooks: false,
    });
    if (this.app) this.extraApps.push(app);
    const { url } = await listen(app, { host: '127.0.0.1', port: 0 });
    return { app, url, config };
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled(this.extraApps.map((app) => app.close()));
    await this.app?.close().catch(() => undefined);
    await this.queue?.obliterate({ force: true }).catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    await this.connection?.dropDatabase().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
    await this.issuer.stop();
  }

  token(sub: string, roles: Role[] = ['CUSTOMER']): string {
    return this.issuer.token(roles, sub);
  }

  /** A fresh customer with a token. */
  customer(): { id: string; token: string } {
    const id = randomUUID();
    return { id, token: this.token(id) };
  }

  serviceToken(): string {
    return this.token('activities', ['SERVICE']);
  }

  /** An email address unique to this file (and `label`). */
  email(label: string = randomUUID().slice(0, 8)): string {
    return `${this.tag}-${label}@example.test`;
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      token?: string;
      headers?: Record<string, string>;
      url?: string;
    } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${options.url ?? this.url}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
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

  count(filter: Record<string, unknown> = {}): Promise<number> {
    return this.notifications.countDocuments(filter);
  }

  find(id: string): Promise<NotificationDocument | null> {
    return this.notifications.findOne({ _id: id });
  }
}
