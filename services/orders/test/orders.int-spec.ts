import { randomUUID } from 'node:crypto';
import { ADDRESS, OrdersTestEnvironment, errorShape } from './support/orders-app';

interface Order {
  id: string;
  customerId: string;
  status: string;
  items: {
    productId: string;
    sku: string;
    name: string;
    unitPrice: number;
    quantity: number;
    lineTotal: number;
  }[];
  total: number;
  currency: string;
  shippingAddress: Record<string, string>;
  timeline: { from: string | null; to: string; reason: string | null; actor: string; at: string }[];
  failureReason?: string;
  createdAt: string;
}

describe('orders from the cart', () => {
  const env = new OrdersTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  async function customerWithCart() {
    const customer = env.customer();
    const a = env.stand.addProduct({ price: 1250, name: 'Kettle', sku: `K-${randomUUID()}` });
    const b = env.stand.addProduct({ price: 299, name: 'Mug' });
    await env.fillCart(customer.token, [
      { productId: a.id, quantity: 3 },
      { productId: b.id, quantity: 2 },
    ]);
    return { ...customer, a, b };
  }

  it('creates a PENDING order in one transaction: snapshot, totals, cart cleared, history row', async () => {
    const { id: customerId, token, a, b } = await customerWithCart();
    const res = await env.createOrder(customerId, 'key-1');
    expect(res.status).toBe(201);
    const order = res.body as unknown as Order;
    expect(order).toMatchObject({
      customerId,
      status: 'PENDING',
      currency: 'EUR',
      total: 3 * 1250 + 2 * 299,
      shippingAddress: ADDRESS,
      items: [
        {
          productId: a.id,
          sku: a.sku,
          name: 'Kettle',
          unitPrice: 1250,
          quantity: 3,
          lineTotal: 3750,
        },
        { productId: b.id, sku: b.sku, name: 'Mug', unitPrice: 299, quantity: 2, lineTotal: 598 },
      ],
      timeline: [{ from: null, to: 'PENDING', actor: customerId }],
    });
    expect(await env.count('cart_items', 'customer_id = $1', [customerId])).toBe(0);
    const cart = await env.request('GET', '/cart', { token });
    expect(cart.body).toEqual({ items: [], total: 0, currency: null });

    // The order keeps the prices of the moment it was taken.
    a.price = 99_999;
    a.name = 'Renamed';
    const read = await env.request<Order>('GET', `/orders/${order.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body.items[0]).toMatchObject({ unitPrice: 1250, name: 'Kettle' });
    expect(read.body.total).toBe(4348);
  });

  it('answers a repeated key with the same order (200) and creates nothing', async () => {
    const { id: customerId, token, a } = await customerWithCart();
    const first = await env.createOrder(customerId, 'same-key');
    expect(first.status).toBe(201);
    // A new cart afterwards must not be swallowed by the repeat.
    await env.fillCart(token, [{ productId: a.id, quantity: 1 }]);
    const again = await env.createOrder(customerId, 'same-key');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await env.count('orders', 'customer_id = $1', [customerId])).toBe(1);
    expect(await env.count('cart_items', 'customer_id = $1', [customerId])).toBe(1);
  });

  it('10 concurrent creates with one key make exactly one order', async () => {
    const { id: customerId } = await customerWithCart();
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => env.createOrder(customerId, key)),
    );
    const ids = new Set(results.map((r) => r.body.id));
    expect(results.map((r) => r.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    expect(ids.size).toBe(1);
    expect(await env.count('orders', 'customer_id = $1', [customerId])).toBe(1);
    expect(await env.count('order_items', 'order_id = $1', [[...ids][0]])).toBe(2);
    expect(await env.count('order_history', 'order_id = $1', [[...ids][0]])).toBe(1);
  });

  it('concurrent creates with different keys: one order, the others find the cart empty', async () => {
    const { id: customerId } = await customerWithCart();
    const results = await Promise.all(Array.from({ length: 5 }, () => env.createOrder(customerId)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) {
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ code: 'CART_EMPTY' });
    }
    expect(await env.count('orders', 'customer_id = $1', [customerId])).toBe(1);
  });

  it.each([
    ['idempotencyKey', { idempotencyKey: 'k'.repeat(129) }],
    ['idempotencyKey', { idempotencyKey: 'has spaces' }],
    ['paymentMethodId', { paymentMethodId: 'p'.repeat(129) }],
    ['customerId', { customerId: 'c'.repeat(129) }],
    ['shippingAddress', { shippingAddress: undefined }],
    ['shippingAddress', { shippingAddress: 'Baker Street 221b' }],
    ['shippingAddress', { shippingAddress: [ADDRESS] }],
    ['shippingAddress', { shippingAddress: null }],
  ])('refuses a bad %s with 400', async (field, override) => {
    const { id: customerId } = await customerWithCart();
    const res = await env.request('POST', '/internal/orders', {
      token: env.serviceToken(),
      body: {
        customerId,
        shippingAddress: ADDRESS,
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: randomUUID(),
        ...override,
      },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.details)).toContain(`"field":"${field}"`);
    expect(await env.count('orders', 'customer_id = $1', [customerId])).toBe(0);
    expect(await env.count('cart_items', 'customer_id = $1', [customerId])).toBe(2);
  });

  it('refuses an empty cart with 422 CART_EMPTY', async () => {
    const res = await env.createOrder(randomUUID());
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject(errorShape(422, 'CART_EMPTY'));
  });

  it('refuses a cart holding a product that became unavailable, and keeps the cart', async () => {
    const { id: customerId, b } = await customerWithCart();
    b.active = false;
    const res = await env.createOrder(customerId);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'PRODUCT_UNAVAILABLE', details: [{ productId: b.id }] });
    expect(await env.count('orders', 'customer_id = $1', [customerId])).toBe(0);
    expect(await env.count('cart_items', 'customer_id = $1', [customerId])).toBe(2);
  });

  it('refuses a cart whose products now differ in currency, and keeps the cart', async () => {
    const { id: customerId, b } = await customerWithCart();
    b.currency = 'USD';
    const res = await env.createOrder(customerId);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject(errorShape(422, 'CURRENCY_MISMATCH'));
    expect(await env.count('orders', 'customer_id = $1', [customerId])).toBe(0);
    expect(await env.count('cart_items', 'customer_id = $1', [customerId])).toBe(2);
  });

  it('answers 503 when the products service fails, and keeps the cart', async () => {
    const { id: customerId } = await customerWithCart();
    env.stand.failWith = 502;
    try {
      const res = await env.createOrder(customerId);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'PRODUCTS_UNAVAILABLE' });
    } finally {
      env.stand.failWith = undefined;
    }
    expect(await env.count('cart_items', 'customer_id = $1', [customerId])).toBe(2);
  });

  it.each([
    ['a lowercase country', { ...ADDRESS, country: 'gb' }, 'shippingAddress.country'],
    ['an unknown country', { ...ADDRESS, country: 'XX' }, 'shippingAddress.country'],
    ['an over-long name', { ...ADDRESS, name: 'n'.repeat(101) }, 'shippingAddress.name'],
    ['a missing city', { ...ADDRESS, city: undefined }, 'shippingAddress.city'],
    ['an unknown address field', { ...ADDRESS, county: 'X' }, 'shippingAddress.county'],
  ])('validates the shipping address: %s', async (_name, shippingAddress, field) => {
    const { id: customerId } = await customerWithCart();
    const res = await env.request('POST', '/internal/orders', {
      token: env.serviceToken(),
      body: {
        customerId,
        shippingAddress,
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: randomUUID(),
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(errorShape(400, 'VALIDATION_FAILED'));
    expect(JSON.stringify(res.body.details)).toContain(`"field":"${field}"`);
    expect(await env.count('orders', 'customer_id = $1', [customerId])).toBe(0);
  });

  it('keeps the internal routes to SERVICE tokens', async () => {
    const customer = env.customer();
    const res = await env.request('POST', '/internal/orders', {
      token: customer.token,
      body: {
        customerId: customer.id,
        shippingAddress: ADDRESS,
        paymentMethodId: 'pm',
        idempotencyKey: 'k',
      },
    });
    expect(res.status).toBe(403);
  });

  // Issue 13: the products service's sweeper asks which orders ended before releasing stock.
  it('answers the status of many orders in one call, to the products account only', async () => {
    const first = await customerWithCart();
    const pending = (await env.createOrder(first.id)).body;
    const second = await customerWithCart();
    const failed = (await env.createOrder(second.id)).body;
    const fail = await env.request('POST', `/internal/orders/${failed.id}/fail`, {
      token: env.serviceToken(),
      body: { reason: 'declined' },
    });
    expect(fail.status).toBe(200);
    const unknown = randomUUID();
    const ask = (token: string, ids: unknown) =>
      env.request<{ items: { id: string; status: string }[] }>(
        'POST',
        '/internal/orders/statuses',
        { token, body: { ids } },
      );

    const res = await ask(env.serviceToken('products'), [
      pending.id,
      failed.id.toUpperCase(),
      unknown,
    ]);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        { id: pending.id, status: 'PENDING' },
        { id: failed.id, status: 'FAILED' },
      ]),
    );
    expect((await ask(env.serviceToken('activities'), [pending.id])).status).toBe(403);
    expect((await ask(first.token, [pending.id])).status).toBe(403);
    for (const bad of [[], ['nope'], Array.from({ length: 501 }, () => randomUUID())]) {
      const refused = await ask(env.serviceToken('products'), bad);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject(errorShape(400, 'VALIDATION_FAILED'));
    }
  });

  describe('reading orders', () => {
    it("answers 404 for another customer's order and lets an admin read any", async () => {
      const { id: owner, token } = await customerWithCart();
      const created = await env.createOrder(owner);
      const stranger = env.customer();
      const hidden = await env.request('GET', `/orders/${created.body.id}`, {
        token: stranger.token,
      });
      expect(hidden.status).toBe(404);
      expect(hidden.body).toMatchObject(errorShape(404, 'NOT_FOUND'));
      const unknown = await env.request('GET', `/orders/${randomUUID()}`, { token });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toEqual(expect.stringMatching(/^Order .* not found$/));
      for (const role of ['ADMIN', 'SUPER_ADMIN'] as const) {
        const admin = env.token(randomUUID(), [role]);
        const read = await env.request('GET', `/orders/${created.body.id}`, { token: admin });
        expect(read.status).toBe(200);
        expect(read.body.id).toBe(created.body.id);
      }
      const bad = await env.request('GET', '/orders/not-a-uuid', { token });
      expect(bad.status).toBe(400);
    });

    it('lists my orders newest first, page by page', async () => {
      const customer = env.customer();
      const product = env.stand.addProduct({ price: 100 });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        await env.fillCart(customer.token, [{ productId: product.id, quantity: i + 1 }]);
        ids.push((await env.createOrder(customer.id)).body.id);
      }
      // Someone else's order never shows.
      const other = await customerWithCart();
      await env.createOrder(other.id);

      const page1 = await env.request<{
        items: Order[];
        total: number;
        page: number;
        limit: number;
      }>('GET', '/orders?page=1&limit=2', { token: customer.token });
      expect(page1.status).toBe(200);
      expect(page1.body).toMatchObject({ total: 5, page: 1, limit: 2 });
      expect(page1.body.items.map((o) => o.id)).toEqual([ids[4], ids[3]]);
      expect(page1.body.items[0]).toMatchObject({ total: 500, status: 'PENDING' });
      const page3 = await env.request<{ items: Order[] }>('GET', '/orders?page=3&limit=2', {
        token: customer.token,
      });
      expect(page3.body.items.map((o) => o.id)).toEqual([ids[0]]);
      const defaults = await env.request('GET', '/orders', { token: customer.token });
      expect(defaults.body).toMatchObject({ total: 5, page: 1, limit: 20 });
      const tooBig = await env.request('GET', '/orders?limit=1000', { token: customer.token });
      expect(tooBig.status).toBe(400);
      expect(JSON.stringify(tooBig.body.details)).toContain('"field":"limit"');
    });
  });

  describe('operators’ search (GET /admin/orders)', () => {
    interface AdminPage {
      items: (Order & { customerEmail: string | null; reviewDeadline?: string })[];
      total: number;
    }

    it('filters by customer, status and id, oldest or newest first, with the review deadline', async () => {
      const customer = env.customer();
      const product = env.stand.addProduct({ price: 100 });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        await env.fillCart(customer.token, [{ productId: product.id, quantity: 1 }]);
        ids.push((await env.createOrder(customer.id)).body.id);
      }
      const move = (id: string, to: string) =>
        env.request('POST', `/internal/orders/${id}/transition`, {
          token: env.serviceToken(),
          body: { to },
        });
      expect((await move(ids[1]!, 'RESERVING')).status).toBe(200);
      expect((await move(ids[1]!, 'AWAITING_APPROVAL')).status).toBe(200);
      const admin = env.token(randomUUID(), ['ADMIN']);
      const search = (query: string) =>
        env.request<AdminPage>('GET', `/admin/orders?${query}`, { token: admin });

      const oldest = await search(`customerId=${customer.id}&sort=oldest`);
      expect(oldest.status).toBe(200);
      expect(oldest.body.items.map((o) => o.id)).toEqual(ids);
      const newest = await search(`customerId=${customer.id}`);
      expect(newest.body.items.map((o) => o.id)).toEqual([...ids].reverse());

      const waiting = await search(`customerId=${customer.id}&status=AWAITING_APPROVAL`);
      expect(waiting.body.total).toBe(1);
      const [inReview] = waiting.body.items;
      expect(inReview).toMatchObject({ id: ids[1], customerEmail: null });
      const entered = inReview!.timeline.find((t) => t.to === 'AWAITING_APPROVAL')!.at;
      // CHECKOUT_REVIEW_TIMEOUT_MS, 30 minutes by default.
      expect(Date.parse(inReview!.reviewDeadline!) - Date.parse(entered)).toBe(30 * 60 * 1000);
      const pending = await search(`customerId=${customer.id}&status=PENDING`);
      expect(pending.body.items.every((o) => o.reviewDeadline === undefined)).toBe(true);

      const one = await search(`id=${ids[2]!.toUpperCase()}`);
      expect(one.body.items.map((o) => o.id)).toEqual([ids[2]]);
    });

    it('is for operators only and names a bad field', async () => {
      const customer = env.customer();
      const refused = await env.request('GET', '/admin/orders', { token: customer.token });
      expect(refused.status).toBe(403);
      const admin = env.token(randomUUID(), ['SUPER_ADMIN']);
      for (const [query, field] of [
        ['sort=sideways', 'sort'],
        ['status=LOST', 'status'],
        ['id=nope', 'id'],
        [`email=${'x'.repeat(400)}`, 'email'],
      ]) {
        const bad = await env.request('GET', `/admin/orders?${query}`, { token: admin });
        expect(bad.status).toBe(400);
        expect(JSON.stringify(bad.body.details)).toContain(`"field":"${field}"`);
      }
    });
  });

  it('counts created and duplicate orders in /metrics', async () => {
    const text = await (await fetch(`${env.url}/metrics`)).text();
    expect(text).toMatch(/operation="order.create",status="created",service="orders"\} \d+/);
    expect(text).toMatch(/operation="order.create",status="duplicate",service="orders"\} \d+/);
  });
});
