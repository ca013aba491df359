import { randomUUID } from 'node:crypto';
import { PaymentsTestEnvironment, errorShape } from './support/payments-app';

describe('charges (test-mode provider)', () => {
  const env = new PaymentsTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());
  afterEach(() => env.outage({ failNext: 0, delayMs: 0 }));

  it('captures a charge (201), and answers a repeat with the same payment (200)', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    const first = await env.charge({ orderId, customerId, amount: 4348, currency: 'EUR' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      orderId,
      customerId,
      status: 'CAPTURED',
      amount: 4348,
      currency: 'EUR',
      provider: 'test',
      providerPaymentId: expect.stringMatching(/^pi_test_/),
      refundedAmount: 0,
      failureCode: null,
      failureMessage: null,
      invoiceNumber: expect.stringMatching(/^INV-\d{4}-\d{6}$/),
    });
    const again = await env.charge({ orderId, customerId, amount: 4348, currency: 'EUR' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const calls = await env.providerCalls(orderId);
    expect(calls).toEqual([
      expect.objectContaining({
        operation: 'charge',
        idempotencyKey: `charge-${orderId}`,
        outcome: 'CAPTURED',
        replayed: false,
      }),
    ]);
    expect(await env.count('payments', 'order_id = $1', [orderId])).toBe(1);
    expect(await env.count('invoices', 'order_id = $1', [orderId])).toBe(1);
    const read = await env.byOrder(orderId);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(first.body);
  });

  it('refuses a repeat with another amount, currency or customer with 409 CHARGE_MISMATCH', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    expect((await env.charge({ orderId, customerId, amount: 1000 })).status).toBe(201);
    for (const change of [{ amount: 1001 }, { currency: 'USD' }, { customerId: randomUUID() }]) {
      const res = await env.charge({ orderId, customerId, amount: 1000, ...change });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject(errorShape(409, 'CHARGE_MISMATCH'));
    }
    expect(await env.providerCalls(orderId)).toHaveLength(1);
  });

  it('stores a decline as FAILED CARD_DECLINED (not an HTTP error) and repeats it', async () => {
    const orderId = randomUUID();
    const first = await env.charge({ orderId, paymentMethodId: 'pm_card_chargeDeclined' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'FAILED',
      failureCode: 'CARD_DECLINED',
      failureMessage: expect.any(String),
      invoiceNumber: null,
    });
    const again = await env.charge({
      orderId,
      customerId: first.body.customerId,
      paymentMethodId: 'pm_card_chargeDeclined',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await env.providerCalls(orderId)).toHaveLength(1);
    expect(await env.count('invoices', 'order_id = $1', [orderId])).toBe(0);

    const visaDeclined = await env.charge({ paymentMethodId: 'pm_card_visa_chargeDeclined' });
    expect(visaDeclined.body).toMatchObject({ status: 'FAILED', failureCode: 'CARD_DECLINED' });
    const unknown = await env.charge({ paymentMethodId: 'pm_nonsense' });
    expect(unknown.body).toMatchObject({
      status: 'FAILED',
      failureCode: 'INVALID_PAYMENT_METHOD',
    });
  });

  it('answers a payment that needs 3-D Secure with REQUIRES_ACTION', async () => {
    const res = await env.charge({ paymentMethodId: 'pm_card_authenticationRequired' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'REQUIRES_ACTION',
      providerPaymentId: expect.stringMatching(/^pi_test_/),
      invoiceNumber: null,
    });
  });

  it('answers a transient failure with 503, keeps the payment retryable, and charges once on retry', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    await env.outage({ failNext: 1 });
    const failed = await env.charge({ orderId, customerId });
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject(errorShape(503, 'PAYMENT_PROVIDER_UNAVAILABLE'));
    const pending = await env.byOrder(orderId);
    expect(pending.body).toMatchObject({ status: 'PENDING', providerPaymentId: null });

    const retried = await env.charge({ orderId, customerId });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ status: 'CAPTURED', id: pending.body.id });
    const again = await env.charge({ orderId, customerId });
    expect(again.status).toBe(200);

    const calls = await env.providerCalls(orderId);
    expect(calls.map((c) => [c.idempotencyKey, c.outcome])).toEqual([
      [`charge-${orderId}`, 'UNAVAILABLE'],
      [`charge-${orderId}`, 'CAPTURED'],
    ]);
    expect(calls.filter((c) => c.outcome === 'CAPTURED')).toHaveLength(1);
    expect(await env.count('payments', 'order_id = $1', [orderId])).toBe(1);
  });

  it('20 concurrent charges for one order: one provider call, one payment row, one 201', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    // A slow provider, so the twenty really overlap with the one in flight.
    await env.outage({ delayMs: 300 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => env.charge({ orderId, customerId })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.every((r) => r.body.status === 'CAPTURED')).toBe(true);
    expect(await env.providerCalls(orderId)).toHaveLength(1);
    expect(await env.count('payments', 'order_id = $1', [orderId])).toBe(1);
    expect(await env.count('invoices', 'order_id = $1', [orderId])).toBe(1);
  });

  it('concurrent charges during an outage never reach the provider twice at once', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    await env.outage({ failNext: 1, delayMs: 100 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => env.charge({ orderId, customerId })),
    );
    // The caller holding the claim got the outage; the ones that waited took over after it.
    expect(results.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(1);
    const calls = await env.providerCalls(orderId);
    expect(calls.filter((c) => c.outcome === 'CAPTURED').length).toBeLessThanOrEqual(1);
    const final = await env.charge({ orderId, customerId });
    expect([200, 201]).toContain(final.status);
    expect(final.body.status).toBe('CAPTURED');
    const after = await env.providerCalls(orderId);
    expect(after.filter((c) => c.outcome === 'CAPTURED')).toHaveLength(1);
    expect(after.every((c) => c.idempotencyKey === `charge-${orderId}`)).toBe(true);
  });

  it('answers 404 PAYMENT_NOT_FOUND for an order without a payment', async () => {
    const res = await env.byOrder(randomUUID());
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject(errorShape(404, 'PAYMENT_NOT_FOUND'));
  });

  it.each([
    ['amount', { amount: 0 }],
    ['amount', { amount: -5 }],
    ['amount', { amount: 12.5 }],
    ['amount', { amount: '100' }],
    ['currency', { currency: 'eur' }],
    ['currency', { currency: 'EURO' }],
    ['currency', { currency: 'ABC' }],
    ['orderId', { orderId: 'not-a-uuid' }],
    ['customerId', { customerId: '' }],
    ['paymentMethodId', { paymentMethodId: undefined }],
    ['cardNumber', { cardNumber: '4242424242424242' }],
  ])('refuses a bad %s with 400 naming it, and stores nothing', async (field, override) => {
    const orderId = randomUUID();
    const res = await env.request('POST', '/internal/payments/charges', {
      token: env.serviceToken(),
      body: {
        orderId,
        customerId: randomUUID(),
        amount: 100,
        currency: 'EUR',
        paymentMethodId: 'pm_card_visa',
        ...override,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(errorShape(400, 'VALIDATION_FAILED'));
    expect(JSON.stringify(res.body.details)).toContain(`"field":"${field}"`);
    expect(JSON.stringify(res.body)).not.toContain('4242424242424242');
    expect(await env.count('payments', 'order_id = $1', [orderId])).toBe(0);
  });

  it('keeps the internal routes to SERVICE tokens', async () => {
    const customer = env.customer();
    const charge = await env.request('POST', '/internal/payments/charges', {
      token: customer.token,
      body: {
        orderId: randomUUID(),
        customerId: customer.id,
        amount: 100,
        currency: 'EUR',
        paymentMethodId: 'pm_card_visa',
      },
    });
    expect(charge.status).toBe(403);
    const outage = await env.request('PUT', '/internal/payments/test-provider/outage', {
      token: customer.token,
      body: { failNext: 5 },
    });
    expect(outage.status).toBe(403);
    const anonymous = await env.request('GET', `/internal/payments/by-order/${randomUUID()}`);
    expect(anonymous.status).toBe(401);
  });
});

describe('the provider circuit breaker', () => {
  const env = new PaymentsTestEnvironment();

  beforeAll(() =>
    env.setUp({
      BREAKER_VOLUME_THRESHOLD: '2',
      BREAKER_ERROR_THRESHOLD_PERCENT: '50',
      BREAKER_RESET_TIMEOUT_MS: '700',
    }),
  );
  afterAll(() => env.tearDown());

  it('opens after transient failures (503 without calling the provider), then recovers', async () => {
    await env.outage({ failNext: 2 });
    const orderId = randomUUID();
    const customerId = randomUUID();
    expect((await env.charge({ orderId, customerId })).status).toBe(503);
    expect((await env.charge({ orderId, customerId })).status).toBe(503);
    const open = await env.charge({ orderId, customerId });
    expect(open.status).toBe(503);
    expect(open.body).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
    // The third call never reached the provider.
    expect(await env.providerCalls(orderId)).toHaveLength(2);
    expect((await env.byOrder(orderId)).body).toMatchObject({ status: 'PENDING' });

    await new Promise((resolve) => setTimeout(resolve, 800));
    const recovered = await env.charge({ orderId, customerId });
    expect(recovered.status).toBe(201);
    expect(recovered.body).toMatchObject({ status: 'CAPTURED' });
    expect(await env.providerCalls(orderId)).toHaveLength(3);
  });

  it('is not opened by declines', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await env.charge({ paymentMethodId: 'pm_card_chargeDeclined' });
      expect(res.body).toMatchObject({ status: 'FAILED', failureCode: 'CARD_DECLINED' });
    }
    expect((await env.charge()).body).toMatchObject({ status: 'CAPTURED' });
  });
});
