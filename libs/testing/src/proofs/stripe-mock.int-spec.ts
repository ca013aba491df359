import Stripe from 'stripe';
import { testEndpoints } from '../index';

describe('stripe SDK against stripe-mock (real server)', () => {
  const url = new URL(testEndpoints.stripeMockUrl);
  const stripe = new Stripe('sk_test_123', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });

  it('creates a PaymentIntent', async () => {
    const intent = await stripe.paymentIntents.create(
      { amount: 2599, currency: 'eur', payment_method: 'pm_card_visa', confirm: true },
      { idempotencyKey: 'proof-order-1:charge' },
    );
    expect(intent.object).toBe('payment_intent');
    expect(intent.id).toMatch(/^pi_/);
    // stripe-mock echoes the request's amount and currency back.
    expect(intent.amount).toBe(2599);
    expect(intent.currency).toBe('eur');
  });

  it('rejects an invalid request the way Stripe does', async () => {
    await expect(
      stripe.paymentIntents.create({ amount: -1 } as Stripe.PaymentIntentCreateParams),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});
