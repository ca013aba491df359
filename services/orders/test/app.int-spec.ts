import { OrdersTestEnvironment, errorShape } from './support/orders-app';

describe('orders service edges', () => {
  const env = new OrdersTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('reports PostgreSQL and Redis in /health', async () => {
    const res = await env.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('documents every route in OpenAPI, each with a bearer requirement', async () => {
    const res = await env.request<{
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>('GET', '/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/cart',
        '/cart/items',
        '/cart/items/{productId}',
        '/orders',
        '/orders/{id}',
        '/internal/orders',
        '/internal/orders/{id}/transition',
        '/internal/orders/{id}/confirm',
        '/internal/orders/{id}/fail',
        '/internal/orders/{id}/cancel',
      ]),
    );
    for (const [path, operations] of Object.entries(paths)) {
      if (path.startsWith('/health')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        expect({ path, method, security: operation.security }).toEqual({
          path,
          method,
          security: [{ bearer: [] }],
        });
      }
    }
  });

  it('refuses a body over the limit with 413', async () => {
    const { token } = env.customer();
    const res = await env.request('POST', '/cart/items', {
      token,
      body: { productId: 'x'.repeat(70_000), quantity: 1 },
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject(errorShape(413, 'PAYLOAD_TOO_LARGE'));
  });

  it('passes the request id on to the products service', async () => {
    const { token } = env.customer();
    const product = env.stand.addProduct();
    const res = await env.request('POST', '/cart/items', {
      token,
      body: { productId: product.id, quantity: 1 },
      headers: { 'x-request-id': 'trace-me-123' },
    });
    expect(res.status).toBe(201);
    expect(env.stand.requestIds.at(-1)).toBe('trace-me-123');
  });

  it('never answers 5xx to malformed bodies', async () => {
    const customer = env.customer();
    const service = env.serviceToken();
    const id = '5f0c6a4e-3f3b-4a49-9a57-1f7e4b7b2d11';
    const routes: [string, string, string][] = [
      ['POST', '/cart/items', customer.token],
      ['PATCH', `/cart/items/${id}`, customer.token],
      ['POST', '/internal/orders', service],
      ['POST', `/internal/orders/${id}/transition`, service],
      ['POST', `/internal/orders/${id}/confirm`, service],
      ['POST', `/internal/orders/${id}/fail`, service],
      ['POST', `/internal/orders/${id}/cancel`, service],
    ];
    const bodies: unknown[] = [
      [],
      [{ productId: id, quantity: 1 }],
      'text',
      42,
      null,
      { quantity: null, productId: null },
      { quantity: true, productId: { $ne: 1 } },
      { quantity: '1e3', to: ['COMPLETED'], reason: { a: 1 } },
      { shippingAddress: { name: ['x'], country: 12 }, customerId: {}, idempotencyKey: 5 },
      { __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } },
    ];
    for (const [method, path, token] of routes) {
      for (const body of bodies) {
        const res = await env.request(method, path, { token, body });
        expect({ method, path, body, status: res.status < 500 }).toEqual({
          method,
          path,
          body,
          status: true,
        });
      }
    }
    expect(await env.count('cart_items', 'customer_id = $1', [customer.id])).toBe(0);
    expect(await env.count('orders')).toBe(0);
  });

  it('keeps carts and orders to people: a SERVICE token gets 403', async () => {
    for (const path of ['/cart', '/orders']) {
      const res = await env.request('GET', path, { token: env.serviceToken() });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject(errorShape(403, 'FORBIDDEN'));
    }
  });

  it('refuses a token signed by an unknown key', async () => {
    const res = await env.request('GET', '/cart', { token: 'a.b.c' });
    expect(res.status).toBe(401);
  });
});
