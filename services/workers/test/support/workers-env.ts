import { createApp, listen, loadConfig } from '@commerce/nest-kit';
import {
  ChildApp,
  type ScratchDatabase,
  buildProject,
  createScratchDatabase,
  freePort,
  testEndpoints,
  uniqueName,
} from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose, { type Connection } from 'mongoose';
import { AppModule, workersAppOptions } from '../../src/app.module';
import { workersConfigSchema } from '../../src/config';

export { eventually } from '@commerce/testing';

/**
 * One test file's world for the workers host: a scratch MongoDB database (the notifications
 * processors it hosts connect to it), a scratch analytics database, its own BullMQ prefix, and
 * the host started as child processes of the build. (The email and campaign processors' own tests
 * live in services/notifications/test.)
 */
export class WorkersTestEnvironment {
  readonly database = uniqueName('workers');
  readonly mongoUrl = testEndpoints.mongoUrl(this.database);
  readonly prefix = uniqueName('q');
  connection!: Connection;
  /** The analytics read model's database (the workers app migrates it at start). */
  analyticsDb!: ScratchDatabase;
  private readonly children: ChildApp[] = [];

  async setUp(): Promise<void> {
    this.analyticsDb = await createScratchDatabase('workers');
    this.connection = await mongoose
      .createConnection(this.mongoUrl, { serverSelectionTimeoutMS: 5000 })
      .asPromise();
  }

  async tearDown(): Promise<void> {
    for (const child of this.children) child.process.kill('SIGKILL');
    await Promise.allSettled(this.children.map((child) => child.exited));
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
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_SHUTDOWN_GRACE_MS: '5000',
      ...env,
    };
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
}

/**
 * The workers app as main.ts builds it, in this process, on a free port, with a test file's
 * scratch databases, queue prefix and JWKS in `env` (its MongoDB database is named after the
 * prefix unless `env` says otherwise).
 */
export async function startWorkersApp(
  env: Record<string, string> & { QUEUE_PREFIX: string },
): Promise<{ app: NestFastifyApplication; url: string }> {
  const config = loadConfig(workersConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGO_URL: testEndpoints.mongoUrl(env.QUEUE_PREFIX.replace(/-/g, '_')),
    REDIS_URL: testEndpoints.redisUrl,
    ...env,
  });
  const app = await createApp(AppModule, {
    ...workersAppOptions(config),
    config,
    metrics: { defaultMetrics: false },
    shutdownHooks: false,
  });
  const { url } = await listen(app, { host: '127.0.0.1', port: 0 });
  return { app, url };
}

/** Builds the workers app and what it depends on (the tests run its real process). */
export const buildWorkers = (): Promise<void> => buildProject('@commerce/workers');
