import { CheckoutFailureType } from '@commerce/contracts';

/**
 * `ApplicationFailure` types the activities raise: the checkout's own (CheckoutFailureType, which
 * the workflow branches on) plus the rarer refusals that only an operator can act on. A refusal
 * without a type of its own is named after the service's error code in PascalCase
 * (`CHARGE_MISMATCH` -> `ChargeMismatch`), which is how the checkout types are named too.
 */
export const ActivityFailureType = {
  ...CheckoutFailureType,
  /** release after commit: the stock was sold. */
  RESERVATION_COMMITTED: 'ReservationCommitted',
  /** commit (or a repeated reserve) after release: the reservation expired or was given back. */
  RESERVATION_RELEASED: 'ReservationReleased',
  /** The order's payment exists with another amount or currency. */
  CHARGE_MISMATCH: 'ChargeMismatch',
  /** chargePayment found the order's payment already refunded. */
  PAYMENT_REFUNDED: 'PaymentRefunded',
  /** capturePayment found the authorisation voided or failed. */
  PAYMENT_NOT_CAPTURABLE: 'PaymentNotCapturable',
  /** A 2xx answer that is not what the contract says (a drift between service and activity). */
  UNEXPECTED_RESPONSE: 'UnexpectedResponse',
  /** A refusal with no error code (e.g. a 3xx or a bare 4xx from a proxy). */
  SERVICE_REFUSED: 'ServiceRefused',
} as const;
export type ActivityFailureType = (typeof ActivityFailureType)[keyof typeof ActivityFailureType];
