import { analyticsJobId } from '@commerce/analytics-publisher';
import { type AnalyticsEvent, QueueName } from '@commerce/contracts';
import { connectTestTemporal, eventually, testEndpoints, uniqueName } from '@commerce/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Job, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADDRESS, OrdersTestEnvironment, terminateCheckouts } from './support/orders-app';

/** Cart created and checkout started reach the `analytics` queue; Redis trouble changes nothing. */
describe('orders analytics events (real Redis and Temporal dev server)', () => {
  const prefix = uniqueName('qo');
  const env = new OrdersTestEnvironment();
  const started: string[] = [];
  let temporal: TestWorkflowEnvironment;
  let queue: Queue<AnalyticsEvent>;

  beforeAll(async () => {
    await env.setUp({
      QUEUE_PREFIX: prefix,
      CHECKOUT_START_RETRY_INTERVAL_MS: '0',
      CHECKOUT_REVIEW_THRESHOLD: '1000000',
    });
    temporal = await connectTestTemporal();
    queue = new Queue(QueueName.analytics, { connection: { url: testEndpoints.redisUrl }, prefix });
  });
  afterAll(async () => {
    await terminateCheckouts(temporal, started);
    await temporal?.teardown();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await env.tearDown();
  });

  async function job(eventId: string): Promise<Job<AnalyticsEvent>> {
    return eventually(
      `a job for ${eventId}`,
      () => queue.getJob(analyticsJobId(eventId)),
      2_000,
      20,
    );
  }

  const jobsOf = async (type: AnalyticsEvent['type'], customerId: string) =>
    (await queue.getJobs(['wait', 'delayed', 'active', 'completed'])).filter(
      (j) => j.data.type === type && 'customerId' in j.data && j.data.customerId === customerId,
    );

  it('publishes cart.created for the first line of a cart, once', async () => {
    const { id, token } = env.customer();
    const a = env.stand.addProduct({ price: 1250 });
    const b = env.stand.addProduct({ price: 300 });
    await env.fillCart(token, [
      { productId: a.id, quantity: 1 },
      { productId: a.id, quantity: 1 },
      { productId: b.id, quantity: 2 },
    ]);
    await sleep(200);
    const created = await jobsOf('cart.created', id);
    expect(created).toHaveLength(1);
    expect(created[0]!.data).toEqual({
      id: expect.stringMatching(new RegExp(`^cart\\.created:${id}:\\d+$`)),
      type: 'cart.created',
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      customerId: id,
    });

    // Emptied and filled again: a new cart.
    for (const productId of [a.id, b.id]) {
      const res = await env.request('DELETE', `/cart/items/${productId}`, { token });
      expect(res.status).toBeLessThan(300);
    }
    await env.fillCart(token, [{ productId: b.id, quantity: 1 }]);
    await sleep(200);
    expect(await jobsOf('cart.created', id)).toHaveLength(2);
  });

  it('publishes checkout.started when POST /checkout creates the order, once per order', async () => {
    const { id, token } = env.customer();
    const kettle = env.stand.addProduct({ price: 1250 });
    await env.fillCart(token, [{ productId: kettle.id, quantity: 2 }]);
    const key = randomUUID();
    const first = await env.request<{ orderId: string }>('POST', '/checkout', {
      token,
      body: { paymentMethodId: 'pm_card_visa', shippingAddress: ADDRESS },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(202);
    const orderId = first.body.orderId;
    started.push(orderId);
    const published = await job(`checkout.started:${orderId}`);
    expect(published.data).toEqual({
      id: `checkout.started:${orderId}`,
      type: 'checkout.started',
      at: expect.any(String),
      orderId,
      customerId: id,
      total: 2500,
      currency: 'EUR',
    });

    const again = await env.request<{ orderId: string }>('POST', '/checkout', {
      token,
      body: { paymentMethodId: 'pm_card_visa', shippingAddress: ADDRESS },
      headers: { 'idempotency-key': key },
    });
    expect(again.body.orderId).toBe(orderId);
    await sleep(200);
    expect(await jobsOf('checkout.started', id)).toHaveLength(1);
  });

  it('answers as usual, without delay, when Redis for analytics cannot be reached', async () => {
    const cut = new OrdersTestEnvironment();
    try {
      // Only the publisher's Redis is unreachable (token checks keep theirs).
      await cut.setUp({
        QUEUE_PREFIX: prefix,
        ANALYTICS_REDIS_URL: 'redis://10.255.255.1:6379',
        ANALYTICS_ENQUEUE_TIMEOUT_MS: '1500',
        CHECKOUT_START_RETRY_INTERVAL_MS: '0',
        CHECKOUT_REVIEW_THRESHOLD: '1000000',
      });
      const { id, token } = cut.customer();
      const kettle = cut.stand.addProduct({ price: 1250 });
      let t = Date.now();
      const added = await cut.request('POST', '/cart/items', {
        token,
        body: { productId: kettle.id, quantity: 1 },
      });
      expect(added.status).toBe(201);
      expect(Date.now() - t).toBeLessThan(750);

      t = Date.now();
      const placed = await cut.request<{ orderId: string; status: string }>('POST', '/checkout', {
        token,
        body: { paymentMethodId: 'pm_card_visa', shippingAddress: ADDRESS },
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(placed.status).toBe(202);
      expect(placed.body).toEqual({ orderId: expect.any(String), status: 'PENDING' });
      expect(Date.now() - t).toBeLessThan(1500);
      started.push(placed.body.orderId);
      // Nothing reached the real queue from this app.
      expect(await jobsOf('cart.created', id)).toHaveLength(0);
    } finally {
      await cut.tearDown();
    }
  });
});
