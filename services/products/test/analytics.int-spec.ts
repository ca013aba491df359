import { analyticsJobId } from '@commerce/analytics-publisher';
import { type AnalyticsEvent, QueueName, Role } from '@commerce/contracts';
import { eventually, testEndpoints, uniqueName } from '@commerce/testing';
import { type Job, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProductsTestEnvironment, type RunningProducts } from './support/products-app';

describe('product views for analytics', () => {
  const env = new ProductsTestEnvironment();
  const prefix = uniqueName('qp');
  let queue: Queue<AnalyticsEvent>;
  let products: RunningProducts;

  beforeAll(async () => {
    await env.setUp();
    products = await env.start({ QUEUE_PREFIX: prefix });
    queue = new Queue(QueueName.analytics, { connection: { url: testEndpoints.redisUrl }, prefix });
  });
  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await env.tearDown();
  });

  /** The view event of the request with `requestId`, once the background publish is done. */
  async function viewJob(productId: string, requestId: string): Promise<Job<AnalyticsEvent>> {
    const jobId = analyticsJobId(`product.viewed:${productId}:${requestId}`);
    return eventually(`job ${jobId}`, () => queue.getJob(jobId), 2_000, 20);
  }

  const views = async () => (await queue.getJobs(['wait', 'delayed', 'active'])).length;

  it('publishes product.viewed for GET /products/:id, naming a signed-in viewer', async () => {
    const { id } = await products.product(3);
    const anonymous = randomUUID();
    const res = await products.request('GET', `/products/${id}`, {
      headers: { 'x-request-id': anonymous },
    });
    expect(res.status).toBe(200);
    const job = await viewJob(id, anonymous);
    expect(job.data).toEqual({
      id: `product.viewed:${id}:${anonymous}`,
      type: 'product.viewed',
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      productId: id,
    });
    expect(job.name).toBe('product.viewed');
    expect(job.opts.attempts).toBeGreaterThan(1);

    const userId = randomUUID();
    const signedIn = randomUUID();
    const token = env.issuer.token([Role.CUSTOMER], userId);
    expect(
      (
        await products.request('GET', `/products/${id}`, {
          token,
          headers: { 'x-request-id': signedIn },
        })
      ).status,
    ).toBe(200);
    expect((await viewJob(id, signedIn)).data).toMatchObject({ productId: id, userId });
  });

  it('does not count backends, unknown products or callers that opt out', async () => {
    const { id } = await products.product(1);
    const before = await views();
    const service = await products.request('GET', `/products/${id}`, { token: products.service });
    const optOut = await products.request('GET', `/products/${id}`, {
      headers: { 'x-analytics': 'off' },
    });
    const missing = await products.request('GET', `/products/${randomUUID()}`);
    expect([service.status, optOut.status, missing.status]).toEqual([200, 200, 404]);
    await sleep(300);
    expect(await views()).toBe(before);
  });

  it('still answers, without delay, when Redis for analytics cannot be reached', async () => {
    const { id } = await products.product(1);
    for (const redis of ['redis://127.0.0.1:1', 'redis://10.255.255.1:6379']) {
      const cut = await env.start({
        QUEUE_PREFIX: prefix,
        REDIS_URL: redis,
        ANALYTICS_ENQUEUE_TIMEOUT_MS: '1500',
      });
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const res = await cut.request('GET', `/products/${id}`);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id });
        // The publish is not awaited: the answer does not wait for its 1.5 s timeout.
        expect(Date.now() - started).toBeLessThan(750);
      }
    }
  });
});
