import { AnalyticsProcessor } from '@commerce/analytics';
import { analyticsJobId } from '@commerce/analytics-publisher';
import { type AnalyticsEvent, QueueName } from '@commerce/contracts';
import {
  type ScratchDatabase,
  TestTokenIssuer,
  createScratchDatabase,
  eventually,
  testEndpoints,
  uniqueName,
} from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startWorkersApp } from './support/workers-env';

// The workers process hosts the analytics context's processor (@commerce/analytics): it migrates
// the read model and applies the `analytics` queue, as it did before analytics had its own package.
describe('workers as host of the analytics processor (real PostgreSQL and Redis)', () => {
  const issuer = new TestTokenIssuer();
  const prefix = uniqueName('qh');
  let db: ScratchDatabase;
  let sql: Client;
  let queue: Queue;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    await issuer.start();
    db = await createScratchDatabase('workers_host');
    ({ app, url } = await startWorkersApp({
      QUEUE_PREFIX: prefix,
      DATABASE_URL: db.url,
      AUTH_JWKS_URL: issuer.jwksUrl,
    }));
    await app.get(AnalyticsProcessor).waitUntilReady();
    queue = new Queue(QueueName.analytics, { connection: { url: testEndpoints.redisUrl }, prefix });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await app?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await sql?.end().catch(() => undefined);
    await db?.drop();
    await issuer.stop();
  });

  it('migrates the read model under the migration names of existing databases', async () => {
    const { rows } = await sql.query<{ name: string }>('select name from migrations');
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
      const { rows } = await sql.query<{ carts: string }>(
        `select carts::text as carts from analytics_daily_funnel where day = '2026-04-01'`,
      );
      return rows[0]?.carts;
    });
    expect(carts).toBe('1');

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' } },
    });
  });
});
