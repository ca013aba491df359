import {
  type EmailJobData,
  NotificationChannel,
  NotificationStatus,
  QueueName,
} from '@commerce/contracts';
import {
  type ChildApp,
  MailSink,
  type RunningService,
  ServiceTestApp,
  eventually,
  testEndpoints,
  uniqueName,
} from '@commerce/testing';
import { type JobsOptions, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import mongoose, { type Collection, type Connection } from 'mongoose';
import { EmailProcessor } from '../../src/delivery/email.processor';
import {
  EMAIL_CLAIMS_COLLECTION,
  type EmailClaimDocument,
  EmailClaimStage,
  claimId,
} from '../../src/delivery/notification-store';
import {
  NOTIFICATIONS_COLLECTION,
  type NotificationDocument,
} from '../../src/notifications/notification.schema';
import {
  processorsAppModule,
  processorsAppOptions,
} from '../../src/processors/notification-processors.module';
import {
  type NotificationProcessorsConfig,
  notificationProcessorsConfigSchema,
} from '../../src/processors/processors.config';
import { startProcessors } from './processors-process';
import { SmtpProxy } from './smtp-proxy';

/** The processors app running in this process, with its email processor. */
export type RunningProcessors = RunningService<NotificationProcessorsConfig> & {
  readonly processor: EmailProcessor;
};

/**
 * One test file's world for the queue processors: a scratch MongoDB database, its own BullMQ
 * prefix, the real SMTP sink (mailpit, read back with MailSink), an SMTP proxy that can stall
 * conversations, and the processors started in-process (as processors.main.ts builds them) or as
 * child processes of the build.
 */
export class DeliveryTestEnvironment extends ServiceTestApp<
  typeof notificationProcessorsConfigSchema
> {
  readonly database = uniqueName('delivery');
  readonly mongoUrl = testEndpoints.mongoUrl(this.database);
  readonly prefix = uniqueName('q');
  /** Part of every recipient address of this file, so its mail is found and nothing else. */
  readonly tag = uniqueName('dl').toLowerCase();
  readonly sink = new MailSink();
  readonly proxy = new SmtpProxy();
  connection!: Connection;
  notifications!: Collection<NotificationDocument>;
  claims!: Collection<EmailClaimDocument>;
  queue!: Queue<EmailJobData>;
  private readonly children: ChildApp[] = [];

  constructor() {
    super({
      schema: notificationProcessorsConfigSchema,
      module: () => processorsAppModule,
      appOptions: processorsAppOptions,
    });
  }

  override async setUp(): Promise<void> {
    await super.setUp();
    this.connection = await mongoose
      .createConnection(this.mongoUrl, { serverSelectionTimeoutMS: 5000 })
      .asPromise();
    this.notifications = this.connection.collection<NotificationDocument>(NOTIFICATIONS_COLLECTION);
    this.claims = this.connection.collection<EmailClaimDocument>(EMAIL_CLAIMS_COLLECTION);
    this.queue = new Queue<EmailJobData>(QueueName.email, {
      connection: { url: testEndpoints.redisUrl },
      prefix: this.prefix,
    });
    await this.proxy.start();
    // Run after the in-process apps have closed, newest first.
    this.onTearDown(async () => {
      await this.connection.dropDatabase().catch(() => undefined);
      await this.connection.close().catch(() => undefined);
    });
    this.onTearDown(() => this.proxy.stop());
    this.onTearDown(async () => {
      await this.queue.obliterate({ force: true }).catch(() => undefined);
      await this.queue.close().catch(() => undefined);
    });
    this.onTearDown(async () => {
      for (const child of this.children) child.process.kill('SIGKILL');
      await Promise.allSettled(this.children.map((child) => child.exited));
    });
  }

  /** The environment the processors of this file run with (test-sized timings), plus `env`. */
  processorsEnv(env: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MONGO_URL: this.mongoUrl,
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

  /** The processors app as processors.main.ts builds it, in this process, on a free port. */
  async startInProcess(env: Record<string, string> = {}): Promise<RunningProcessors> {
    const running = await this.start(this.processorsEnv(env));
    const processor = running.app.get(EmailProcessor);
    await processor.waitUntilReady();
    return Object.assign(running, { processor });
  }

  /** `node services/notifications/dist/processors.main.js` with this file's environment. */
  async spawnProcessors(env: Record<string, string> = {}): Promise<ChildApp> {
    const child = await startProcessors(this.processorsEnv({ LOG_LEVEL: 'warn', ...env }));
    this.children.push(child);
    return child;
  }

  /** Stops every processors process this file started (SIGTERM, as an orchestrator would). */
  async stopProcessors(): Promise<void> {
    const children = this.children.splice(0);
    for (const child of children) child.process.kill('SIGTERM');
    await Promise.all(children.map((child) => child.exited));
  }

  /** A recipient address unique to this file (and `label`). */
  recipient(label: string): string {
    return `${this.tag}-${label}@example.test`;
  }

  /** Stores an email notification as the API would. */
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
      messageId: null,
      deliveryUnconfirmed: false,
      ...overrides,
    };
    await this.notifications.insertOne(doc);
    return doc;
  }

  /** Stores a claim on the notification as an attempt (e.g. one that died since) took it. */
  async createClaim(
    doc: NotificationDocument,
    claim: { stage: EmailClaimStage; claimedAt: Date; generation?: number; token?: string },
  ): Promise<EmailClaimDocument> {
    const generation = claim.generation ?? 1;
    const stored: EmailClaimDocument = {
      _id: claimId({ notificationId: doc._id, generation }),
      notificationId: doc._id,
      generation,
      token: claim.token ?? randomUUID(),
      claimedAt: claim.claimedAt,
      claimedBy: 'gone:1',
      stage: claim.stage,
      lastError: null,
      updatedAt: claim.claimedAt,
    };
    await this.claims.insertOne(stored);
    return stored;
  }

  /** Every claim taken on the notification, oldest first. */
  claimsOf(doc: NotificationDocument): Promise<EmailClaimDocument[]> {
    return this.claims.find({ notificationId: doc._id }).sort({ generation: 1 }).toArray();
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
    return eventually(
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

export { EmailClaimStage, eventually };
