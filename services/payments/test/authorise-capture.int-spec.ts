import { randomUUID } from 'node:crypto';
import { PaymentsTestEnvironment, errorShape } from './support/payments-app';

// The checkout's payment: authorise (funds held), then capture or void (issue 13).
describe('authorise, then capture or void (test-mode provider)', () => {
  const env = new PaymentsTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());
  afterEach(() => env.outage({ failNext: 0, delayMs: 0 }));

  it('authorises without capturing, then captures once however often it is asked', async () => {
    const orderId = randomUUID();
    const authorised = await env.charge({ orderId, capture: false });
    expect(authorised.status).toBe(201);
    expect(authorised.body).toMatchObject({ status: 'AUTHORIZED', invoiceNumber: null });

    const captures = await Promise.all([1, 2, 3].map(() => env.capture(orderId)));
    expect(captures.map((c) => c.status).sort()).toEqual([200, 200, 201]);
    for (const c of captures) expect(c.body).toMatchObject({ status: 'CAPTURED' });
    expect((await env.capture(orderId)).status).toBe(200);

    const calls = await env.providerCalls(orderId);
    expect(calls.map((c) => `${c.operation}:${c.outcome}`)).toEqual([
      'charge:AUTHORIZED',
      'capture:CAPTURED',
    ]);
    expect(calls[1]).toMatchObject({ idempotencyKey: `capture-${orderId}` });
    expect((await env.byOrder(orderId)).body.invoiceNumber).toMatch(/^INV-/);
  });

  it('a capture that meets a provider outage is retryable (503) and captures on the retry', async () => {
    const orderId = randomUUID();
    await env.charge({ orderId, capture: false });
    await env.outage({ failNext: 1 });
    const failed = await env.capture(orderId);
    expect(failed.status).toBe(503);
    expect((await env.byOrder(orderId)).body.status).toBe('AUTHORIZED');
    const retried = await env.capture(orderId);
    expect(retried.status).toBe(201);
    expect(retried.body.status).toBe('CAPTURED');
  });

  it('voids an authorisation (refund of a payment never captured), which then cannot be captured', async () => {
    const orderId = randomUUID();
    await env.charge({ orderId, capture: false });
    const voided = await env.refund({ orderId, idempotencyKey: `refund-${orderId}` });
    expect(voided.status).toBe(201);
    expect(voided.body).toMatchObject({ kind: 'VOID', amount: 0 });
    const capture = await env.capture(orderId);
    expect(capture.status).toBe(409);
    expect(capture.body).toMatchObject(errorShape(409, 'PAYMENT_NOT_CAPTURABLE'));
    const calls = await env.providerCalls(orderId);
    expect(calls.filter((c) => c.operation === 'capture')).toEqual([]);
    expect(calls.map((c) => c.operation)).toEqual(['charge', 'cancel']);
  });

  it('a declined card is FAILED at authorisation and cannot be captured', async () => {
    const orderId = randomUUID();
    const declined = await env.charge({
      orderId,
      capture: false,
      paymentMethodId: 'pm_card_chargeDeclined',
    });
    expect(declined.body.status).toBe('FAILED');
    expect((await env.capture(orderId)).status).toBe(409);
  });

  it('capture of an unknown order is 404, of a bad id 400', async () => {
    expect((await env.capture(randomUUID())).status).toBe(404);
    const bad = await env.capture('not-a-uuid');
    expect(bad.status).toBe(400);
  });
});
