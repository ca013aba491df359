import { QueueName } from '@commerce/contracts';
import {
  type ScratchDatabase,
  TestTokenIssuer,
  createScratchDatabase,
  testEndpoints,
  uniqueName,
} from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { hostname } from 'node:os';
import { startWorkersApp, eventually } from './support/workers-env';

// The workers host composes the notifications context's processors (their behaviour is tested in
// services/notifications/test): they run here on the host's config and report in its /health.
describe('workers host: the notifications processors', () => {
  const issuer = new TestTokenIssuer();
  const prefix = uniqueName('wkn');
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let queues: Queue[];

  beforeAll(async () => {
    await issuer.start();
    db = await createScratchDatabase('wkhost');
    ({ app, url } = await startWorkersApp({
      QUEUE_PREFIX: prefix,
      DATABASE_URL: db.url,
      AUTH_JWKS_URL: issuer.jwksUrl,
      EMAIL_CONCURRENCY: '3',
    }));
    queues = [QueueName.email, QueueName.campaign].map(
      (name) => new Queue(name, { connection: { url: testEndpoints.redisUrl }, prefix }),
    );
  });

  afterAll(async () => {
    await app?.close();
    for (const queue of queues ?? []) await queue.close();
    await db?.drop();
    await issuer.stop();
  });

  it('works on the email and campaign-email queues, one worker each in this process', async () => {
    for (const queue of queues) {
      const workers = await eventually(`a worker on ${queue.name}`, async () => {
        const found = await queue.getWorkers();
        return found.length > 0 ? found : undefined;
      });
      // BullMQ names a worker's connection after the worker (WORKER_ID, host:pid).
      expect(workers.map((w) => w.rawname)).toEqual([
        expect.stringMatching(new RegExp(`:w:${hostname()}:${process.pid}$`)),
      ]);
    }
  });

  it('reports the notifications database in its /health', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      info: { mongodb: { status: 'up' }, redis: { status: 'up' }, postgres: { status: 'up' } },
    });
  });
});
