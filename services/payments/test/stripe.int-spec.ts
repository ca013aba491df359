import { testEndpoints } from '@commerce/testing';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import {
  ProviderUnavailableError,
  cancelKey,
  captureKey,
  chargeKey,
  refundKey,
} from '../src/providers/payment-provider';
import { chargeResultFromIntent } from '../src/providers/stripe-mapping';
import { StripePaymentProvider } from '../src/providers/stripe.provider';
import { PaymentsTestEnvironment } from './support/payments-app';

/** Requests the SDK sent, as its 'request' events report them (with the idempotency key). */
function recordRequests(stripe: Stripe): Stripe.RequestEvent[] {
  const seen: Stripe.RequestEvent[] = [];
  stripe.on('request', (event) => seen.push(event));
  return seen;
}

describe('Stripe adapter against stripe-mock', () => {
  const provider = new StripePaymentProvider({
    secretKey: 'sk_test_123',
    apiUrl: testEndpoints.stripeMockUrl,
    timeoutMs: 5000,
    maxNetworkRetries: 0,
  });
  const requests = recordRequests(provider.client);

  it('creates and confirms a PaymentIntent with the order’s idempotency key', async () => {
    const orderId = randomUUID();
    const responses: Stripe.ResponseEvent[] = [];
    provider.client.on('response', (event) => responses.push(event));
    const result = await provider.charge({
      orderId,
      customerId: 'c1',
      amount: 2599,
      currency: 'EUR',
      paymentMethodId: 'pm_card_visa',
      idempotencyKey: chargeKey(orderId),
      capture: true,
    });
    expect(result.providerPaymentId).toMatch(/^pi_/);
    expect(requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v1/payment_intents',
      idempotency_key: `charge-${orderId}`,
    });
    expect(responses.at(-1)).toMatchObject({ status: 200, idempotency_key: `charge-${orderId}` });
    // stripe-mock answers from fixtures and never settles a payment; whatever status it reports is
    // mapped like Stripe's own (its fixture says requires_payment_method: a failed confirmation).
    const intent = await provider.client.paymentIntents.retrieve(result.providerPaymentId!);
    expect(result.status).toBe(
      chargeResultFromIntent({ ...intent, id: result.providerPaymentId! }).status,
    );
  });

  it('refunds with the refund’s own key', async () => {
    const result = await provider.refund({
      orderId: randomUUID(),
      providerPaymentId: 'pi_123',
      amount: 1000,
      currency: 'EUR',
      reason: 'customer asked',
      idempotencyKey: refundKey('r-1'),
    });
    expect(result).toEqual({
      providerRefundId: expect.stringMatching(/^re_/),
      status: 'SUCCEEDED',
    });
    expect(requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v1/refunds',
      idempotency_key: 'refund-r-1',
    });
  });

  it('authorises with manual capture, then captures with the order’s capture key', async () => {
    const orderId = randomUUID();
    const seen: string[] = [];
    const collect = (event: Stripe.RequestEvent) => seen.push(`${event.method} ${event.path}`);
    provider.client.on('request', collect);
    const authorised = await provider.charge({
      orderId,
      customerId: 'c1',
      amount: 2599,
      currency: 'EUR',
      paymentMethodId: 'pm_card_visa',
      idempotencyKey: chargeKey(orderId),
      capture: false,
    });
    expect(authorised.providerPaymentId).toMatch(/^pi_/);
    await provider.capture({
      orderId,
      providerPaymentId: 'pi_123',
      amount: 2599,
      idempotencyKey: captureKey(orderId),
    });
    provider.client.off('request', collect);
    expect(seen).toEqual(['POST /v1/payment_intents', 'POST /v1/payment_intents/pi_123/capture']);
    expect(requests.at(-1)).toMatchObject({ idempotency_key: `capture-${orderId}` });
  });

  it('cancels an intent with the order’s cancel key', async () => {
    const orderId = randomUUID();
    await provider.cancel({
      orderId,
      providerPaymentId: 'pi_123',
      idempotencyKey: cancelKey(orderId),
    });
    expect(requests.at(-1)).toMatchObject({
      path: '/v1/payment_intents/pi_123/cancel',
      idempotency_key: `cancel-${orderId}`,
    });
  });

  it('reports an unreachable provider as ProviderUnavailableError', async () => {
    const down = new StripePaymentProvider({
      secretKey: 'sk_test_123',
      apiUrl: 'http://127.0.0.1:1',
      timeoutMs: 1000,
      maxNetworkRetries: 0,
    });
    await expect(
      down.charge({
        orderId: randomUUID(),
        customerId: 'c',
        amount: 100,
        currency: 'EUR',
        paymentMethodId: 'pm_card_visa',
        idempotencyKey: 'charge-x',
        capture: true,
      }),
    ).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});

