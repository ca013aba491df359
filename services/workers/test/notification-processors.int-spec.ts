import { QueueName } from '@commerce/contracts';
import { testEndpoints } from '@commerce/testing';
import { Queue } from 'bullmq';
import { hostname } from 'node:os';
import { WorkersTestApp, eventually } from './support/workers-app';

// The workers host composes the notifications context's processors (their behaviour is tested in
// services/notifications/test): they run here on the host's config and report in its /health.
describe('workers host: the notifications processors', () => {
  const host = new WorkersTestApp();
  let queues: Queue[];

  beforeAll(async () => {
    await host.setUp({ EMAIL_CONCURRENCY: '3' });
    queues = [QueueName.email, QueueName.campaign].map(
      (name) =>
        new Queue(name, { connection: { url: testEndpoints.redisUrl }, prefix: host.prefix }),
    );
  });

  afterAll(async () => {
    await host.tearDown();
    for (const queue of queues ?? []) await queue.close();
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
    const res = await host.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { mongodb: { status: 'up' }, redis: { status: 'up' }, postgres: { status: 'up' } },
    });
  });
});
