import { QueueName, Role } from '@commerce/contracts';
import { testEndpoints } from '@commerce/testing';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { WorkersTestApp } from './support/workers-app';

// Bull Board and the queue gauges of a real workers app on real Redis.
describe('Bull Board and queue gauges', () => {
  const host = new WorkersTestApp();
  let analytics: Queue;

  beforeAll(async () => {
    await host.setUp({ BULL_BOARD_BASE_PATH: '/api/admin/queues' });
    analytics = new Queue(QueueName.analytics, {
      connection: { url: testEndpoints.redisUrl },
      prefix: host.prefix,
    });
  });

  afterAll(async () => {
    await host.tearDown();
    await analytics?.obliterate({ force: true }).catch(() => undefined);
    await analytics?.close();
  });

  const get = <T = Record<string, unknown>>(path: string, token?: string) =>
    host.request<T>('GET', path, token ? { token } : {});

  it('needs an admin token on every board route', async () => {
    for (const path of [
      '/admin/queues',
      '/admin/queues/api/queues',
      '/admin/queues/static/favicon.ico',
    ]) {
      const missing = await get(path);
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ code: 'TOKEN_MISSING', statusCode: 401 });
      const customer = await get(path, host.customer().token);
      expect(customer.status).toBe(403);
      expect(customer.body).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('serves the board page, its files and its API to an admin', async () => {
    const admin = host.token(randomUUID(), [Role.ADMIN]);
    const page = await get<string>('/admin/queues', admin);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = page.body;
    expect(html).toContain('<base href="/api/admin/queues/" />');
    expect(html).toContain('<title>Commerce queues</title>');
    const script = /src="(static\/js\/main[^"]+)"/.exec(html)?.[1];
    const file = await get(`/admin/queues/${script}`, admin);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('javascript');
    // The UI's client-side routes get the page too.
    expect(
      (await get('/admin/queues/queue/analytics', host.token(randomUUID(), [Role.SUPER_ADMIN])))
        .status,
    ).toBe(200);

    await analytics.add('x', { marker: true }, { delay: 60_000, jobId: 'board-delayed' });
    const res = await get<{
      queues: { name: string; counts: Record<string, number>; jobs: { id: string }[] }[];
    }>('/admin/queues/api/queues?activeQueue=analytics&status=delayed', admin);
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.queues.map((q) => q.name).sort()).toEqual(
      [QueueName.analytics, QueueName.campaign, QueueName.email].sort(),
    );
    const listed = body.queues.find((q) => q.name === QueueName.analytics);
    expect(listed?.counts.delayed).toBe(1);
    expect(listed?.jobs.map((j) => j.id)).toContain('board-delayed');
  });

  it('keeps board file requests inside the UI directory', async () => {
    const admin = host.token(randomUUID(), [Role.ADMIN]);
    for (const path of [
      '/admin/queues/static/..%2F..%2Fpackage.json',
      '/admin/queues/static/%2E%2E/index.ejs',
      '/admin/queues/static/nope.js',
    ]) {
      const res = await get(path, admin);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404 });
    }
  });

  it('reports job counts per queue and state on /metrics', async () => {
    await analytics.add('y', { marker: true }, { delay: 60_000, jobId: 'gauge-delayed' });
    const { body: text } = await get<string>('/metrics');
    expect(text).toContain('# TYPE bullmq_queue_jobs gauge');
    expect(text).toMatch(/bullmq_queue_jobs\{queue="analytics",state="delayed"\} 2/);
    for (const state of ['waiting', 'active', 'delayed', 'completed', 'failed']) {
      expect(text).toContain(`bullmq_queue_jobs{queue="campaign-email",state="${state}"}`);
    }
  });
});
