import { AnalyticsProcessor } from '@commerce/analytics';
import { analyticsJobId } from '@commerce/analytics-publisher';
import { type AnalyticsEvent, QueueName } from '@commerce/contracts';
import { testEndpoints } from '@commerce/testing';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { WorkersTestApp, eventually } from './support/workers-app';

// The workers process hosts the analytics context's processor (@commerce/analytics): it migrates
// the read model and applies the `analytics` queue, as it did before analytics had its own package.
describe('workers as host of the analytics processor (real PostgreSQL and Redis)', () => {
  const host = new WorkersTestApp();
  let queue: Queue;

  beforeAll(async () => {
    await host.setUp();
    await host.app.get(AnalyticsProcessor).waitUntilReady();
    queue = new Queue(QueueName.analytics, {
      connection: { url: testEndpoints.redisUrl },
      prefix: host.prefix,
    });
  });

  afterAll(async () => {
    await host.tearDown();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
  });

  it('migrates the read model under the migration names of existing databases', async () => {
    const { rows } = await host.sql.query<{ name: string }>('select name from migrations');
    expect(rows.map((row) => row.name)).toEqual(['CreateAnalyticsSchema1767484800000']);
  });

  it('applies analytics events from the queue and reports the read model in /health', async () => {
    const event: AnalyticsEvent = {
      id: `cart.created:host:${randomUUID()}`,
      type: 'cart.created',
      at: '2026-04-01T10:00:00Z',
      customerId: 'c-host',
    };
    await queue.add(event.type, event, { jobId: analyticsJobId(event.id) });
    const carts = await eventually('the event to be applied', async () => {
      const { rows } = await host.sql.query<{ carts: string }>(
        `select carts::text as carts from analytics_daily_funnel where day = '2026-04-01'`,
      );
      return rows[0]?.carts;
    });
    expect(carts).toBe('1');

    const health = await host.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' } },
    });
  });
});
