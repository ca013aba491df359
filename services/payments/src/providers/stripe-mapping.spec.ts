import Stripe from 'stripe';
import { ProviderRejectedError, ProviderUnavailableError } from './payment-provider';
import {
  chargeResultFromError,
  chargeResultFromIntent,
  isTransientStripeError,
  providerError,
} from './stripe-mapping';

const intent = (status: Stripe.PaymentIntent.Status, lastError?: object) => ({
  id: 'pi_1',
  status,
  last_payment_error: (lastError ?? null) as Stripe.PaymentIntent.LastPaymentError | null,
});

describe('Stripe intent status -> payment status', () => {
  it.each([
    ['succeeded', 'CAPTURED'],
    ['requires_capture', 'AUTHORIZED'],
    // Not paid yet: the checkout waits for the webhook, as for a 3-D Secure step.
    ['processing', 'REQUIRES_ACTION'],
    ['requires_action', 'REQUIRES_ACTION'],
    ['requires_confirmation', 'REQUIRES_ACTION'],
    ['canceled', 'FAILED'],
    ['requires_payment_method', 'FAILED'],
  ] as const)('%s -> %s', (status, expected) => {
    expect(chargeResultFromIntent(intent(status))).toMatchObject({
      status: expected,
      providerPaymentId: 'pi_1',
    });
  });

  it('reads a failed confirmation from last_payment_error', () => {
    expect(
      chargeResultFromIntent(
        intent('requires_payment_method', {
          type: 'card_error',
          code: 'card_declined',
          message: 'Your card was declined.',
        }),
      ),
    ).toEqual({
      status: 'FAILED',
      providerPaymentId: 'pi_1',
      failureCode: 'CARD_DECLINED',
      failureMessage: 'Your card was declined.',
    });
    expect(chargeResultFromIntent(intent('canceled'))).toMatchObject({ failureCode: 'CANCELLED' });
  });
});

describe('Stripe errors during a charge', () => {
  it('turns a card error into a decline, keeping the intent id', () => {
    const error = new Stripe.errors.StripeCardError({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
      statusCode: 402,
      payment_intent: { id: 'pi_declined' } as Stripe.PaymentIntent,
    });
    expect(chargeResultFromError(error)).toEqual({
      status: 'FAILED',
      providerPaymentId: 'pi_declined',
      failureCode: 'CARD_DECLINED',
      failureMessage: 'Your card was declined.',
    });
  });

  it('reads authentication_required as an authentication failure', () => {
    const error = new Stripe.errors.StripeCardError({
      type: 'card_error',
      code: 'authentication_required',
      message: 'This payment requires authentication.',
    });
    expect(chargeResultFromError(error)).toMatchObject({ failureCode: 'AUTHENTICATION_FAILED' });
  });

  it('turns an unknown payment method into INVALID_PAYMENT_METHOD', () => {
    const error = new Stripe.errors.StripeInvalidRequestError({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'payment_method',
      statusCode: 400,
      message: "No such PaymentMethod: 'pm_nope'",
    });
    expect(chargeResultFromError(error)).toMatchObject({
      status: 'FAILED',
      failureCode: 'INVALID_PAYMENT_METHOD',
      providerPaymentId: null,
    });
  });

  it.each([
    [
      'a connection failure',
      new Stripe.errors.StripeConnectionError({ type: 'api_error', message: 'ECONNREFUSED' }),
    ],
    [
      'a 500',
      new Stripe.errors.StripeAPIError({ type: 'api_error', statusCode: 500, message: 'oops' }),
    ],
    [
      'a 503 without a type',
      new Stripe.errors.StripeError({ type: 'api_error', statusCode: 503, message: 'down' }),
    ],
    [
      'a rate limit',
      new Stripe.errors.StripeRateLimitError({
        type: 'rate_limit_error',
        statusCode: 429,
        message: 'slow down',
      }),
    ],
    [
      'a concurrent request with the same key',
      new Stripe.errors.StripeIdempotencyError({
        type: 'idempotency_error',
        statusCode: 409,
        message: 'in progress',
      }),
    ],
    [
      'a refused API key',
      new Stripe.errors.StripeAuthenticationError({
        type: 'authentication_error',
        statusCode: 401,
        message: 'Invalid API Key provided: sk_test_***',
      }),
    ],
  ])('throws ProviderUnavailableError for %s', (_name, error) => {
    expect(isTransientStripeError(error)).toBe(true);
    expect(() => chargeResultFromError(error)).toThrow(ProviderUnavailableError);
  });

  it('throws ProviderRejectedError for any other invalid request', () => {
    const error = new Stripe.errors.StripeInvalidRequestError({
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      statusCode: 400,
      message: 'already succeeded',
    });
    expect(isTransientStripeError(error)).toBe(false);
    expect(() => chargeResultFromError(error)).toThrow(ProviderRejectedError);
    const mapped = providerError(error) as ProviderRejectedError;
    expect(mapped.providerCode).toBe('payment_intent_unexpected_state');
  });

  it('passes other errors through untouched', () => {
    const bug = new TypeError('x is undefined');
    expect(providerError(bug)).toBe(bug);
    expect(isTransientStripeError(bug)).toBe(false);
  });
});