describe('payments service with PAYMENT_PROVIDER=stripe (stripe-mock)', () => {
  const env = new PaymentsTestEnvironment();
  let requests: Stripe.RequestEvent[];

  beforeAll(async () => {
    await env.setUp({ PAYMENT_PROVIDER: 'stripe' });
    requests = recordRequests(env.app.get(StripePaymentProvider).client);
  });
  afterAll(() => env.tearDown());

  it('charges through Stripe once per order, with charge-<orderId> as the key', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    const first = await env.charge({ orderId, customerId });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      orderId,
      provider: 'stripe',
      providerPaymentId: expect.stringMatching(/^pi_/),
    });
    const again = await env.charge({ orderId, customerId });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const charges = requests.filter((r) => r.path === '/v1/payment_intents');
    expect(charges.filter((r) => r.idempotency_key === `charge-${orderId}`)).toHaveLength(1);
  });

  it('does not offer the test-provider routes', async () => {
    const res = await env.request('GET', '/internal/payments/test-provider/calls', {
      token: env.serviceToken(),
    });
    expect(res.status).toBe(404);
  });

  /** A Stripe payment waiting for 3-D Secure (stripe-mock cannot produce one by itself). */
  async function awaitingAction(amount: number) {
    const orderId = randomUUID();
    const intentId = `pi_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    await env.sql.query(
      `insert into payments (order_id, customer_id, amount, currency, provider, payment_method_id,
         provider_payment_id, status)
       values ($1, $2, $3, 'EUR', 'stripe', 'pm_card_authenticationRequired', $4, 'REQUIRES_ACTION')`,
      [orderId, randomUUID(), amount, intentId],
    );
    return { orderId, intentId };
  }

  it('captures by webhook, then refunds at Stripe with refund-<key>', async () => {
    const { orderId, intentId } = await awaitingAction(5000);
    const hook = await env.webhook({ type: 'payment_intent.succeeded', intentId, orderId });
    expect(hook.status).toBe(200);
    expect((await env.byOrder(orderId)).body).toMatchObject({
      status: 'CAPTURED',
      invoiceNumber: expect.stringMatching(/^INV-/),
    });
    expect(env.stand.events.filter((e) => e.orderId === orderId)).toHaveLength(1);

    const key = randomUUID();
    const refund = await env.refund({ orderId, idempotencyKey: key, amount: 1500 });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ amount: 1500, kind: 'REFUND', status: 'SUCCEEDED' });
    expect(requests.filter((r) => r.path === '/v1/refunds').at(-1)).toMatchObject({
      idempotency_key: `refund-${key}`,
    });
    expect((await env.byOrder(orderId)).body).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refundedAmount: 1500,
    });
  });

  it('voids an uncaptured payment by cancelling its intent at Stripe', async () => {
    const { orderId, intentId } = await awaitingAction(900);
    const refund = await env.refund({ orderId });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ amount: 0, kind: 'VOID' });
    expect(requests.at(-1)).toMatchObject({
      path: `/v1/payment_intents/${intentId}/cancel`,
      idempotency_key: `cancel-${orderId}`,
    });
    expect((await env.byOrder(orderId)).body).toMatchObject({
      status: 'FAILED',
      failureCode: 'CANCELLED',
    });
  });
});
