import type { PaymentFailureCode } from '@commerce/contracts';

/** Injection token of the PaymentProvider the service uses (the adapter behind the breaker). */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

export interface ChargeInput {
  orderId: string;
  customerId: string;
  /** Minor units. */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  paymentMethodId: string;
  /** `charge-<orderId>`: a retried charge is the same charge at the provider. */
  idempotencyKey: string;
  /**
   * false: authorise only (hold the funds); `capture` takes them later. The checkout authorises
   * before review so that a refused card ends the order before anyone reviews it.
   */
  capture: boolean;
}

/** What the provider decided. A decline is an outcome, not an error. */
export type ChargeResult =
  | {
      status: 'CAPTURED' | 'AUTHORIZED' | 'REQUIRES_ACTION';
      providerPaymentId: string;
    }
  | {
      status: 'FAILED';
      providerPaymentId: string | null;
      failureCode: PaymentFailureCode;
      failureMessage: string;
    };

export interface RefundInput {
  orderId: string;
  providerPaymentId: string;
  /** Minor units, positive. */
  amount: number;
  currency: string;
  reason: string;
  /** `refund-<refund request idempotencyKey>` */
  idempotencyKey: string;
}

export interface RefundResult {
  providerRefundId: string;
  status: 'SUCCEEDED' | 'FAILED';
}

export interface CaptureInput {
  orderId: string;
  providerPaymentId: string;
  /** Minor units: the whole authorised amount. */
  amount: number;
  /** `capture-<orderId>` */
  idempotencyKey: string;
}

export interface CancelInput {
  orderId: string;
  providerPaymentId: string;
  /** `cancel-<orderId>` */
  idempotencyKey: string;
}

/**
 * A payment provider adapter. Every call is idempotent per `idempotencyKey`. Declines are values;
 * a `ProviderUnavailableError` means "try again later" (it trips the breaker); a
 * `ProviderRejectedError` is a final refusal of the request (it does not).
 */
export interface PaymentProvider {
  readonly name: string;
  charge(input: ChargeInput): Promise<ChargeResult>;
  refund(input: RefundInput): Promise<RefundResult>;
  /** Takes the funds of an authorised intent; a repeat (same key) is the same capture. */
  capture(input: CaptureInput): Promise<void>;
  /** Voids an intent that was not captured. */
  cancel(input: CancelInput): Promise<void>;
}

/** Transient: timeout, connection failure, 5xx, rate limit, breaker open. Retry with the same key. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
}

/** The provider refused the request itself (not a decline); retrying the same request is useless. */
export class ProviderRejectedError extends Error {
  override readonly name = 'ProviderRejectedError';

  constructor(
    message: string,
    /** The provider's own code, e.g. `payment_intent_unexpected_state`. */
    readonly providerCode?: string,
  ) {
    super(message);
  }
}

export const chargeKey = (orderId: string) => `charge-${orderId}`;
export const refundKey = (refundIdempotencyKey: string) => `refund-${refundIdempotencyKey}`;
export const captureKey = (orderId: string) => `capture-${orderId}`;
export const cancelKey = (orderId: string) => `cancel-${orderId}`;
