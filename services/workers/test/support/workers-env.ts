import {
  type EmailJobData,
  NOTIFICATIONS_COLLECTION,
  NotificationChannel,
  type NotificationDocument,
  NotificationStatus,
  QueueName,
} from '@commerce/contracts';
import { createApp, listen, loadConfig } from '@commerce/nest-kit';
import {
  ChildApp,
  MailSink,
  type ScratchDatabase,
  buildProject,
  createScratchDatabase,
  freePort,
  testEndpoints,
  uniqueName,
} from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type JobsOptions, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Collection, type Connection } from 'mongoose';
import { AppModule, workersAppOptions } from '../../src/app.module';
import { type WorkersConfig, workersConfigSchema } from '../../src/config';
import { EmailProcessor } from '../../src/email/email.processor';
import { SmtpProxy } from './smtp-proxy';

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export interface RunningWorkers {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly config: WorkersConfig;
  readonly processor: EmailProcessor;
}

/**
 * One test file's world for the workers: a scratch MongoDB database, its own BullMQ prefix, the
 * real SMTP sink (mailpit, read back with MailSink), an SMTP proxy that can stall conversations,
 * and workers started in-process or as child processes of the build.
 */
export class WorkersTestEnvironment {
  readonly database = uniqueName('workers');
  readonly mongoUrl = testEndpoints.mongoUrl(this.database);
  readonly prefix = uniqueName('q');
  /** Part of every recipient address of this file, so its mail is found and nothing else. */
  readonly tag = uniqueName('wk').toLowerCase();
  readonly sink = new MailSink();
  readonly proxy = new SmtpProxy();
  connection!: Connection;
  /** The analytics read model's database (the workers app migrates it at start). */
  analyticsDb!: ScratchDatabase;
  notifications!: Collection<NotificationDocument>;
  queue!: Queue<EmailJobData>;
  private readonly apps: NestFastifyApplication[] = [];
  private readonly children: ChildApp[] = [];

  async setUp(): Promise<void> {
    this.analyticsDb = await createScratchDatabase('workers');
    this.connection = await mongoose
      .createConnection(this.mongoUrl, { serverSelectionTimeoutMS: 5000 })
      .asPromise();
    this.notifications = this.connection.collection<NotificationDocument>(NOTIFICATIONS_COLLECTION);
    this.queue = new Queue<EmailJobData>(QueueName.email, {
      connection: { url: testEndpoints.redisUrl },
      prefix: this.prefix,
    });
    await this.proxy.start();
  }

  async tearDown(): Promise<void> {
    for (const child of this.children) child.process.kill('SIGKILL');
    await Promise.allSettled(this.children.map((child) => child.exited));
    await Promise.allSettled(this.apps.map((app) => app.close()));
    await this.queue?.obliterate({ force: true }).catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    await this.proxy.stop();
    await this.connection?.dropDatabase().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
    await this.analyticsDb?.drop();
  }

