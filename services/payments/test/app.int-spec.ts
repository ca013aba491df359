import { randomUUID } from 'node:crypto';
import { PaymentsTestEnvironment, errorShape } from './support/payments-app';

describe('payments service edges', () => {
  const env = new PaymentsTestEnvironment();

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

  it('documents every route in OpenAPI; only the webhook goes without a bearer token', async () => {
    const res = await env.request<{
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>('GET', '/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/payments',
        '/invoices/{orderId}',
        '/payments/webhooks/stripe',
        '/internal/payments/charges',
        '/internal/payments/refunds',
        '/internal/payments/by-order/{orderId}',
        '/internal/payments/test-provider/outage',
        '/internal/payments/test-provider/calls',
      ]),
    );
    for (const [path, operations] of Object.entries(paths)) {
      if (path.startsWith('/health')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const expected = path === '/payments/webhooks/stripe' ? undefined : [{ bearer: [] }];
        expect({ path, method, security: operation.security }).toEqual({
          path,
          method,
          security: expected,
        });
      }
    }
  });

  it('never answers 5xx to malformed bodies, and stores nothing', async () => {
    const service = env.serviceToken();
    const routes: [string, string][] = [
      ['POST', '/internal/payments/charges'],
      ['POST', '/internal/payments/refunds'],
      ['PUT', '/internal/payments/test-provider/outage'],
      ['POST', '/payments/webhooks/stripe'],
    ];
    const bodies: unknown[] = [
      [],
      'text',
      42,
      null,
      { amount: null, currency: null },
      { amount: '1e3', currency: ['EUR'], orderId: { $ne: 1 } },
      { amount: Number.MAX_SAFE_INTEGER + 2, currency: 'EUR' },
      { __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } },
      { failNext: -1, delayMs: 'slow' },
    ];
    for (const [method, path] of routes) {
      for (const body of bodies) {
        const res = await env.request(method, path, { token: service, body });
        expect({ method, path, body, ok: res.status < 500 }).toEqual({
          method,
          path,
          body,
          ok: true,
        });
      }
    }
    const raw = await env.request('POST', '/internal/payments/charges', {
      token: service,
      body: '{"orderId": ',
    });
    expect(raw.body).toMatchObject(errorShape(400, 'MALFORMED_JSON'));
    expect(await env.count('payments')).toBe(0);
    expect(await env.count('webhook_events')).toBe(0);
  });

  it('counts charges, refunds and webhooks by outcome in /metrics', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    await env.charge({ orderId, customerId });
    await env.charge({ orderId, customerId });
    await env.charge({ paymentMethodId: 'pm_card_chargeDeclined' });
    await env.refund({ orderId });
    await env.webhook({ type: 'payment_intent.succeeded', intentId: 'pi_unknown' });
    await env.webhook({ type: 'payment_intent.succeeded', intentId: 'pi_x' }, { header: 'bad' });
    const text = await (await fetch(`${env.url}/metrics`)).text();
    for (const [operation, status] of [
      ['payment.charge', 'captured'],
      ['payment.charge', 'duplicate'],
      ['payment.charge', 'failed'],
      ['payment.refund', 'refund'],
      ['payment.webhook', 'ignored'],
      ['payment.webhook', 'invalid_signature'],
      ['invoice.issue', 'issued'],
    ]) {
      expect(text).toMatch(
        new RegExp(
          `business_operations_total\\{operation="${operation}",status="${status}",service="payments"\\} \\d+`,
        ),
      );
    }
  });
});
