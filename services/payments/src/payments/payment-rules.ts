import { PaymentStatus } from '@commerce/contracts';

/** Statuses in which the provider may still settle the payment (by webhook) or it can be voided. */
export const UNCAPTURED_STATUSES: readonly PaymentStatus[] = [
  PaymentStatus.REQUIRES_ACTION,
  PaymentStatus.AUTHORIZED,
];

/** Statuses in which money was taken (and some may have been given back). */
export const CAPTURED_STATUSES: readonly PaymentStatus[] = [
  PaymentStatus.CAPTURED,
  PaymentStatus.PARTIALLY_REFUNDED,
  PaymentStatus.REFUNDED,
];

export interface ChargeTerms {
  customerId: string;
  amount: number;
  currency: string;
}

/** Fields in which a repeated charge differs from the first one (none: it is a true repeat). */
export function chargeMismatch(first: ChargeTerms, repeat: ChargeTerms): (keyof ChargeTerms)[] {
  const fields: (keyof ChargeTerms)[] = ['amount', 'currency', 'customerId'];
  return fields.filter((field) => first[field] !== repeat[field]);
}

export interface RefundablePayment {
  status: PaymentStatus;
  amount: number;
  refundedAmount: number;
}

/** What a refund request amounts to, given the payment as it is now. */
export type RefundPlan =
  /** Money goes back: `amount` (> 0) and the payment's refunded total and status afterwards. */
  | { kind: 'REFUND'; amount: number; refundedAfter: number; statusAfter: PaymentStatus }
  /** Never captured: cancel it at the provider; nothing was taken. */
  | { kind: 'VOID' }
  /** Nothing to give back (failed, or everything refunded already and no amount asked for). */
  | { kind: 'NOTHING' }
  /** More than what is left; nothing happens. */
  | { kind: 'EXCEEDS'; requested: number; refundable: number }
  /** The provider has not answered the charge yet; settle that first. */
  | { kind: 'UNSETTLED' };

/**
 * Pure refund arithmetic in minor units. `requested` undefined means "everything captured and not
 * yet refunded".
 */
export function planRefund(payment: RefundablePayment, requested?: number): RefundPlan {
  if (payment.status === PaymentStatus.PENDING) return { kind: 'UNSETTLED' };
  if (payment.status === PaymentStatus.FAILED) return { kind: 'NOTHING' };
  if (UNCAPTURED_STATUSES.includes(payment.status)) return { kind: 'VOID' };
  const refundable = payment.amount - payment.refundedAmount;
  if (requested !== undefined) {
    if (!Number.isSafeInteger(requested) || requested <= 0) {
      throw new RangeError(`refund amount must be a positive integer, got ${requested}`);
    }
    if (requested > refundable) return { kind: 'EXCEEDS', requested, refundable };
  }
  const amount = requested ?? refundable;
  if (amount === 0) return { kind: 'NOTHING' };
  const refundedAfter = payment.refundedAmount + amount;
  return {
    kind: 'REFUND',
    amount,
    refundedAfter,
    statusAfter:
      refundedAfter === payment.amount ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED,
  };
}
