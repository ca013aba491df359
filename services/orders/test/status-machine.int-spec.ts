import { ORDER_TRANSITIONS, type OrderStatus } from '@commerce/contracts';
import { randomUUID } from 'node:crypto';
import { OrdersTestEnvironment, errorShape } from './support/orders-app';

interface Order {
  id: string;
  status: OrderStatus;
  timeline: {
    from: OrderStatus | null;
    to: OrderStatus;
    reason: string | null;
    actor: string;
    at: string;
  }[];
  failureReason?: string;
}

/** The shortest legal path from PENDING to each status. */
const PATH_TO: Record<OrderStatus, OrderStatus[]> = {
  PENDING: [],
  RESERVING: ['RESERVING'],
  AWAITING_APPROVAL: ['RESERVING', 'AWAITING_APPROVAL'],
  CHARGING: ['RESERVING', 'CHARGING'],
  CONFIRMING: ['RESERVING', 'CHARGING', 'CONFIRMING'],
  COMPLETED: ['RESERVING', 'CHARGING', 'CONFIRMING', 'COMPLETED'],
  CANCELLED: ['CANCELLED'],
  FAILED: ['FAILED'],
};

describe('order status machine (internal routes)', () => {
  const env = new OrdersTestEnvironment();
  let service: string;

  beforeAll(async () => {
    await env.setUp();
    service = env.serviceToken();
  });
  afterAll(() => env.tearDown());

  async function newOrder(): Promise<string> {
    const customer = env.customer();
    await env.fillCart(customer.token, [{ productId: env.stand.addProduct().id, quantity: 1 }]);
    const res = await env.createOrder(customer.id);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const move = (id: string, to: string, extra: Record<string, unknown> = {}) =>
    env.request<Order & Record<string, unknown>>('POST', `/internal/orders/${id}/transition`, {
      token: service,
      body: { to, ...extra },
    });

  async function orderAt(status: OrderStatus): Promise<string> {
    const id = await newOrder();
    for (const step of PATH_TO[status]) expect((await move(id, step)).status).toBe(200);
    return id;
  }

  const allowed = (
    Object.entries(ORDER_TRANSITIONS) as [OrderStatus, readonly OrderStatus[]][]
  ).flatMap(([from, tos]) => tos.map((to) => [from, to] as const));

  it.each(allowed)('%s -> %s works and writes one history row', async (from, to) => {
    const id = await orderAt(from);
    const before = await env.count('order_history', 'order_id = $1', [id]);
    const res = await move(id, to, { reason: 'because', actor: 'checkout-worker' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(to);
    expect(await env.count('order_history', 'order_id = $1', [id])).toBe(before + 1);
    expect(res.body.timeline.at(-1)).toMatchObject({
      from,
      to,
      reason: 'because',
      actor: 'checkout-worker',
    });
    if (to === 'CANCELLED' || to === 'FAILED') expect(res.body.failureReason).toBe('because');
  });

  const statuses = Object.keys(ORDER_TRANSITIONS) as OrderStatus[];
  const illegal = statuses.flatMap((from) =>
    statuses
      .filter((to) => to !== from && to !== 'PENDING' && !ORDER_TRANSITIONS[from].includes(to))
      .map((to) => [from, to] as const),
  );

  it.each(illegal)('%s -> %s is refused with 409 and the current status', async (from, to) => {
    const id = await orderAt(from);
    const before = await env.count('order_history', 'order_id = $1', [id]);
    const res = await move(id, to);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      ...errorShape(409, 'ILLEGAL_TRANSITION'),
      details: [{ orderId: id, currentStatus: from, requestedStatus: to }],
    });
    expect(res.body.message).toContain(from);
    expect(await env.count('order_history', 'order_id = $1', [id])).toBe(before);
  });

  it('refuses PENDING as a target and unknown statuses with 400', async () => {
    const id = await newOrder();
    for (const to of ['PENDING', 'SHIPPED']) {
      const res = await move(id, to);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.details)).toContain('"field":"to"');
    }
    const long = await move(id, 'RESERVING', { reason: 'r'.repeat(501) });
    expect(long.status).toBe(400);
  });

  it('answers 404 for an unknown order', async () => {
    const res = await move(randomUUID(), 'RESERVING');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject(errorShape(404, 'NOT_FOUND'));
  });

  it('repeating a move already made is a 200 no-op', async () => {
    const id = await orderAt('RESERVING');
    const again = await move(id, 'RESERVING');
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('RESERVING');
    expect(await env.count('order_history', 'order_id = $1', [id])).toBe(2);
  });

  it('confirm completes a CONFIRMING order; a repeated confirm is a no-op', async () => {
    const id = await orderAt('CONFIRMING');
    const first = await env.request<Order>('POST', `/internal/orders/${id}/confirm`, {
      token: service,
      body: {},
    });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('COMPLETED');
    const rows = await env.count('order_history', 'order_id = $1', [id]);
    const again = await env.request<Order>('POST', `/internal/orders/${id}/confirm`, {
      token: service,
      body: {},
    });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('COMPLETED');
    expect(await env.count('order_history', 'order_id = $1', [id])).toBe(rows);
    // Once completed it cannot be cancelled.
    const cancel = await env.request('POST', `/internal/orders/${id}/cancel`, {
      token: service,
      body: { reason: 'too late' },
    });
    expect(cancel.status).toBe(409);
    expect(cancel.body).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      details: [{ currentStatus: 'COMPLETED' }],
    });
  });

  it('fail and cancel record the reason; repeats are no-ops; they need a reason', async () => {
    const failed = await orderAt('CHARGING');
    const fail = await env.request<Order>('POST', `/internal/orders/${failed}/fail`, {
      token: service,
      body: { reason: 'payment declined' },
    });
    expect(fail.status).toBe(200);
    expect(fail.body).toMatchObject({ status: 'FAILED', failureReason: 'payment declined' });
    const failAgain = await env.request<Order>('POST', `/internal/orders/${failed}/fail`, {
      token: service,
      body: { reason: 'payment declined' },
    });
    expect(failAgain.status).toBe(200);
    expect(failAgain.body.timeline).toHaveLength(fail.body.timeline.length);

    const cancelled = await orderAt('PENDING');
    const noReason = await env.request('POST', `/internal/orders/${cancelled}/cancel`, {
      token: service,
      body: {},
    });
    expect(noReason.status).toBe(400);
    const cancel = await env.request<Order>('POST', `/internal/orders/${cancelled}/cancel`, {
      token: service,
      body: { reason: 'customer changed their mind' },
    });
    expect(cancel.body).toMatchObject({
      status: 'CANCELLED',
      failureReason: 'customer changed their mind',
    });
    // The customer sees the timeline too.
    const read = await env.request<Order>('GET', `/internal/orders/${cancelled}`, {
      token: service,
    });
    expect(read.body.timeline.map((t) => [t.from, t.to])).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CANCELLED'],
    ]);
  });

  it('confirm racing cancel: exactly one wins, one history row', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await orderAt('CONFIRMING');
      const [confirm, cancel] = await Promise.all([
        env.request<Order>('POST', `/internal/orders/${id}/confirm`, { token: service, body: {} }),
        env.request<Order>('POST', `/internal/orders/${id}/cancel`, {
          token: service,
          body: { reason: 'customer cancelled' },
        }),
      ]);
      const statuses = [confirm.status, cancel.status].sort();
      expect(statuses).toEqual([200, 409]);
      const winner = confirm.status === 200 ? 'COMPLETED' : 'CANCELLED';
      const loser = confirm.status === 200 ? cancel : confirm;
      expect(loser.body).toMatchObject({
        code: 'ILLEGAL_TRANSITION',
        details: [{ currentStatus: winner }],
      });
      const rows = await env.sql.query<{ to_status: string }>(
        `select to_status from order_history where order_id = $1 and from_status = 'CONFIRMING'`,
        [id],
      );
      expect(rows.rows).toEqual([{ to_status: winner }]);
    }
  });

  it('many racing final moves (cancel vs fail, 5 of each): one wins, the rest are no-ops or 409', async () => {
    const id = await orderAt('RESERVING');
    const results = await Promise.all(
      ['CANCELLED', 'FAILED'].flatMap((to) =>
        Array.from({ length: 5 }, () => move(id, to, { reason: `why ${to}` })),
      ),
    );
    const won = results.filter((r) => r.status === 200);
    const winner = won[0]?.body.status;
    expect(won.length).toBe(5);
    expect(won.every((r) => r.body.status === winner)).toBe(true);
    for (const lost of results.filter((r) => r.status !== 200)) {
      expect(lost.status).toBe(409);
      expect(lost.body).toMatchObject({ details: [{ currentStatus: winner }] });
    }
    expect(await env.count('order_history', 'order_id = $1', [id])).toBe(3);
  });

  it('counts transitions by target in /metrics', async () => {
    const text = await (await fetch(`${env.url}/metrics`)).text();
    expect(text).toMatch(/operation="order.transition.completed",status="applied"/);
    expect(text).toMatch(/operation="order.transition.completed",status="noop"/);
  });
});
