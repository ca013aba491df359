import { randomUUID } from 'node:crypto';
import { PaymentsTestEnvironment, errorShape } from './support/payments-app';

describe('refunds and voids (test-mode provider)', () => {
  const env = new PaymentsTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());
  afterEach(() => env.outage({ failNext: 0, delayMs: 0 }));

  async function captured(amount = 5000) {
    const res = await env.charge({ amount });
    expect(res.body.status).toBe('CAPTURED');
    return res.body;
  }

  it('refunds everything captured by default, once per idempotency key', async () => {
    const payment = await captured(5000);
    const key = `refund-${payment.orderId}`;
    const first = await env.refund({ orderId: payment.orderId, idempotencyKey: key });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      paymentId: payment.id,
      orderId: payment.orderId,
      amount: 5000,
      currency: 'EUR',
      status: 'SUCCEEDED',
      kind: 'REFUND',
      reason: 'test refund',
    });
    const again = await env.refund({ orderId: payment.orderId, idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({
      status: 'REFUNDED',
      refundedAmount: 5000,
    });
    const refunds = (await env.providerCalls(payment.orderId)).filter(
      (c) => c.operation === 'refund',
    );
    expect(refunds).toEqual([
      expect.objectContaining({ idempotencyKey: `refund-${key}`, outcome: 'SUCCEEDED' }),
    ]);
    // Nothing left: a new key refunds nothing and calls nobody.
    const nothing = await env.refund({ orderId: payment.orderId });
    expect(nothing.body).toMatchObject({ amount: 0, kind: 'NOTHING', status: 'SUCCEEDED' });
    expect(
      (await env.providerCalls(payment.orderId)).filter((c) => c.operation === 'refund'),
    ).toHaveLength(1);
  });

  it('refunds part, then the rest, and refuses more than what is left with 409', async () => {
    const payment = await captured(5000);
    const part = await env.refund({ orderId: payment.orderId, amount: 1200 });
    expect(part.body).toMatchObject({ amount: 1200, kind: 'REFUND' });
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refundedAmount: 1200,
    });
    const tooMuch = await env.refund({ orderId: payment.orderId, amount: 3801 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({
      ...errorShape(409, 'REFUND_EXCEEDS_CAPTURED'),
      details: [{ orderId: payment.orderId, requested: 3801, refundable: 3800 }],
    });
    expect(await env.count('refunds', 'order_id = $1', [payment.orderId])).toBe(1);
    const rest = await env.refund({ orderId: payment.orderId });
    expect(rest.body).toMatchObject({ amount: 3800 });
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({
      status: 'REFUNDED',
      refundedAmount: 5000,
    });
  });

  it('refuses a refund above what was captured with 409 and stores nothing', async () => {
    const payment = await captured(2599);
    const res = await env.refund({ orderId: payment.orderId, amount: 2600 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject(errorShape(409, 'REFUND_EXCEEDS_CAPTURED'));
    expect(await env.count('refunds', 'order_id = $1', [payment.orderId])).toBe(0);
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({
      status: 'CAPTURED',
      refundedAmount: 0,
    });
    expect(
      (await env.providerCalls(payment.orderId)).filter((c) => c.operation === 'refund'),
    ).toHaveLength(0);
  });

  it('never refunds more than captured under concurrent refunds with different keys', async () => {
    const payment = await captured(2599);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => env.refund({ orderId: payment.orderId, amount: 1000 })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409)).toHaveLength(4);
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refundedAmount: 2000,
    });
  });

  it('answers concurrent repeats of one key with one refund', async () => {
    const payment = await captured(3000);
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        env.refund({ orderId: payment.orderId, idempotencyKey: key, amount: 1000 }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(7);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({ refundedAmount: 1000 });
  });

  it('refuses a key already used for another order with 409', async () => {
    const a = await captured(1000);
    const b = await captured(1000);
    const key = randomUUID();
    expect((await env.refund({ orderId: a.orderId, idempotencyKey: key })).status).toBe(201);
    const reused = await env.refund({ orderId: b.orderId, idempotencyKey: key });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject(errorShape(409, 'IDEMPOTENCY_KEY_REUSED'));
    expect((await env.byOrder(b.orderId)).body).toMatchObject({ refundedAmount: 0 });
  });

  it('voids a payment that was never captured: cancelled at the provider, FAILED/CANCELLED, amount 0', async () => {
    const charge = await env.charge({ paymentMethodId: 'pm_card_authenticationRequired' });
    expect(charge.body.status).toBe('REQUIRES_ACTION');
    const orderId = charge.body.orderId;
    const key = randomUUID();
    const res = await env.refund({ orderId, idempotencyKey: key, reason: 'checkout cancelled' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 0, kind: 'VOID', status: 'SUCCEEDED' });
    expect((await env.byOrder(orderId)).body).toMatchObject({
      status: 'FAILED',
      failureCode: 'CANCELLED',
      failureMessage: expect.stringContaining('checkout cancelled'),
    });
    const again = await env.refund({ orderId, idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    // A second compensation with another key has nothing left to do.
    const other = await env.refund({ orderId });
    expect(other.body).toMatchObject({ amount: 0, kind: 'NOTHING' });
    const calls = await env.providerCalls(orderId);
    expect(calls.filter((c) => c.operation === 'cancel')).toEqual([
      expect.objectContaining({ idempotencyKey: `cancel-${orderId}`, outcome: 'CANCELLED' }),
    ]);
    // A webhook arriving afterwards does not resurrect it.
    const late = await env.webhook({
      type: 'payment_intent.succeeded',
      intentId: charge.body.providerPaymentId!,
    });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ outcome: 'NOOP' });
    expect((await env.byOrder(orderId)).body).toMatchObject({ status: 'FAILED' });
  });

  it('answers a failed payment with a refund of 0 and calls nobody', async () => {
    const charge = await env.charge({ paymentMethodId: 'pm_card_chargeDeclined' });
    const res = await env.refund({ orderId: charge.body.orderId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 0, kind: 'NOTHING', status: 'SUCCEEDED' });
    const calls = await env.providerCalls(charge.body.orderId);
    expect(calls.map((c) => c.operation)).toEqual(['charge']);
  });

  it('answers 404 PAYMENT_NOT_FOUND when the order has no payment', async () => {
    const res = await env.refund({ orderId: randomUUID() });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject(errorShape(404, 'PAYMENT_NOT_FOUND'));
  });

  it('answers 503 during an outage, stores nothing, and refunds once on retry', async () => {
    const payment = await captured(1500);
    const key = randomUUID();
    await env.outage({ failNext: 1 });
    const failed = await env.refund({ orderId: payment.orderId, idempotencyKey: key });
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject(errorShape(503, 'PAYMENT_PROVIDER_UNAVAILABLE'));
    expect(await env.count('refunds', 'order_id = $1', [payment.orderId])).toBe(0);
    const retried = await env.refund({ orderId: payment.orderId, idempotencyKey: key });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ amount: 1500 });
    const refunds = (await env.providerCalls(payment.orderId)).filter(
      (c) => c.operation === 'refund',
    );
    expect(refunds.map((c) => [c.idempotencyKey, c.outcome])).toEqual([
      [`refund-${key}`, 'UNAVAILABLE'],
      [`refund-${key}`, 'SUCCEEDED'],
    ]);
  });

  it('settles a charge left PENDING by an outage before refunding it', async () => {
    const orderId = randomUUID();
    await env.outage({ failNext: 1 });
    expect((await env.charge({ orderId, amount: 800 })).status).toBe(503);
    const res = await env.refund({ orderId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 800, kind: 'REFUND' });
    expect((await env.byOrder(orderId)).body).toMatchObject({ status: 'REFUNDED' });
  });

  it.each([
    ['amount', { amount: 0 }],
    ['amount', { amount: 1.5 }],
    ['idempotencyKey', { idempotencyKey: 'has spaces' }],
    ['reason', { reason: '' }],
    ['orderId', { orderId: 'x' }],
    ['extra', { extra: true }],
  ])('refuses a bad %s with 400', async (field, override) => {
    const payment = await captured(1000);
    const res = await env.refund({ orderId: payment.orderId, ...override });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(`"field":"${field}"`);
    expect(await env.count('refunds', 'order_id = $1', [payment.orderId])).toBe(0);
  });
});
