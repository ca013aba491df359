import { analyticsJobId } from '@commerce/analytics-publisher';
import { type AnalyticsEvent, QueueName, Role } from '@commerce/contracts';
import {
  type Reply,
  type ScratchDatabase,
  TestTokenIssuer,
  createScratchDatabase,
  requestJson,
  testEndpoints,
  uniqueName,
  eventually,
} from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FAST_WORKER_ENV, startApi, startProcessors } from './support/analytics-apps';

interface Summary {
  from: string;
  to: string;
  orders: {
    total: number;
    byStatus: Record<string, number>;
    byDay: Record<string, number | string>[];
  };
  revenue: { currency: string; amount: number; orders: number }[];
  revenueByDay: { day: string; currency: string; amount: number }[];
  topProducts: { productId: string; units: number; revenue: number; currency: string }[];
  funnel: { carts: number; checkouts: number; paid: number };
  productViews: { total: number; top: { productId: string; views: number }[] };
}

const DAY1 = '2026-01-05';
const DAY2 = '2026-01-06';

describe('analytics (real PostgreSQL and Redis)', () => {
  const issuer = new TestTokenIssuer();
  const prefix = uniqueName('qa');
  /** Processor apps running now: the tests stop and start them, the API keeps running. */
  const processors: NestFastifyApplication[] = [];
  let api: NestFastifyApplication | undefined;
  let db: ScratchDatabase;
  let sql: Client;
  let queue: Queue;
  let url: string;
  const service = () => issuer.token([Role.SERVICE], 'activities');
  const admin = () => issuer.token([Role.CUSTOMER, Role.ADMIN]);
  const world = () => ({ databaseUrl: db.url, prefix });

  /** A processor app, as processors.main.ts builds it, in this process. */
  async function start(env: Record<string, string> = {}): Promise<NestFastifyApplication> {
    const app = await startProcessors(world(), {
      ANALYTICS_CONCURRENCY: '8',
      ...FAST_WORKER_ENV,
      WORKER_SHUTDOWN_GRACE_MS: '3000',
      ...env,
    });
    processors.push(app);
    return app;
  }

  async function stop(app: NestFastifyApplication): Promise<void> {
    processors.splice(processors.indexOf(app), 1);
    await app.close();
  }

  const request = <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: Parameters<typeof requestJson>[3] = {},
  ): Promise<Reply<T>> => requestJson<T>(url, method, path, options);

  const post = (event: unknown, token = service()) =>
    request<{ id: string; jobId: string }>('POST', '/internal/analytics/events', {
      token,
      body: event,
    });

  const summary = async (query = `from=${DAY1}&to=${DAY2}`) => {
    const res = await request<Summary>('GET', `/admin/analytics/summary?${query}`, {
      token: admin(),
    });
    expect(res.status).toBe(200);
    return res.body;
  };

  const applied = async (ids: string[]) => {
    const res = await sql.query<{ n: string }>(
      'select count(*) as n from analytics_applied_events where event_id = any($1)',
      [ids],
    );
    return Number(res.rows[0]?.n);
  };

  /** Waits until every event id is in the read model and the queue is idle. */
  const settled = (ids: string[]) =>
    eventually(`${ids.length} events to be applied`, async () => {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      const pending = Object.values(counts).reduce((a, b) => a + b, 0);
      return pending === 0 && (await applied(ids)) === ids.length;
    });

  const completed = (
    orderId: string,
    at: string,
    items: { productId: string; quantity: number; unitPrice: number }[],
    currency = 'EUR',
  ): AnalyticsEvent => ({
    id: `order.completed:${orderId}`,
    type: 'order.completed',
    at,
    orderId,
    customerId: 'c-1',
    total: items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0),
    currency,
    items,
  });

  beforeAll(async () => {
    await issuer.start();
    db = await createScratchDatabase('analytics');
    sql = new Client({ connectionString: db.url });
    queue = new Queue(QueueName.analytics, {
      connection: { url: testEndpoints.redisUrl },
      prefix,
    });
    // The API: the internal route, the summary, /health.
    ({ app: api, url } = await startApi(world(), issuer.jwksUrl));
    await start();
    await sql.connect();
  });

  afterAll(async () => {
    await Promise.allSettled([...processors, ...(api ? [api] : [])].map((app) => app.close()));
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close().catch(() => undefined);
    await sql?.end().catch(() => undefined);
    await db?.drop();
    await issuer.stop();
  });

  it('folds events posted to the internal route into the summary', async () => {
    const [p1, p2, p3] = [randomUUID(), randomUUID(), randomUUID()];
    const o1 = randomUUID();
    const o2 = randomUUID();
    const o3 = randomUUID();
    const o4 = randomUUID();
    const events: AnalyticsEvent[] = [
      {
        id: `cart.created:c-1:1`,
        type: 'cart.created',
        at: `${DAY1}T08:00:00Z`,
        customerId: 'c-1',
      },
      {
        id: `cart.created:c-2:1`,
        type: 'cart.created',
        at: `${DAY1}T09:00:00Z`,
        customerId: 'c-2',
      },
      {
        id: `checkout.started:${o1}`,
        type: 'checkout.started',
        at: `${DAY1}T10:00:00Z`,
        orderId: o1,
        customerId: 'c-1',
        total: 2500,
        currency: 'EUR',
      },
      completed(o1, `${DAY1}T10:05:00Z`, [
        { productId: p1, quantity: 2, unitPrice: 1000 },
        { productId: p2, quantity: 1, unitPrice: 500 },
      ]),
      // The evening of DAY1 in New York is already DAY2 in UTC: days are UTC.
      completed(o2, `${DAY1}T22:30:00-05:00`, [{ productId: p1, quantity: 1, unitPrice: 1000 }]),
      completed(o3, `${DAY2}T12:00:00Z`, [{ productId: p3, quantity: 5, unitPrice: 300 }], 'USD'),
      {
        id: `order.cancelled:${o4}`,
        type: 'order.cancelled',
        at: `${DAY2}T13:00:00Z`,
        orderId: o4,
        customerId: 'c-2',
        total: 900,
        currency: 'EUR',
        items: [{ productId: p2, quantity: 9, unitPrice: 100 }],
        reason: 'customer cancelled',
      },
      {
        id: `order.failed:${randomUUID()}`,
        type: 'order.failed',
        at: `${DAY2}T14:00:00Z`,
        orderId: randomUUID(),
        customerId: 'c-3',
        total: 100,
        currency: 'EUR',
        items: [],
      },
      {
        id: `product.viewed:${p1}:r1`,
        type: 'product.viewed',
        at: `${DAY1}T07:00:00Z`,
        productId: p1,
      },
      {
        id: `product.viewed:${p1}:r2`,
        type: 'product.viewed',
        at: `${DAY2}T07:00:00Z`,
        productId: p1,
        userId: 'c-1',
      },
      {
        id: `product.viewed:${p2}:r3`,
        type: 'product.viewed',
        at: `${DAY2}T07:00:00Z`,
        productId: p2,
      },
    ];
    for (const event of events) {
      const res = await post(event);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ id: event.id, jobId: analyticsJobId(event.id) });
    }
    await settled(events.map((e) => e.id));

    const body = await summary();
    expect(body).toEqual({
      from: DAY1,
      to: DAY2,
      orders: {
        total: 5,
        byStatus: { COMPLETED: 3, CANCELLED: 1, FAILED: 1 },
        byDay: [
          { day: DAY1, COMPLETED: 1, CANCELLED: 0, FAILED: 0 },
          { day: DAY2, COMPLETED: 2, CANCELLED: 1, FAILED: 1 },
        ],
      },
      revenue: [
        { currency: 'EUR', amount: 3500, orders: 2 },
        { currency: 'USD', amount: 1500, orders: 1 },
      ],
      revenueByDay: [
        { day: DAY1, currency: 'EUR', amount: 2500 },
        { day: DAY2, currency: 'EUR', amount: 1000 },
        { day: DAY2, currency: 'USD', amount: 1500 },
      ],
      topProducts: [
        { productId: p3, units: 5, revenue: 1500, currency: 'USD' },
        { productId: p1, units: 3, revenue: 3000, currency: 'EUR' },
        { productId: p2, units: 1, revenue: 500, currency: 'EUR' },
      ],
      funnel: { carts: 2, checkouts: 1, paid: 3 },
      productViews: {
        total: 3,
        top: [
          { productId: p1, views: 2 },
          { productId: p2, views: 1 },
        ],
      },
    });

    // One day of the range, and a shorter top list.
    const day1 = await summary(`from=${DAY1}&to=${DAY1}&top=1`);
    expect(day1.orders.total).toBe(1);
    expect(day1.topProducts).toEqual([{ productId: p1, units: 2, revenue: 2000, currency: 'EUR' }]);
    expect(day1.productViews).toEqual({ total: 1, top: [{ productId: p1, views: 1 }] });
  });

  it('counts an event once however often it is posted or enqueued', async () => {
    const day = '2026-02-01';
    const p = randomUUID();
    const event = completed(randomUUID(), `${day}T10:00:00Z`, [
      { productId: p, quantity: 3, unitPrice: 700 },
    ]);
    const replies = [await post(event), await post(event), await post(event)];
    expect(new Set(replies.map((r) => `${r.status} ${r.body.jobId}`))).toEqual(
      new Set([`202 ${analyticsJobId(event.id)}`]),
    );
    await settled([event.id]);
    // The same event as a job of its own (another producer, or its job long removed).
    await queue.add(event.type, event, { jobId: `replayed-${randomUUID()}` });
    await settled([event.id]);

    const body = await summary(`from=${day}&to=${day}`);
    expect(body.orders.byStatus.COMPLETED).toBe(1);
    expect(body.revenue).toEqual([{ currency: 'EUR', amount: 2100, orders: 1 }]);
    expect(body.topProducts).toEqual([{ productId: p, units: 3, revenue: 2100, currency: 'EUR' }]);
    expect(body.funnel.paid).toBe(1);
  });

  it('counts an event once when it is delivered many times at once', async () => {
    const day = '2026-02-02';
    const event = completed(randomUUID(), `${day}T10:00:00Z`, [
      { productId: randomUUID(), quantity: 1, unitPrice: 999 },
    ]);
    const replies = await Promise.all(Array.from({ length: 10 }, () => post(event)));
    expect(replies.every((r) => r.status === 202)).toBe(true);
    // And ten jobs of their own for it, applied by concurrent workers.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        queue.add(event.type, event, { jobId: `burst-${i}-${randomUUID()}` }),
      ),
    );
    await settled([event.id]);
    const body = await summary(`from=${day}&to=${day}`);
    expect(body.orders.total).toBe(1);
    expect(body.revenue).toEqual([{ currency: 'EUR', amount: 999, orders: 1 }]);
  });

  it('applies events enqueued while no worker runs once one starts, and loses none on a restart', async () => {
    const day = '2026-02-03';
    const running = processors[0]!;
    await stop(running);
    // Enqueued while nothing consumes the queue: straight to Redis, as the producers do.
    const views: AnalyticsEvent[] = Array.from({ length: 40 }, (_, i) => ({
      id: `product.viewed:offline:${i}:${randomUUID()}`,
      type: 'product.viewed',
      at: `${day}T10:00:00Z`,
      productId: `p-${i % 4}`,
    }));
    await queue.addBulk(
      views.map((event) => ({
        name: event.type,
        data: event,
        opts: { jobId: analyticsJobId(event.id) },
      })),
    );
    expect(await applied(views.map((v) => v.id))).toBe(0);

    // A worker that is closed while it works, then another one.
    const first = await start({ ANALYTICS_CONCURRENCY: '2' });
    await eventually(
      'some events to be applied',
      async () => (await applied(views.map((v) => v.id))) > 0,
    );
    await stop(first);
    await start();
    await settled(views.map((v) => v.id));

    const body = await summary(`from=${day}&to=${day}`);
    expect(body.productViews.total).toBe(40);
    expect(body.productViews.top).toEqual([
      { productId: 'p-0', views: 10 },
      { productId: 'p-1', views: 10 },
      { productId: 'p-2', views: 10 },
      { productId: 'p-3', views: 10 },
    ]);
  });

  it('applies a job whose worker died holding it (the job stalls and runs again)', async () => {
    const day = '2026-02-06';
    const event: AnalyticsEvent = {
      id: `cart.created:dead-worker:${randomUUID()}`,
      type: 'cart.created',
      at: `${day}T10:00:00Z`,
      customerId: 'c-dead',
    };
    // No processor of ours runs while a worker that never finishes takes the job.
    await stop(processors[0]!);
    let taken = false;
    const doomed = new Worker(
      QueueName.analytics,
      () => {
        taken = true;
        return new Promise<void>(() => undefined);
      },
      // skipStalledCheck: its own first check would hold the queue's `stalled-check` throttle key
      // for its default 30 s interval and keep the next worker from finding the stalled job.
      {
        connection: { url: testEndpoints.redisUrl },
        prefix,
        lockDuration: 1000,
        skipStalledCheck: true,
      },
    );
    await queue.add(event.type, event, { jobId: analyticsJobId(event.id), attempts: 3 });
    await eventually('the doomed worker to take the job', () => taken);
    // As if its process were killed: the lock is no longer renewed and nothing completes the job.
    await doomed.close(true);
    expect(await applied([event.id])).toBe(0);

    await start();
    await settled([event.id]);
    const body = await summary(`from=${day}&to=${day}`);
    expect(body.funnel).toEqual({ carts: 1, checkouts: 0, paid: 0 });
  });

  it('refuses bad events with 400 naming the field, and enqueues nothing', async () => {
    const before = await queue.getJobCounts();
    const good = completed(randomUUID(), '2026-02-04T10:00:00Z', [
      { productId: 'p', quantity: 1, unitPrice: 100 },
    ]);
    const cases: [unknown, string][] = [
      [{ ...good, type: 'order.lost' }, 'type'],
      [{ ...good, total: -1 }, 'total'],
      [{ ...good, currency: 'euro' }, 'currency'],
      [{ ...good, at: 'yesterday' }, 'at'],
      [{ ...good, items: [{ productId: 'p', quantity: 0, unitPrice: 100 }] }, 'items[0].quantity'],
      [{ ...good, extra: true }, 'extra'],
      [{ id: 'x', type: 'product.viewed', at: '2026-02-04T10:00:00Z' }, 'productId'],
      [{ ...good, id: '' }, 'id'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      const details = (res.body as unknown as { details: { field: string }[] }).details;
      expect(details.map((d) => d.field)).toContain(field);
    }
    const notJson = await request('POST', '/internal/analytics/events', {
      token: service(),
      raw: '[1, 2]',
    });
    expect(notJson.status).toBe(400);
    expect(await queue.getJobCounts()).toEqual(before);
  });

  it('lets only SERVICE tokens post events and only admins read the summary', async () => {
    const event = {
      id: 'cart.created:x',
      type: 'cart.created',
      at: '2026-02-05T00:00:00Z',
      customerId: 'x',
    };
    expect((await post(event, issuer.token([Role.CUSTOMER]))).status).toBe(403);
    expect((await post(event, issuer.token([Role.ADMIN]))).status).toBe(403);
    expect((await request('POST', '/internal/analytics/events', { body: event })).status).toBe(401);

    const customer = await request('GET', '/admin/analytics/summary', {
      token: issuer.token([Role.CUSTOMER]),
    });
    expect(customer.status).toBe(403);
    expect(customer.body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await request('GET', '/admin/analytics/summary')).status).toBe(401);
    const superAdmin = await request('GET', '/admin/analytics/summary', {
      token: issuer.token([Role.SUPER_ADMIN]),
    });
    expect(superAdmin.status).toBe(200);
    expect((await request('GET', '/health')).status).toBe(200);
  });

  it('answers the default range and refuses bad ranges with 400 naming the field', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const defaults = await request<Summary>('GET', '/admin/analytics/summary', { token: admin() });
    expect(defaults.status).toBe(200);
    expect(defaults.body.to).toBe(today);
    const days = (Date.parse(defaults.body.to) - Date.parse(defaults.body.from)) / 86_400_000;
    expect(days).toBe(29);

    const bad: [string, string][] = [
      ['from=2026-02-30&to=2026-03-01', 'from'],
      ['from=01-02-2026', 'from'],
      ['to=tomorrow', 'to'],
      ['from=2026-03-02&to=2026-03-01', 'from'],
      ['from=2024-01-01&to=2026-01-01', 'to'],
      ['top=0', 'top'],
      ['top=101', 'top'],
      ['top=abc', 'top'],
      ['bogus=1', 'bogus'],
    ];
    for (const [query, field] of bad) {
      const res = await request('GET', `/admin/analytics/summary?${query}`, { token: admin() });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      const details = (res.body as unknown as { details: { field: string }[] }).details;
      expect({ query, fields: details.map((d) => d.field) }).toEqual({
        query,
        fields: expect.arrayContaining([field]),
      });
    }
  });
});
