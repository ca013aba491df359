import type { PaymentSettledEvent } from '@commerce/contracts';

/** Injection token of the PaymentEventsPublisher. */
export const PAYMENT_EVENTS_PUBLISHER = Symbol('PAYMENT_EVENTS_PUBLISHER');

/** What became of one delivery attempt. */
export type PublishOutcome =
  /** The receiver took it. */
  | { kind: 'delivered' }
  /** The receiver answered that it cannot take it (e.g. the order moved on); retrying is useless. */
  | { kind: 'refused'; reason: string };

/**
 * Where settled payments are announced: after a webhook settles a payment that was waiting for
 * customer action, the checkout (through the orders service) must hear of it. Throwing means "not
 * delivered, try again": the webhook is answered 503 so the provider redelivers it.
 */
export interface PaymentEventsPublisher {
  publish(event: PaymentSettledEvent): Promise<PublishOutcome>;
}

export class PaymentEventsDeliveryError extends Error {
  override readonly name = 'PaymentEventsDeliveryError';
}
