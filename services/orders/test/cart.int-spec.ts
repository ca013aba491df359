import { randomUUID } from 'node:crypto';
import { OrdersTestEnvironment, errorShape } from './support/orders-app';

describe('cart', () => {
  const env = new OrdersTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());
  afterEach(() => {
    env.stand.failWith = undefined;
    env.stand.delayMs = 0;
  });

  const cartRows = (customerId: string) =>
    env.sql
      .query<{ product_id: string; quantity: number }>(
        'select product_id, quantity from cart_items where customer_id = $1 order by product_id',
        [customerId],
      )
      .then((r) => r.rows);

  it('needs a token', async () => {
    const res = await env.request('GET', '/cart');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject(errorShape(401, 'TOKEN_MISSING'));
  });

  it('starts empty', async () => {
    const { token } = env.customer();
    const res = await env.request('GET', '/cart', { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], total: 0, currency: null });
  });

  it('adds, accumulates, updates and removes lines, showing current prices', async () => {
    const { token } = env.customer();
    const a = env.stand.addProduct({ price: 1250, name: 'Kettle' });
    const b = env.stand.addProduct({ price: 300, name: 'Mug' });

    const added = await env.request('POST', '/cart/items', {
      token,
      body: { productId: a.id, quantity: 2 },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      productId: a.id,
      quantity: 2,
      unitPrice: 1250,
      lineTotal: 2500,
      name: 'Kettle',
    });

    const again = await env.request('POST', '/cart/items', {
      token,
      body: { productId: a.id, quantity: 3 },
    });
    expect(again.body).toMatchObject({ quantity: 5, lineTotal: 6250 });
    await env.fillCart(token, [{ productId: b.id, quantity: 1 }]);

    let cart = await env.request('GET', '/cart', { token });
    expect(cart.body).toEqual({
      items: [
        expect.objectContaining({
          productId: a.id,
          quantity: 5,
          unitPrice: 1250,
          name: 'Kettle',
          lineTotal: 6250,
        }),
        expect.objectContaining({
          productId: b.id,
          quantity: 1,
          unitPrice: 300,
          name: 'Mug',
          lineTotal: 300,
        }),
      ],
      total: 6550,
      currency: 'EUR',
    });

    // Prices are current: a change in the catalog shows at once.
    a.price = 1000;
    cart = await env.request('GET', '/cart', { token });
    expect(cart.body.total).toBe(5300);

    const patched = await env.request('PATCH', `/cart/items/${b.id}`, {
      token,
      body: { quantity: 4 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ productId: b.id, quantity: 4, lineTotal: 1200 });

    const removed = await env.request('DELETE', `/cart/items/${a.id}`, { token });
    expect(removed.status).toBe(204);
    cart = await env.request('GET', '/cart', { token });
    expect(cart.body).toMatchObject({
      items: [expect.objectContaining({ productId: b.id })],
      total: 1200,
    });

    const missing = await env.request('DELETE', `/cart/items/${a.id}`, { token });
    expect(missing.status).toBe(404);
    const patchMissing = await env.request('PATCH', `/cart/items/${a.id}`, {
      token,
      body: { quantity: 1 },
    });
    expect(patchMissing.status).toBe(404);
  });

  it('keeps carts apart per customer', async () => {
    const one = env.customer();
    const two = env.customer();
    const p = env.stand.addProduct();
    await env.fillCart(one.token, [{ productId: p.id, quantity: 1 }]);
    const other = await env.request('GET', '/cart', { token: two.token });
    expect(other.body).toEqual({ items: [], total: 0, currency: null });
  });

  describe('refuses bad input with a 4xx and writes nothing', () => {
    const customer = env.customer();
    let product: { id: string };

    beforeAll(async () => {
      product = env.stand.addProduct({ price: 500 });
      await env.fillCart(customer.token, [{ productId: product.id, quantity: 2 }]);
    });

    afterEach(async () => {
      expect(await cartRows(customer.id)).toEqual([{ product_id: product.id, quantity: 2 }]);
    });

    const add = (body: unknown) =>
      env.request('POST', '/cart/items', { token: customer.token, body });

    it.each([
      ['zero quantity', 0],
      ['negative quantity', -3],
      ['fractional quantity', 1.5],
      ['huge quantity', 1_000_000_000],
      ['quantity as a string', '2'],
    ])('%s', async (_name, quantity) => {
      const res = await add({ productId: product.id, quantity });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject(errorShape(400, 'VALIDATION_FAILED'));
      expect(JSON.stringify(res.body.details)).toContain('"field":"quantity"');
    });

    it('quantity above MAX_QUANTITY_PER_ITEM (99)', async () => {
      const res = await add({ productId: product.id, quantity: 100 });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'quantity' }],
      });
    });

    it('a total above the limit once added to the cart', async () => {
      const res = await add({ productId: product.id, quantity: 98 });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject(errorShape(422, 'QUANTITY_LIMIT_EXCEEDED'));
    });

    it('a productId that is not a UUID', async () => {
      const res = await add({ productId: 'x'.repeat(5000), quantity: 1 });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field: 'productId' })],
      });
    });

    it('an unknown field', async () => {
      const res = await add({ productId: product.id, quantity: 1, price: 1 });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('property price should not exist');
    });

    it('an unknown product', async () => {
      const unknown = randomUUID();
      const res = await add({ productId: unknown, quantity: 1 });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject(errorShape(422, 'PRODUCT_UNAVAILABLE'));
      expect(res.body.message).toContain(unknown);
    });

    it('an inactive product', async () => {
      const inactive = env.stand.addProduct({ active: false });
      const res = await add({ productId: inactive.id, quantity: 1 });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'PRODUCT_UNAVAILABLE',
        details: [{ productId: inactive.id }],
      });
    });

    it('a product in another currency', async () => {
      const usd = env.stand.addProduct({ currency: 'USD' });
      const res = await add({ productId: usd.id, quantity: 1 });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject(errorShape(422, 'CURRENCY_MISMATCH'));
    });

    it('a bad productId in the path, and a bad PATCH body', async () => {
      const bad = await env.request('PATCH', '/cart/items/not-a-uuid', {
        token: customer.token,
        body: { quantity: 1 },
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field: 'productId' })],
      });
      const zero = await env.request('PATCH', `/cart/items/${product.id}`, {
        token: customer.token,
        body: { quantity: 0 },
      });
      expect(zero.status).toBe(400);
    });

    it('too many different products (MAX_CART_LINES = 5 here)', async () => {
      const other = env.customer();
      for (let i = 0; i < 5; i++) {
        await env.fillCart(other.token, [{ productId: env.stand.addProduct().id, quantity: 1 }]);
      }
      const res = await env.request('POST', '/cart/items', {
        token: other.token,
        body: { productId: env.stand.addProduct().id, quantity: 1 },
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'CART_FULL' });
      expect(await env.count('cart_items', 'customer_id = $1', [other.id])).toBe(5);
    });

    it('answers 503 PRODUCTS_UNAVAILABLE, never 500, when the products service fails', async () => {
      env.stand.failWith = 500;
      const res = await add({ productId: product.id, quantity: 1 });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject(errorShape(503, 'PRODUCTS_UNAVAILABLE'));
      const view = await env.request('GET', '/cart', { token: customer.token });
      expect(view.status).toBe(503);
      expect(view.body).toMatchObject({ code: 'PRODUCTS_UNAVAILABLE' });
    });

    it('answers 503 when the products service is too slow', async () => {
      env.stand.delayMs = 1500;
      const res = await add({ productId: product.id, quantity: 1 });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'PRODUCTS_UNAVAILABLE' });
    });
  });

  it('answers 503 when the products service is down altogether', async () => {
    const down = new OrdersTestEnvironment();
    await down.setUp({ PRODUCTS_URL: 'http://127.0.0.1:9' });
    try {
      const { token } = down.customer();
      const res = await down.request('POST', '/cart/items', {
        token,
        body: { productId: randomUUID(), quantity: 1 },
      });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject(errorShape(503, 'PRODUCTS_UNAVAILABLE'));
      expect(await down.count('cart_items')).toBe(0);
    } finally {
      await down.tearDown();
    }
  });

  it('keeps concurrent adds exact: quantities sum, the line limit holds', async () => {
    const { id, token } = env.customer();
    const product = env.stand.addProduct();
    const same = await Promise.all(
      Array.from({ length: 10 }, () =>
        env.request('POST', '/cart/items', { token, body: { productId: product.id, quantity: 3 } }),
      ),
    );
    expect(same.every((r) => r.status === 201)).toBe(true);
    expect(await cartRows(id)).toEqual([{ product_id: product.id, quantity: 30 }]);

    const other = env.customer();
    const distinct = await Promise.all(
      Array.from({ length: 10 }, () =>
        env.request('POST', '/cart/items', {
          token: other.token,
          body: { productId: env.stand.addProduct().id, quantity: 1 },
        }),
      ),
    );
    expect(distinct.filter((r) => r.status === 201)).toHaveLength(5);
    expect(distinct.filter((r) => r.status === 422)).toHaveLength(5);
    expect(await env.count('cart_items', 'customer_id = $1', [other.id])).toBe(5);
  });

  it('shows a product that became unavailable as such, outside the total', async () => {
    const { token } = env.customer();
    const keep = env.stand.addProduct({ price: 100 });
    const gone = env.stand.addProduct({ price: 900 });
    await env.fillCart(token, [
      { productId: keep.id, quantity: 1 },
      { productId: gone.id, quantity: 1 },
    ]);
    gone.active = false;
    const cart = await env.request('GET', '/cart', { token });
    expect(cart.body).toMatchObject({
      total: 100,
      items: [
        { productId: keep.id, available: true },
        { productId: gone.id, available: false, unitPrice: null, lineTotal: 0 },
      ],
    });
  });

  it('never adds up two currencies: a line repriced in another currency shows as unavailable', async () => {
    const { token } = env.customer();
    const euro = env.stand.addProduct({ price: 100 });
    const moved = env.stand.addProduct({ price: 900 });
    await env.fillCart(token, [
      { productId: euro.id, quantity: 1 },
      { productId: moved.id, quantity: 1 },
    ]);
    moved.currency = 'USD';
    const cart = await env.request('GET', '/cart', { token });
    expect(cart.body).toMatchObject({
      total: 100,
      currency: 'EUR',
      items: [
        { productId: euro.id, available: true },
        { productId: moved.id, available: false, lineTotal: 0 },
      ],
    });
  });

  it('counts cart operations in /metrics', async () => {
    const res = await fetch(`${env.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(
      /business_operations_total\{operation="cart.add",status="success",service="orders"\} \d+/,
    );
    expect(text).toMatch(/operation="cart.add",status="rejected"/);
    expect(text).toMatch(/operation="cart.remove",status="success"/);
  });
});
