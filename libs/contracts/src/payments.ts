/**
 * Payment contracts shared by the payments service and the checkout activities (DESIGN §4 step 3).
 * Money is integer minor units plus an ISO 4217 currency.
 */

export const PaymentStatus = {
  /**
   * Recorded, but the provider has not given an answer yet: a charge is in flight, or its last
   * attempt failed transiently (the next charge call for the order continues it with the same
   * provider idempotency key). The charge route never answers with it.
   */
  PENDING: 'PENDING',
  /** The customer must act (3-D Secure); the provider's webhook settles it. */
  REQUIRES_ACTION: 'REQUIRES_ACTION',
  AUTHORIZED: 'AUTHORIZED',
  CAPTURED: 'CAPTURED',
  FAILED: 'FAILED',
  REFUNDED: 'REFUNDED',
  PARTIALLY_REFUNDED: 'PARTIALLY_REFUNDED',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

/** Why a payment failed, in our words (the provider's own code is kept beside it). */
export const PaymentFailureCode = {
  CARD_DECLINED: 'CARD_DECLINED',
  AUTHENTICATION_FAILED: 'AUTHENTICATION_FAILED',
  INVALID_PAYMENT_METHOD: 'INVALID_PAYMENT_METHOD',
  PROVIDER_ERROR: 'PROVIDER_ERROR',
  /** Voided before capture (a refund of a payment that was never captured). */
  CANCELLED: 'CANCELLED',
} as const;
export type PaymentFailureCode = (typeof PaymentFailureCode)[keyof typeof PaymentFailureCode];

/** Internal `POST /internal/payments/charges` body (SERVICE token). Idempotent per orderId. */
export interface ChargeRequest {
  orderId: string;
  customerId: string;
  /** Minor units, a positive integer. */
  amount: number;
  currency: string;
  /** A provider payment-method id, e.g. Stripe's test ids `pm_card_visa`. */
  paymentMethodId: string;
  /**
   * Default true. false: authorise only (the payment stays AUTHORIZED, funds held) until
   * `POST /internal/payments/by-order/:orderId/capture`; the checkout does this.
   */
  capture?: boolean;
}

/** Internal `POST /internal/payments/refunds` body. Idempotent per idempotencyKey. */
export interface RefundRequest {
  orderId: string;
  /** Minor units; default: everything captured and not yet refunded. */
  amount?: number;
  reason: string;
  idempotencyKey: string;
}

/** A payment as the internal and public routes return it. */
export interface PaymentView {
  id: string;
  orderId: string;
  customerId: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  provider: string;
  providerPaymentId: string | null;
  /** Minor units refunded so far. */
  refundedAmount: number;
  failureCode: PaymentFailureCode | null;
  failureMessage: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RefundView {
  id: string;
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  status: 'SUCCEEDED' | 'FAILED';
  reason: string;
  createdAt: string;
}

/**
 * What the payments service tells the checkout (through the orders service) after a provider
 * webhook settles a payment that was waiting for customer action.
 */
export interface PaymentSettledEvent {
  type: 'payment.confirmed' | 'payment.failed';
  orderId: string;
  paymentId: string;
  status: PaymentStatus;
  failureCode?: PaymentFailureCode | null;
}

/** Error codes of the payments API that callers branch on. */
export const PaymentErrorCode = {
  /** 503, retryable: provider down, timed out, or the circuit breaker is open. */
  PAYMENT_PROVIDER_UNAVAILABLE: 'PAYMENT_PROVIDER_UNAVAILABLE',
  /** 409: the refund would exceed what was captured. */
  REFUND_EXCEEDS_CAPTURED: 'REFUND_EXCEEDS_CAPTURED',
  /** 409: the order's payment was charged with a different amount or currency. */
  CHARGE_MISMATCH: 'CHARGE_MISMATCH',
  /** 404 */
  PAYMENT_NOT_FOUND: 'PAYMENT_NOT_FOUND',
  /** 409: a capture of a payment that is not authorised (failed, voided, awaiting action). */
  PAYMENT_NOT_CAPTURABLE: 'PAYMENT_NOT_CAPTURABLE',
  /** 409: a refund idempotency key already used for another order. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** 400: a provider webhook without a valid, fresh signature (nothing is stored). */
  WEBHOOK_SIGNATURE_INVALID: 'WEBHOOK_SIGNATURE_INVALID',
} as const;
export type PaymentErrorCode = (typeof PaymentErrorCode)[keyof typeof PaymentErrorCode];
