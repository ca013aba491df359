import { PaymentFailureCode } from '@commerce/contracts';
import Stripe from 'stripe';
import {
  type ChargeResult,
  ProviderRejectedError,
  ProviderUnavailableError,
} from './payment-provider';

/** How a Stripe PaymentIntent's status reads as ours. */
export function chargeResultFromIntent(
  intent: Pick<Stripe.PaymentIntent, 'id' | 'status' | 'last_payment_error'>,
): ChargeResult {
  switch (intent.status) {
    case 'succeeded':
      return { status: 'CAPTURED', providerPaymentId: intent.id };
    // Authorised, not captured yet (manual capture): the funds are held.
    case 'requires_capture':
      return { status: 'AUTHORIZED', providerPaymentId: intent.id };
    // Still being processed: neither authorised nor captured yet. Like a payment that needs the
    // customer's action, the provider's webhook settles it; the checkout waits for that.
    case 'processing':
    case 'requires_action':
    case 'requires_confirmation':
      return { status: 'REQUIRES_ACTION', providerPaymentId: intent.id };
    case 'canceled':
      return {
        status: 'FAILED',
        providerPaymentId: intent.id,
        failureCode: PaymentFailureCode.CANCELLED,
        failureMessage: 'The payment was cancelled at the provider',
      };
    case 'requires_payment_method': {
      // After a confirmation attempt this means the attempt failed.
      const error = intent.last_payment_error;
      return {
        status: 'FAILED',
        providerPaymentId: intent.id,
        failureCode:
          error?.type === 'card_error'
            ? failureCodeOfCardError(error.code)
            : PaymentFailureCode.INVALID_PAYMENT_METHOD,
        failureMessage: error?.message ?? 'The payment method was not accepted',
      };
    }
    default:
      return {
        status: 'FAILED',
        providerPaymentId: intent.id,
        failureCode: PaymentFailureCode.PROVIDER_ERROR,
        failureMessage: `Unexpected payment intent status "${String(intent.status)}"`,
      };
  }
}

function failureCodeOfCardError(code: string | undefined): PaymentFailureCode {
  return code === 'authentication_required'
    ? PaymentFailureCode.AUTHENTICATION_FAILED
    : PaymentFailureCode.CARD_DECLINED;
}

/**
 * What an error thrown by the SDK during a charge means: a decline (a value, stored as FAILED),
 * a transient failure (503, retry with the same key, counts against the breaker), or a refusal of
 * the request that no retry will change.
 */
export function chargeResultFromError(error: unknown): ChargeResult {
  if (error instanceof Stripe.errors.StripeCardError) {
    return {
      status: 'FAILED',
      providerPaymentId: error.payment_intent?.id ?? null,
      failureCode: failureCodeOfCardError(error.code),
      failureMessage: error.message || 'The card was declined',
    };
  }
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError &&
    error.param === 'payment_method' &&
    !isTransientStripeError(error)
  ) {
    return {
      status: 'FAILED',
      providerPaymentId: error.payment_intent?.id ?? null,
      failureCode: PaymentFailureCode.INVALID_PAYMENT_METHOD,
      failureMessage: error.message || 'The payment method is not usable',
    };
  }
  throw providerError(error);
}

/** The error to throw for a failed refund or cancel (or a charge error that is no decline). */
export function providerError(error: unknown): Error {
  if (isTransientStripeError(error)) {
    return new ProviderUnavailableError(describe(error), { cause: error });
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new ProviderRejectedError(describe(error), error.code);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Worth retrying later with the same idempotency key: no answer (connection, timeout), the
 * provider's own failures (5xx), rate limiting, a concurrent request with the same key (409), and
 * our credentials being refused (an operator fixes the key; the payment is not the customer's fault).
 */
export function isTransientStripeError(error: unknown): boolean {
  if (!(error instanceof Stripe.errors.StripeError)) return false;
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return true;
  }
  const status = error.statusCode;
  if (status !== undefined && (status >= 500 || status === 429 || status === 409)) return true;
  return error.code === 'lock_timeout' || error.code === 'rate_limit';
}

function describe(error: unknown): string {
  if (error instanceof Stripe.errors.StripeError) {
    const parts = [error.type, error.statusCode, error.code].filter((p) => p !== undefined);
    return `Stripe ${parts.join(' ')}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
