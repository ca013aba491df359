import { PaymentErrorCode } from '@commerce/contracts';
import { AppError } from '@commerce/nest-kit';

export const paymentNotFound = (orderId: string) =>
  new AppError({
    status: 404,
    code: PaymentErrorCode.PAYMENT_NOT_FOUND,
    message: `No payment for order ${orderId}`,
    details: [{ orderId }],
  });

/** 503, retryable: the provider is down or slow, or the breaker is open. */
export const providerUnavailable = (message: string, cause?: unknown) =>
  new AppError({
    status: 503,
    code: PaymentErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
    message,
    cause,
  });

export const chargeMismatchError = (
  orderId: string,
  fields: readonly string[],
  first: Record<string, unknown>,
) =>
  new AppError({
    status: 409,
    code: PaymentErrorCode.CHARGE_MISMATCH,
    message: `Order ${orderId} was already charged with a different ${fields.join(', ')}`,
    details: fields.map((field) => ({ field, charged: first[field] })),
  });

export const refundExceedsCaptured = (orderId: string, requested: number, refundable: number) =>
  new AppError({
    status: 409,
    code: PaymentErrorCode.REFUND_EXCEEDS_CAPTURED,
    message: `A refund of ${requested} exceeds the ${refundable} left to refund on order ${orderId}`,
    details: [{ orderId, requested, refundable }],
  });

export const idempotencyKeyReused = (key: string) =>
  new AppError({
    status: 409,
    code: PaymentErrorCode.IDEMPOTENCY_KEY_REUSED,
    message: `Refund key ${key} was already used for another order`,
  });

/** The provider refused a refund or void outright (not a transient failure). */
export const providerRejected = (message: string, providerCode?: string) =>
  new AppError({
    status: 502,
    code: 'PAYMENT_PROVIDER_REJECTED',
    message: `The payment provider refused the request: ${message}`,
    ...(providerCode ? { details: [{ providerCode }] } : {}),
  });

export const paymentNotCapturable = (orderId: string, status: string, why?: string) =>
  new AppError({
    status: 409,
    code: PaymentErrorCode.PAYMENT_NOT_CAPTURABLE,
    message: `The payment of order ${orderId} is ${status} and cannot be captured${why ? `: ${why}` : ''}`,
    details: [{ orderId, currentStatus: status }],
  });
