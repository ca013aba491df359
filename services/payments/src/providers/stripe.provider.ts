import Stripe from 'stripe';
import {
  type CancelInput,
  type CaptureInput,
  type ChargeInput,
  type ChargeResult,
  type PaymentProvider,
  type RefundInput,
  type RefundResult,
} from './payment-provider';
import { chargeResultFromError, chargeResultFromIntent, providerError } from './stripe-mapping';

export interface StripeProviderOptions {
  secretKey: string;
  /** Default: the SDK's (https://api.stripe.com). stripe-mock in development and tests. */
  apiUrl?: string | undefined;
  timeoutMs: number;
  maxNetworkRetries: number;
}

/** Builds an SDK client, pointed at `apiUrl` when given. */
export function createStripeClient(options: StripeProviderOptions): Stripe {
  const url = options.apiUrl ? new URL(options.apiUrl) : undefined;
  return new Stripe(options.secretKey, {
    timeout: options.timeoutMs,
    maxNetworkRetries: options.maxNetworkRetries,
    telemetry: false,
    appInfo: { name: 'commerce-payments' },
    ...(url
      ? {
          host: url.hostname,
          port: url.port || (url.protocol === 'https:' ? 443 : 80),
          protocol: url.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

/**
 * Stripe PaymentIntents: created and confirmed in one call, keyed by `charge-<orderId>`, with
 * automatic capture or (checkout) manual capture followed by `capture`; captures, refunds and
 * cancellations with keys of their own. The SDK sends the key as
 * the `Idempotency-Key` header (and reuses it on its own retries).
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly client: Stripe;

  constructor(options: StripeProviderOptions, client?: Stripe) {
    this.client = client ?? createStripeClient(options);
  }

  async charge(input: ChargeInput): Promise<ChargeResult> {
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.client.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          payment_method: input.paymentMethodId,
          confirm: true,
          // Manual: the intent stops at requires_capture (funds held) until `capture`.
          capture_method: input.capture ? 'automatic' : 'manual',
          // Card payments only, so no redirect-based method needs a return_url.
          payment_method_types: ['card'],
          metadata: { orderId: input.orderId, customerId: input.customerId },
        },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (error) {
      return chargeResultFromError(error);
    }
    return chargeResultFromIntent(intent);
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    let refund: Stripe.Refund;
    try {
      refund = await this.client.refunds.create(
        {
          payment_intent: input.providerPaymentId,
          amount: input.amount,
          metadata: { orderId: input.orderId, reason: input.reason.slice(0, 500) },
        },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (error) {
      throw providerError(error);
    }
    return {
      providerRefundId: refund.id,
      status: refund.status === 'failed' || refund.status === 'canceled' ? 'FAILED' : 'SUCCEEDED',
    };
  }

  async capture(input: CaptureInput): Promise<void> {
    try {
      await this.client.paymentIntents.capture(
        input.providerPaymentId,
        { amount_to_capture: input.amount },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (error) {
      throw providerError(error);
    }
  }

  async cancel(input: CancelInput): Promise<void> {
    try {
      await this.client.paymentIntents.cancel(
        input.providerPaymentId,
        { cancellation_reason: 'abandoned' },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (error) {
      throw providerError(error);
    }
  }
}
