import { randomUUID } from 'node:crypto';
import {
  checkoutWorkflowId,
  type CheckoutInput,
  TaskQueue,
  taskQueueName,
} from '@commerce/contracts';
import { connectTestTemporal, uniqueName } from '@commerce/testing';
import { SearchAttribute } from '@commerce/workflows';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CheckoutService } from '../src/checkout/checkout.service';
import {
  ADDRESS,
  OrdersTestEnvironment,
  errorShape,
  terminateCheckouts,
} from './support/orders-app';

/**
 * POST /checkout against the real dev server. No worker polls this run's own checkout queue (its
 * prefix is unique), so each started workflow waits at its first task: what is checked is the
 * start itself (once per order, with its input and search attributes). Every workflow started
 * here is terminated at the end.
 */
describe('checkout API (real Temporal dev server)', () => {
  const env = new OrdersTestEnvironment();
  const prefix = `${uniqueName('orders-int')}.`;
  let temporal: TestWorkflowEnvironment;
  const started: string[] = [];

  beforeAll(async () => {
    await env.setUp({
      TEMPORAL_TASK_QUEUE_PREFIX: prefix,
      CHECKOUT_REVIEW_THRESHOLD: '50000',
      CHECKOUT_REVIEW_TIMEOUT_MS: '120000',
      CHECKOUT_START_RETRY_INTERVAL_MS: '0',
      CHECKOUT_MAX_PENDING_REVIEWS: '2',
    });
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await terminateCheckouts(temporal, started);
    await temporal?.teardown();
    await env.tearDown();
  });

  async function customerWithCart() {
    const id = randomUUID();
    const token = env.issuer.token(['CUSTOMER'], id, { email: 'ada@example.test' });
    const kettle = env.stand.addProduct({ price: 1250, name: 'Kettle' });
    await env.fillCart(token, [{ productId: kettle.id, quantity: 2 }]);
    return { id, token, kettle };
  }

  const body = { paymentMethodId: 'pm_card_visa', shippingAddress: ADDRESS };

  function submit(token: string, key?: string, payload: unknown = body) {
    return env.request<{ orderId: string; status: string }>('POST', '/checkout', {
      token,
      body: payload,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
  }

  it('places the order and starts checkout-<orderId> on the checkout queue with its input', async () => {
    const { id, token, kettle } = await customerWithCart();
    const res = await submit(token, randomUUID());
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ orderId: expect.any(String), status: 'PENDING' });
    started.push(res.body.orderId);

    const handle = temporal.client.workflow.getHandle(checkoutWorkflowId(res.body.orderId));
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.taskQueue).toBe(taskQueueName(TaskQueue.checkout, prefix));
    expect(description.type).toBe('checkoutWorkflow');
    expect(description.typedSearchAttributes.get(SearchAttribute.CustomerId)).toBe(id);
    expect(description.typedSearchAttributes.get(SearchAttribute.OrderId)).toBe(res.body.orderId);
    const history = await handle.fetchHistory();
    const input =
      temporal.client.options.loadedDataConverter.payloadConverter.fromPayload<CheckoutInput>(
        history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!,
      );
    expect(input).toMatchObject({
      orderId: res.body.orderId,
      customerId: id,
      customerEmail: 'ada@example.test',
      total: 2500,
      currency: 'EUR',
      paymentMethodId: 'pm_card_visa',
      reviewThreshold: 50_000,
      reviewTimeoutMs: 120_000,
      items: [{ productId: kettle.id, quantity: 2, unitPrice: 1250, name: 'Kettle' }],
    });
    expect(input.requestId).toEqual(expect.any(String));
    expect(await env.count('cart_items', 'customer_id = $1', [id])).toBe(0);
  });

  it('gives ten concurrent submissions with one key one order and one workflow', async () => {
    const { id, token } = await customerWithCart();
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 10 }, () => submit(token, key)));
    const ids = new Set(replies.map((r) => r.body.orderId));
    expect(ids.size).toBe(1);
    const [orderId] = [...ids] as [string];
    started.push(orderId);
    expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(9);
    expect(await env.count('orders', 'customer_id = $1', [id])).toBe(1);
    // One run for the id: a second start would have been refused, and no other run exists.
    const runs: string[] = [];
    for await (const execution of temporal.client.workflow.list({
      query: `WorkflowId = '${checkoutWorkflowId(orderId)}'`,
    })) {
      runs.push(execution.runId);
    }
    expect(runs.length).toBeLessThanOrEqual(1);
    const history = await temporal.client.workflow
      .getHandle(checkoutWorkflowId(orderId))
      .fetchHistory();
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes).toBeTruthy();
    // A later repeat is still the same order, 200, no new workflow.
    const again = await submit(token, key);
    expect(again.status).toBe(200);
    expect(again.body.orderId).toBe(orderId);
  });

  it('refuses a checkout without a valid Idempotency-Key, naming the header, and writes nothing', async () => {
    const { id, token } = await customerWithCart();
    for (const key of [undefined, '', 'has spaces', 'x'.repeat(129)]) {
      const res = await submit(token, key);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject(errorShape(400, 'VALIDATION_FAILED'));
      expect(JSON.stringify(res.body)).toContain('Idempotency-Key');
    }
    expect(await env.count('orders', 'customer_id = $1', [id])).toBe(0);
  });

  it('refuses a bad body with the field named and writes nothing', async () => {
    const { id, token } = await customerWithCart();
    const res = await submit(token, randomUUID(), {
      paymentMethodId: 'pm_card_visa',
      shippingAddress: { ...ADDRESS, country: 'Narnia' },
      extra: true,
    });
    expect(res.status).toBe(400);
    const fields = (res.body as unknown as { details: { field: string }[] }).details.map(
      (d) => d.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['shippingAddress.country', 'extra']));
    expect(await env.count('orders', 'customer_id = $1', [id])).toBe(0);
  });

  it('refuses service accounts and anonymous callers', async () => {
    expect((await submit(env.serviceToken(), randomUUID())).status).toBe(403);
    const anonymous = await env.request('POST', '/checkout', {
      body,
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(anonymous.status).toBe(401);
  });

  it('shows the live checkout state on GET /orders/:id while the workflow runs', async () => {
    const { token } = await customerWithCart();
    const res = await submit(token, randomUUID());
    started.push(res.body.orderId);
    const order = await env.request<{ status: string; checkout?: unknown }>(
      'GET',
      `/orders/${res.body.orderId}`,
      { token },
    );
    expect(order.status).toBe(200);
    expect(order.body.status).toBe('PENDING');
    // No worker has run the workflow's first task, so a query cannot be answered yet: the stored
    // status is shown without the live part rather than an error.
    expect(order.body.checkout).toBeUndefined();
  });

  it('bounds the checkouts one customer has waiting for review (409 beyond it)', async () => {
    const id = randomUUID();
    const token = env.issuer.token(['CUSTOMER'], id, { email: 'big@example.test' });
    const safe = env.stand.addProduct({ price: 30_000, name: 'Safe' });
    const kettle = env.stand.addProduct({ price: 1250, name: 'Kettle' });
    const large = async (key: string) => {
      await env.fillCart(token, [{ productId: safe.id, quantity: 2 }]);
      return submit(token, key);
    };
    const firstKey = randomUUID();
    const first = await large(firstKey);
    const second = await large(randomUUID());
    expect([first.status, second.status]).toEqual([202, 202]);
    started.push(first.body.orderId, second.body.orderId);

    const third = await large(randomUUID());
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({
      ...errorShape(409, 'TOO_MANY_PENDING_REVIEWS'),
      details: [{ pending: 2, max: 2 }],
    });
    // A repeat of an accepted checkout is still the same order, and small orders are not bounded.
    const repeat = await submit(token, firstKey);
    expect(repeat.body.orderId).toBe(first.body.orderId);
    await env.request('DELETE', `/cart/items/${safe.id}`, { token });
    await env.fillCart(token, [{ productId: kettle.id, quantity: 1 }]);
    const small = await submit(token, randomUUID());
    expect(small.status).toBe(202);
    started.push(small.body.orderId);

    // Once one of them has ended, the customer may place another.
    await env.request('POST', `/internal/orders/${second.body.orderId}/fail`, {
      token: env.serviceToken(),
      body: { reason: 'test' },
    });
    const after = await large(randomUUID());
    expect(after.status).toBe(202);
    started.push(after.body.orderId);
  });

  it('sends cancel, and refuses approve/reject for an order that is not in review', async () => {
    const { token } = await customerWithCart();
    const res = await submit(token, randomUUID());
    const orderId = res.body.orderId;
    started.push(orderId);
    const cancel = await env.request('POST', `/orders/${orderId}/cancel`, {
      token,
      body: { reason: 'changed my mind' },
    });
    expect(cancel.status).toBe(202);
    const history = await temporal.client.workflow
      .getHandle(checkoutWorkflowId(orderId))
      .fetchHistory();
    const signal = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signal?.workflowExecutionSignaledEventAttributes?.signalName).toBe('cancelOrder');

    // An order that has ended takes no decision (the live case is the workflow's validator,
    // covered by the workflow and e2e tiers).
    const failed = await env.request('POST', `/internal/orders/${orderId}/fail`, {
      token: env.serviceToken(),
      body: { reason: 'test' },
    });
    expect(failed.status).toBe(200);
    const admin = env.token(randomUUID(), ['ADMIN']);
    const approve = await env.request('POST', `/admin/orders/${orderId}/approve`, {
      token: admin,
    });
    expect(approve.status).toBe(409);
    expect(approve.body).toMatchObject({
      ...errorShape(409, 'ORDER_NOT_AWAITING_APPROVAL'),
      details: [{ orderId, currentStatus: 'FAILED' }],
    });
    const asCustomer = await env.request('POST', `/admin/orders/${orderId}/approve`, { token });
    expect(asCustomer.status).toBe(403);
    const reject = await env.request('POST', `/admin/orders/${orderId}/reject`, {
      token: admin,
      body: {},
    });
    expect(reject.status).toBe(400);
  });

  it('lists no failed checkout workflows of its own queue; operators only, bad paging named', async () => {
    // Running (and other stacks') checkouts are not listed: only failed runs on this prefix.
    const admin = env.token(randomUUID(), ['ADMIN']);
    const none = await env.request('GET', '/admin/checkouts/failed', { token: admin });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ items: [], total: 0, page: 1, limit: 20 });
    const customer = env.customer();
    const refused = await env.request('GET', '/admin/checkouts/failed', { token: customer.token });
    expect(refused.status).toBe(403);
    const bad = await env.request('GET', '/admin/checkouts/failed?limit=0', { token: admin });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('"field":"limit"');
  });

  it('routes a payment webhook event to the waiting checkout as paymentConfirmed', async () => {
    const { token } = await customerWithCart();
    const res = await submit(token, randomUUID());
    const orderId = res.body.orderId;
    started.push(orderId);
    const event = await env.request('POST', `/internal/orders/${orderId}/payment-events`, {
      token: env.serviceToken('payments'),
      body: { type: 'payment.confirmed', orderId, paymentId: 'pay_1', status: 'CAPTURED' },
    });
    expect(event.status).toBe(200);
    const history = await temporal.client.workflow
      .getHandle(checkoutWorkflowId(orderId))
      .fetchHistory();
    const signal = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signal?.workflowExecutionSignaledEventAttributes?.signalName).toBe('paymentConfirmed');

    const unknown = await env.request('POST', `/internal/orders/${randomUUID()}/payment-events`, {
      token: env.serviceToken('payments'),
      body: { type: 'payment.confirmed', orderId, paymentId: 'pay_1' },
    });
    expect(unknown.status).toBe(409);
    expect(unknown.body).toMatchObject(errorShape(409, 'CHECKOUT_NOT_RUNNING'));
  });
});

