import { analyticsJobId } from '@commerce/analytics-publisher';
import { type AnalyticsEvent, QueueName, Role } from '@commerce/contracts';
import {
  ChildApp,
  type ScratchDatabase,
  TestTokenIssuer,
  buildProject,
  createScratchDatabase,
  eventually,
  freePort,
  requestJson,
  testEndpoints,
  uniqueName,
} from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FAST_WORKER_ENV, startApi, worldEnv } from './support/analytics-apps';

const DAY = '2026-03-09';
const ORDERS = 1500;
const VIEWS = 1500;

/**
 * The analytics read model across a kill -9 of the processor process (dist/processors.main.js, as
 * deployed alone) while it applies events, with part of the events delivered a second time under
 * new job ids: every event counts exactly once. The summary is read from the API.
 */
describe('analytics across a killed processor process (real PostgreSQL and Redis)', () => {
  const issuer = new TestTokenIssuer();
  const prefix = uniqueName('qf');
  const children: ChildApp[] = [];
  let db: ScratchDatabase;
  let queue: Queue;
  let sql: Client;
  let api: NestFastifyApplication | undefined;
  let apiUrl: string;

  const spawnProcessor = async (): Promise<ChildApp> => {
    const child = await ChildApp.start({
      name: 'analytics-processors',
      dir: 'services/analytics',
      main: 'dist/processors.main.js',
      port: await freePort(),
      env: {
        ...worldEnv({ databaseUrl: db.url, prefix }),
        LOG_LEVEL: 'warn',
        ANALYTICS_CONCURRENCY: '16',
        ...FAST_WORKER_ENV,
        WORKER_SHUTDOWN_GRACE_MS: '5000',
      },
      healthPath: '/health',
      startTimeoutMs: 20_000,
    });
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    const [database] = await Promise.all([
      createScratchDatabase('analytics_fault'),
      buildProject('@commerce/analytics'),
      issuer.start(),
    ]);
    db = database;
    queue = new Queue(QueueName.analytics, {
      connection: { url: testEndpoints.redisUrl },
      prefix,
    });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    ({ app: api, url: apiUrl } = await startApi({ databaseUrl: db.url, prefix }, issuer.jwksUrl));
  }, 300_000);
  afterEach(async () => {
    const running = children.splice(0);
    for (const child of running) child.process.kill('SIGTERM');
    await Promise.all(running.map((child) => child.exited));
  });
  afterAll(async () => {
    await api?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await sql?.end().catch(() => undefined);
    await db?.drop();
    await issuer.stop();
  });

  const applied = async () =>
    Number(
      (await sql.query<{ n: string }>('select count(*) as n from analytics_applied_events')).rows[0]
        ?.n,
    );

  it('counts every event once after a kill -9 halfway and a redelivery', async () => {
    // Orders of 1-3 units of one of four products, and product views, all on one day.
    const sales = Array.from({ length: ORDERS }, (_, i) => ({
      orderId: randomUUID(),
      productId: `p-${i % 4}`,
      quantity: (i % 3) + 1,
    }));
    const orders: AnalyticsEvent[] = sales.map((sale, i) => ({
      id: `order.completed:${sale.orderId}`,
      type: 'order.completed',
      at: `${DAY}T10:00:00Z`,
      orderId: sale.orderId,
      customerId: `c-${i % 50}`,
      total: sale.quantity * 250,
      currency: 'EUR',
      items: [{ productId: sale.productId, quantity: sale.quantity, unitPrice: 250 }],
    }));
    const views: AnalyticsEvent[] = Array.from({ length: VIEWS }, (_, i) => ({
      id: `product.viewed:fault:${i}:${randomUUID()}`,
      type: 'product.viewed',
      at: `${DAY}T11:00:00Z`,
      productId: `p-${i % 4}`,
    }));
    const events = [...orders, ...views];
    await queue.addBulk(
      events.map((event) => ({
        name: event.type,
        data: event,
        opts: { jobId: analyticsJobId(event.id), attempts: 5 },
      })),
    );

    const first = await spawnProcessor();
    await eventually(
      'a third of the events to be applied',
      async () => (await applied()) >= 1000,
      60_000,
      5,
    );
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const atKill = await applied();
    expect(atKill).toBeLessThan(events.length);
    // The dead process held jobs: they stay active until their locks run out and they stall.
    const held = (await queue.getJobCounts('active')).active ?? 0;
    expect(held).toBeGreaterThan(0);

    // A producer that retried after a lost answer: the first 500 orders again, as new jobs.
    await queue.addBulk(
      orders.slice(0, 500).map((event) => ({
        name: event.type,
        data: event,
        opts: { jobId: `redelivered-${randomUUID()}` },
      })),
    );

    const second = await spawnProcessor();
    await eventually(
      'every event to be applied and the queue to be idle',
      async () => {
        const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
        const pending = Object.values(counts).reduce((a, b) => a + b, 0);
        return pending === 0 && (await applied()) === events.length;
      },
      90_000,
    );
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });

    const res = await requestJson<{
      orders: { total: number; byStatus: Record<string, number> };
      revenue: { currency: string; amount: number; orders: number }[];
      topProducts: { productId: string; units: number; revenue: number }[];
      productViews: { total: number };
    }>(apiUrl, 'GET', `/admin/analytics/summary?from=${DAY}&to=${DAY}`, {
      token: issuer.token([Role.CUSTOMER, Role.ADMIN]),
    });
    expect(res.status).toBe(200);
    const units = (product: string) =>
      sales.filter((sale) => sale.productId === product).reduce((sum, s) => sum + s.quantity, 0);
    const revenue = sales.reduce((sum, sale) => sum + sale.quantity * 250, 0);
    expect(res.body.orders.total).toBe(ORDERS);
    expect(res.body.orders.byStatus.COMPLETED).toBe(ORDERS);
    expect(res.body.revenue).toEqual([{ currency: 'EUR', amount: revenue, orders: ORDERS }]);
    expect(Object.fromEntries(res.body.topProducts.map((p) => [p.productId, p.units]))).toEqual({
      'p-0': units('p-0'),
      'p-1': units('p-1'),
      'p-2': units('p-2'),
      'p-3': units('p-3'),
    });
    expect(res.body.productViews.total).toBe(VIEWS);
    console.log(
      `[analytics fault] applied before the kill: ${atKill}/${events.length}; jobs held by the dead process: ${held}`,
    );
    // The processor entrypoint alone serves /health (checked at its start) and /metrics.
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(
      /business_operations_total\{[^}]*operation="job\.analytics"[^}]*status="applied"[^}]*\} [1-9]/,
    );
    expect(second.output()).not.toMatch(/"level":(50|60)/);
  }, 300_000);
});