  /** The environment a worker of this file runs with (test-sized timings), plus `env`. */
  workerEnv(env: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MONGO_URL: this.mongoUrl,
      DATABASE_URL: this.analyticsDb.url,
      REDIS_URL: testEndpoints.redisUrl,
      QUEUE_PREFIX: this.prefix,
      SMTP_URL: `smtp://${testEndpoints.smtp.host}:${testEndpoints.smtp.port}`,
      MAIL_FROM: 'Commerce Tests <no-reply@commerce.test>',
      SMTP_TIMEOUT_MS: '5000',
      EMAIL_CLAIM_LEASE_MS: '3000',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_SHUTDOWN_GRACE_MS: '5000',
      ...env,
    };
  }

  /** The workers app as main.ts builds it, in this process, on a free port. */
  async startInProcess(env: Record<string, string> = {}): Promise<RunningWorkers> {
    const config = loadConfig(workersConfigSchema, this.workerEnv(env));
    const app = await createApp(AppModule, {
      ...workersAppOptions(config),
      config,
      metrics: { defaultMetrics: false },
      shutdownHooks: false,
    });
    this.apps.push(app);
    const { url } = await listen(app, { host: '127.0.0.1', port: 0 });
    const processor = app.get(EmailProcessor);
    await processor.waitUntilReady();
    return { app, url, config, processor };
  }

  /** Stops an in-process app (as SIGTERM would). */
  async stop(running: RunningWorkers): Promise<void> {
    const index = this.apps.indexOf(running.app);
    if (index >= 0) this.apps.splice(index, 1);
    await running.app.close();
  }

  /** `node services/workers/dist/main.js` with this file's environment plus `env`. */
  async spawnWorker(env: Record<string, string> = {}): Promise<ChildApp> {
    const worker = await ChildApp.start({
      name: 'workers',
      dir: 'services/workers',
      port: await freePort(),
      env: this.workerEnv({ LOG_LEVEL: 'warn', ...env }),
      healthPath: '/health',
      startTimeoutMs: 20_000,
    });
    this.children.push(worker);
    return worker;
  }

  /** Stops every worker process this file started (SIGTERM, as an orchestrator would). */
  async stopWorkers(): Promise<void> {
    const children = this.children.splice(0);
    for (const child of children) child.process.kill('SIGTERM');
    await Promise.all(children.map((child) => child.exited));
  }

  /** A recipient address unique to this file (and `label`). */
  recipient(label: string): string {
    return `${this.tag}-${label}@example.test`;
  }

  /** Stores an email notification as the notifications service would. */
  async createNotification(
    overrides: Partial<NotificationDocument> = {},
  ): Promise<NotificationDocument> {
    const id = overrides._id ?? randomUUID();
    const now = new Date();
    const doc: NotificationDocument = {
      _id: id,
      userId: randomUUID(),
      channel: NotificationChannel.EMAIL,
      template: 'order-confirmed',
      locale: 'en',
      to: this.recipient(id.slice(0, 8)),
      data: {},
      subject: `Order ${id.slice(0, 8)} confirmed`,
      html: `<p>Order <b>${id}</b></p>`,
      text: `Order ${id}`,
      status: NotificationStatus.QUEUED,
      attempts: 0,
      lastError: null,
      idempotencyKey: `test:${id}`,
      readAt: null,
      sentAt: null,
      createdAt: now,
      updatedAt: now,
      claimToken: null,
      claimedAt: null,
      claimStage: null,
      claimedBy: null,
      messageId: null,
      deliveryUnconfirmed: false,
      ...overrides,
    };
    await this.notifications.insertOne(doc);
    return doc;
  }

  /** Enqueues the notification's email job (job id per notification, like the producer's). */
  async enqueue(doc: NotificationDocument, options: JobsOptions = {}): Promise<string> {
    const jobId = options.jobId ?? `email-${doc._id}`;
    await this.queue.add(
      QueueName.email,
      { notificationId: doc._id },
      { attempts: 3, backoff: { type: 'fixed', delay: 200 }, ...options, jobId },
    );
    return jobId;
  }

  find(id: string): Promise<NotificationDocument | null> {
    return this.notifications.findOne({ _id: id });
  }

  /** Waits until the notification has left QUEUED, and returns it. */
  settled(id: string, timeoutMs = 15_000): Promise<NotificationDocument> {
    return waitUntil(
      `notification ${id} to leave QUEUED`,
      async () => {
        const doc = await this.find(id);
        return doc && doc.status !== NotificationStatus.QUEUED ? doc : undefined;
      },
      timeoutMs,
    );
  }

  /** How many messages the sink holds for each recipient of this file. */
  async mailCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const message of await this.sink.search(`to:"${this.tag}"`)) {
      for (const to of message.To) counts.set(to.Address, (counts.get(to.Address) ?? 0) + 1);
    }
    return counts;
  }
}

/** Builds the workers app and what it depends on (the tests run its real process). */
export const buildWorkers = (): Promise<void> => buildProject('@commerce/workers');