describe('checkout while Temporal is unreachable', () => {
  const env = new OrdersTestEnvironment();
  let temporal: TestWorkflowEnvironment;

  beforeAll(async () => {
    // Nothing listens on port 1: every start fails as it would with the server down.
    await env.setUp({
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      CHECKOUT_START_RETRY_INTERVAL_MS: '0',
      CHECKOUT_START_DEADLINE_MS: '60000',
    });
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.teardown();
    await env.tearDown();
  });

  it('keeps the order PENDING and unstarted, answers 503, and a retry adds no second order', async () => {
    const id = randomUUID();
    const token = env.issuer.token(['CUSTOMER'], id, { email: 'ada@example.test' });
    const kettle = env.stand.addProduct({ price: 1250 });
    await env.fillCart(token, [{ productId: kettle.id, quantity: 1 }]);
    const key = randomUUID();
    const res = await env.request('POST', '/checkout', {
      token,
      body: { paymentMethodId: 'pm_card_visa', shippingAddress: ADDRESS },
      headers: { 'idempotency-key': key },
    });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject(errorShape(503, 'CHECKOUT_UNAVAILABLE'));
    expect(JSON.stringify(res.body)).not.toContain('127.0.0.1:1');
    const rows = await env.sql.query<{ id: string; status: string; started: Date | null }>(
      `select id, status, checkout_started_at as started from orders where customer_id = $1`,
      [id],
    );
    expect(rows.rows).toEqual([{ id: expect.any(String), status: 'PENDING', started: null }]);

    const retry = await env.request('POST', '/checkout', {
      token,
      body: { paymentMethodId: 'pm_card_visa', shippingAddress: ADDRESS },
      headers: { 'idempotency-key': key },
    });
    expect(retry.status).toBe(503);
    expect(await env.count('orders', 'customer_id = $1', [id])).toBe(1);
  });

  it('answers 503 for the failed checkout workflows, leaking no address', async () => {
    const res = await env.request('GET', '/admin/checkouts/failed', {
      token: env.token(randomUUID(), ['ADMIN']),
    });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject(errorShape(503, 'TEMPORAL_UNAVAILABLE'));
    expect(JSON.stringify(res.body)).not.toContain('127.0.0.1:1');
  });

  it('fails an order whose checkout never started once the deadline has passed', async () => {
    const id = randomUUID();
    const token = env.issuer.token(['CUSTOMER'], id, { email: 'ada@example.test' });
    const kettle = env.stand.addProduct({ price: 990 });
    await env.fillCart(token, [{ productId: kettle.id, quantity: 1 }]);
    await env.request('POST', '/checkout', {
      token,
      body: { paymentMethodId: 'pm_card_visa', shippingAddress: ADDRESS },
      headers: { 'idempotency-key': randomUUID() },
    });
    await env.sql.query(
      `update orders set created_at = now() - interval '2 minutes' where customer_id = $1`,
      [id],
    );
    const sweeper = env.app.get(CheckoutService);
    await sweeper.sweep();
    const { rows } = await env.sql.query<{ status: string; failure_reason: string }>(
      `select status, failure_reason from orders where customer_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ status: 'FAILED', failure_reason: 'checkout could not be started' }]);
  });
});

describe('the checkout sweeper', () => {
  const env = new OrdersTestEnvironment();
  let temporal: TestWorkflowEnvironment;
  let orderId: string | undefined;

  beforeAll(async () => {
    await env.setUp({ CHECKOUT_START_RETRY_INTERVAL_MS: '0' });
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    if (orderId) await terminateCheckouts(temporal, [orderId]);
    await temporal?.teardown();
    await env.tearDown();
  });

  it('starts the checkout of an order that was placed while Temporal was down', async () => {
    const customer = env.customer();
    const kettle = env.stand.addProduct({ price: 1250 });
    await env.fillCart(customer.token, [{ productId: kettle.id, quantity: 1 }]);
    // As POST /checkout leaves it when the start fails: PENDING, never started.
    const created = await env.createOrder(customer.id);
    orderId = created.body.id;
    await env.sql.query(
      `update orders set created_at = now() - interval '10 seconds' where id = $1`,
      [orderId],
    );

    expect(await env.app.get(CheckoutService).sweep()).toBe(1);
    const description = await temporal.client.workflow
      .getHandle(checkoutWorkflowId(orderId))
      .describe();
    expect(description.status.name).toBe('RUNNING');
    const { rows } = await env.sql.query<{ started: Date | null }>(
      `select checkout_started_at as started from orders where id = $1`,
      [orderId],
    );
    expect(rows[0]?.started).toBeInstanceOf(Date);
    // Nothing left to do on the next pass.
    expect(await env.app.get(CheckoutService).sweep()).toBe(0);
  });
});
