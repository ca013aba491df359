import { randomUUID } from 'node:crypto';
import { apiClient, startShopStack, type ShopStack, type Tokens } from '../src';

interface Product {
  id: string;
  sku: string;
  name: string;
  price: number;
  currency: string;
  active: boolean;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/** Browsing, searching, stock and carts through the gateway, every service its own process. */
describe('shop through the gateway', () => {
  let stack: ShopStack;
  let call: ReturnType<typeof apiClient>;
  let admin: string;
  let service: string;
  const password = 'correct horse battery staple';

  async function customer() {
    const email = `shopper-${randomUUID()}@example.test`;
    expect(
      (await call('POST', '/auth/register', { body: { email, password, name: 'Shopper' } })).status,
    ).toBe(201);
    const login = await call<Tokens>('POST', '/auth/login', { body: { email, password } });
    const me = await call<{ id: string }>('GET', '/auth/me', { token: login.body.accessToken });
    return { id: me.body.id, token: login.body.accessToken };
  }

  /** Internal endpoints are not routed by the gateway: activities call services directly. */
  const internal = (base: string) => apiClient(base);

  beforeAll(async () => {
    stack = await startShopStack();
    call = apiClient(stack.api);
    admin = (await call<Tokens>('POST', '/auth/login', { body: stack.superAdmin })).body
      .accessToken;
    const token = await internal(stack.auth.url)<{ accessToken: string }>('POST', '/auth/token', {
      body: stack.serviceAccount,
    });
    expect(token.status).toBe(200);
    service = token.body.accessToken;
  });
  afterAll(() => stack?.stop());

  it('browses and searches the seed catalog without a token, typos included', async () => {
    const page = await call<Page<Product>>('GET', '/products?limit=5');
    expect(page.status).toBe(200);
    expect(page.body.total).toBeGreaterThanOrEqual(1000);
    expect(page.body.items).toHaveLength(5);
    const categories = await call<{ items: unknown[] } | unknown[]>('GET', '/categories');
    expect(categories.status).toBe(200);

    // Full-text search, then the same word misspelled (corrected against the catalog vocabulary).
    const exact = await call<Page<Product>>('GET', '/products?q=blender&limit=50');
    expect(exact.status).toBe(200);
    expect(exact.body.total).toBeGreaterThan(0);
    expect(exact.body.items[0]!.name.toLowerCase()).toContain('blender');
    const typo = await call<Page<Product>>('GET', '/products?q=blendr&limit=50');
    expect(typo.status).toBe(200);
    expect(typo.body.items.length).toBeGreaterThan(0);
    expect(typo.body.items[0]!.name.toLowerCase()).toContain('blender');
    const headphones = await call<Page<Product>>('GET', '/products?q=hedphones&limit=5');
    expect(headphones.body.items[0]!.name.toLowerCase()).toContain('headphones');
  });

  it('lets only admins change the catalog and stock; stock reads are consistent', async () => {
    const shopper = await customer();
    const body = {
      sku: `E2E-${randomUUID().slice(0, 8)}`,
      name: 'E2E Trail Headlamp',
      description: 'Bright',
      price: 2599,
      currency: 'EUR',
    };
    expect((await call('POST', '/products', { token: shopper.token, body })).status).toBe(403);
    expect((await call('POST', '/products', { body })).status).toBe(401);

    const created = await call<Product>('POST', '/products', { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      sku: body.sku,
      price: 2599,
      currency: 'EUR',
      active: true,
    });
    expect(
      (await call('PUT', `/inventory/${created.body.id}`, { token: admin, body: { onHand: 5 } }))
        .status,
    ).toBe(200);
    const stock = await call('GET', `/inventory/${created.body.id}`, { token: shopper.token });
    expect(stock.body).toMatchObject({
      productId: created.body.id,
      onHand: 5,
      reserved: 0,
      available: 5,
    });

    // The reservation the checkout workflow will make, through the service's internal API.
    const orderId = randomUUID();
    const reserve = () =>
      internal(stack.products.url)('POST', '/internal/inventory/reservations', {
        token: service,
        body: { orderId, items: [{ productId: created.body.id, quantity: 2 }] },
      });
    expect([200, 201]).toContain((await reserve()).status);
    expect([200, 201]).toContain((await reserve()).status);
    expect(
      (await call('GET', `/inventory/${created.body.id}`, { token: shopper.token })).body,
    ).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    const tooMany = await internal(stack.products.url)('POST', '/internal/inventory/reservations', {
      token: service,
      body: { orderId: randomUUID(), items: [{ productId: created.body.id, quantity: 4 }] },
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ code: 'OUT_OF_STOCK' });
    expect(
      (
        await internal(stack.products.url)(
          'POST',
          `/internal/inventory/reservations/${orderId}/commit`,
          { token: service },
        )
      ).status,
    ).toBe(200);
    expect(
      (await call('GET', `/inventory/${created.body.id}`, { token: shopper.token })).body,
    ).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    // Internal routes are never reachable through the public entry.
    expect(
      (await call('POST', '/internal/inventory/reservations', { token: service, body: {} })).status,
    ).toBe(404);
  });

  it('fills a cart with current prices and refuses bad items without changing it', async () => {
    const shopper = await customer();
    const [a, b] = (await call<Page<Product>>('GET', '/products?limit=2&sort=price_asc')).body
      .items;
    expect(
      (
        await call('POST', '/cart/items', {
          token: shopper.token,
          body: { productId: a!.id, quantity: 2 },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/cart/items', {
          token: shopper.token,
          body: { productId: b!.id, quantity: 1 },
        })
      ).status,
    ).toBe(201);
    expect(
      (await call('PATCH', `/cart/items/${b!.id}`, { token: shopper.token, body: { quantity: 3 } }))
        .status,
    ).toBe(200);

    const cart = await call<{
      items: { productId: string; quantity: number; unitPrice: number }[];
      total: number;
      currency: string;
    }>('GET', '/cart', { token: shopper.token });
    expect(cart.status).toBe(200);
    expect(cart.body.items.map((i) => [i.productId, i.quantity, i.unitPrice])).toEqual(
      expect.arrayContaining([
        [a!.id, 2, a!.price],
        [b!.id, 3, b!.price],
      ]),
    );
    expect(cart.body.total).toBe(2 * a!.price + 3 * b!.price);

    const bad = [
      { productId: a!.id, quantity: 0 },
      { productId: a!.id, quantity: -1 },
      { productId: a!.id, quantity: 1000 },
      { productId: 'not-a-uuid', quantity: 1 },
      { productId: a!.id, quantity: 1, price: 1 },
    ];
    for (const body of bad) {
      const res = await call('POST', '/cart/items', { token: shopper.token, body });
      expect(res.status).toBe(400);
    }
    const unknown = await call('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: randomUUID(), quantity: 1 },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'PRODUCT_UNAVAILABLE' });
    expect((await call('GET', '/cart', { token: shopper.token })).body).toEqual(cart.body);

    expect((await call('DELETE', `/cart/items/${a!.id}`, { token: shopper.token })).status).toBe(
      204,
    );
    expect(
      (await call<{ items: unknown[] }>('GET', '/cart', { token: shopper.token })).body.items,
    ).toHaveLength(1);
  });

  it('turns a cart into an order once, and hides it from other customers', async () => {
    const shopper = await customer();
    const [p] = (await call<Page<Product>>('GET', '/products?limit=1')).body.items;
    await call('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: p!.id, quantity: 2 },
    });
    const create = () =>
      internal(stack.orders.url)<{ id: string; status: string; total: number }>(
        'POST',
        '/internal/orders',
        {
          token: service,
          body: {
            customerId: shopper.id,
            paymentMethodId: 'pm_card_visa',
            idempotencyKey: 'e2e-key-1',
            shippingAddress: {
              name: 'Shopper',
              line1: '1 Main St',
              city: 'Lyon',
              postalCode: '69001',
              country: 'FR',
            },
          },
        },
      );
    const [first, second] = await Promise.all([create(), create()]);
    expect(first.body.id).toBe(second.body.id);
    expect(first.body).toMatchObject({ status: 'PENDING', total: 2 * p!.price });
    expect(
      (await call<{ items: unknown[] }>('GET', '/cart', { token: shopper.token })).body.items,
    ).toEqual([]);

    const mine = await call<Page<{ id: string }>>('GET', '/orders', { token: shopper.token });
    expect(mine.body.items.map((o) => o.id)).toEqual([first.body.id]);
    const detail = await call<{ id: string; timeline: unknown[] }>(
      'GET',
      `/orders/${first.body.id}`,
      { token: shopper.token },
    );
    expect(detail.status).toBe(200);
    expect(detail.body.timeline.length).toBeGreaterThan(0);

    const other = await customer();
    const hidden = await call('GET', `/orders/${first.body.id}`, { token: other.token });
    expect(hidden.status).toBe(404);
    expect((await call('GET', `/orders/${first.body.id}`, { token: admin })).status).toBe(200);
  });
});
