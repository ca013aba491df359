import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

/**
 * Building and signing Stripe-style webhook events locally: the send-webhook script and the tests
 * use it to play the provider (e.g. to finish a 3-D Secure payment of the test-mode adapter).
 * Depends on nothing but the SDK, so the script starts fast.
 */

/** STRIPE_WEBHOOK_SECRET outside production when none is set. */
export const DEV_WEBHOOK_SECRET = 'whsec_dev_commerce';

export type IntentEventType =
  'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'payment_intent.canceled';

export interface IntentEventOptions {
  type: IntentEventType;
  intentId: string;
  /** Put in the intent's metadata, as the Stripe adapter does. */
  orderId?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
  /** Default: a fresh `evt_...`; reuse one to replay an event. */
  eventId?: string | undefined;
  /** Seconds since the epoch; default now. */
  created?: number | undefined;
}

/** A minimal event with a payment_intent object, shaped like Stripe's. */
export function intentEvent(options: IntentEventOptions): Record<string, unknown> {
  const created = options.created ?? Math.floor(Date.now() / 1000);
  const failed = options.type === 'payment_intent.payment_failed';
  return {
    id: options.eventId ?? `evt_local_${randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: '2025-09-30.clover',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: options.type,
    data: {
      object: {
        id: options.intentId,
        object: 'payment_intent',
        amount: options.amount ?? 0,
        currency: (options.currency ?? 'eur').toLowerCase(),
        metadata: options.orderId ? { orderId: options.orderId } : {},
        status:
          options.type === 'payment_intent.succeeded'
            ? 'succeeded'
            : failed
              ? 'requires_payment_method'
              : 'canceled',
        last_payment_error: failed
          ? {
              type: 'card_error',
              code: 'payment_intent_authentication_failure',
              message: 'The customer did not complete 3-D Secure authentication.',
            }
          : null,
      },
    },
  };
}

/** The `stripe-signature` header for `payload`, exactly as Stripe computes it. */
export function signatureHeader(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
}
