import type { PaymentStatus, PaymentView, RefundView } from '@commerce/contracts';
import type { ServiceCaller } from '@commerce/service-client';
import type { ApplicationFailure } from '@temporalio/common';
import { activityLog } from './activity-context';
import { businessFailure } from './classify';
import { callService, segment } from './call-service';
import { ActivityFailureType } from './failure-types';
import type {
  ActivityContext,
  ChargeOutcome,
  ChargePaymentInput,
  PaymentActivities,
} from './types';

const CHARGES = '/internal/payments/charges';
const REFUNDS = '/internal/payments/refunds';
const byOrder = (orderId: string) => `/internal/payments/by-order/${segment(orderId)}`;
const captureOf = (orderId: string) => `${byOrder(orderId)}/capture`;

/** The refund's idempotency key: one refund per order, whatever the number of attempts. */
export const refundKey = (orderId: string) => `refund-${orderId}`;
export const chargeKey = (orderId: string) => `charge-${orderId}`;
export const captureKey = (orderId: string) => `capture-${orderId}`;

const PAYMENT_STATUSES: readonly string[] = [
  // Stored before the provider answers; a later charge call (same key) settles it.
  'PENDING',
  'REQUIRES_ACTION',
  'AUTHORIZED',
  'CAPTURED',
  'FAILED',
  'REFUNDED',
  'PARTIALLY_REFUNDED',
] satisfies PaymentStatus[];

/**
 * What the answer of a charge means for the checkout (pure): the outcome to return, or the
 * non-retryable failure to throw.
 */
export function chargeOutcome(
  orderId: string,
  payment: unknown,
): { outcome: ChargeOutcome } | { failure: ApplicationFailure } {
  if (!isPaymentView(payment)) {
    return {
      failure: businessFailure(
        ActivityFailureType.UNEXPECTED_RESPONSE,
        'The payments service answered the charge with something that is not a payment',
        { orderId },
      ),
    };
  }
  switch (payment.status) {
    case 'CAPTURED':
    case 'AUTHORIZED':
    case 'REQUIRES_ACTION':
      return { outcome: { paymentId: payment.id, status: payment.status } };
    case 'FAILED':
      return {
        failure: businessFailure(
          ActivityFailureType.PAYMENT_DECLINED,
          payment.failureMessage ??
            `Payment declined (${payment.failureCode ?? 'no reason given'})`,
          {
            orderId,
            paymentId: payment.id,
            failureCode: payment.failureCode ?? null,
            failureMessage: payment.failureMessage ?? null,
          },
        ),
      };
    case 'REFUNDED':
    case 'PARTIALLY_REFUNDED':
      // Charges are idempotent per order: this order's payment was taken and given back already,
      // so it cannot be charged again.
      return {
        failure: businessFailure(
          ActivityFailureType.PAYMENT_REFUNDED,
          `The payment of order ${orderId} was already refunded`,
          { orderId, paymentId: payment.id, status: payment.status },
        ),
      };
  }
  return { failure: unexpectedStatus(orderId, payment) };
}

/**
 * Payments (task queue `payments`). The payments service derives the provider's idempotency key
 * from the order, so a retried or replayed charge never charges twice.
 */
export function createPaymentActivities(payments: ServiceCaller): PaymentActivities {
  async function findPayment(
    activity: string,
    input: ActivityContext,
    notFound: 'fail' | 'none',
  ): Promise<PaymentView | undefined> {
    const result = await callService<unknown>({
      activity,
      client: payments,
      input,
      method: 'GET',
      path: byOrder(input.orderId),
      rules:
        notFound === 'none'
          ? [{ status: 404, code: 'PAYMENT_NOT_FOUND', then: { success: 'no payment' } }]
          : [],
    });
    if (result.handled) return undefined;
    const payment = result.response.body;
    if (!isPaymentView(payment)) {
      throw businessFailure(
        ActivityFailureType.UNEXPECTED_RESPONSE,
        'The payments service answered with something that is not a payment',
        { orderId: input.orderId },
      );
    }
    return payment;
  }

  async function charge(
    activity: string,
    input: ChargePaymentInput,
    capture: boolean,
  ): Promise<ChargeOutcome> {
    const result = await callService<unknown>({
      activity,
      client: payments,
      input,
      method: 'POST',
      path: CHARGES,
      body: {
        orderId: input.orderId,
        customerId: input.customerId,
        amount: input.amount,
        currency: input.currency,
        paymentMethodId: input.paymentMethodId,
        // Sent only when false, so a charge reads as it did before authorise/capture existed.
        ...(capture ? {} : { capture: false }),
      },
      idempotencyKey: chargeKey(input.orderId),
      rules: [
        {
          status: 409,
          code: 'CHARGE_MISMATCH',
          then: { fail: ActivityFailureType.CHARGE_MISMATCH },
        },
        // Not the documented way (a decline is a 2xx FAILED payment), but unambiguous if it comes.
        { status: 402, then: { fail: ActivityFailureType.PAYMENT_DECLINED } },
      ],
    });
    if (result.handled) throw new Error('unreachable: no success rule for a charge');
    const decided = chargeOutcome(input.orderId, result.response.body);
    if ('failure' in decided) throw decided.failure;
    return decided.outcome;
  }

  return {
    chargePayment(input: ChargePaymentInput): Promise<ChargeOutcome> {
      return charge('chargePayment', input, true);
    },

    authorizePayment(input: ChargePaymentInput): Promise<ChargeOutcome> {
      return charge('authorizePayment', input, false);
    },

    async capturePayment(input: ActivityContext): Promise<{ paymentId: string }> {
      const result = await callService<unknown>({
        activity: 'capturePayment',
        client: payments,
        input,
        method: 'POST',
        path: captureOf(input.orderId),
        idempotencyKey: captureKey(input.orderId),
        rules: [
          {
            status: 409,
            code: 'PAYMENT_NOT_CAPTURABLE',
            then: { fail: ActivityFailureType.PAYMENT_NOT_CAPTURABLE },
          },
        ],
      });
      const payment = result.handled ? undefined : result.response.body;
      if (!isPaymentView(payment)) {
        throw businessFailure(
          ActivityFailureType.UNEXPECTED_RESPONSE,
          'The payments service answered the capture with something that is not a payment',
          { orderId: input.orderId },
        );
      }
      // Captured, and then refunded by someone else (an operator): the money is not held.
      if (payment.status !== 'CAPTURED') {
        throw businessFailure(
          ActivityFailureType.PAYMENT_REFUNDED,
          `The payment of order ${input.orderId} is ${payment.status} after its capture`,
          { orderId: input.orderId, paymentId: payment.id, status: payment.status },
        );
      }
      return { paymentId: payment.id };
    },

    async getPayment(
      input: ActivityContext,
    ): Promise<{ paymentId: string; status: PaymentStatus }> {
      const payment = await findPayment('getPayment', input, 'fail');
      if (!payment) throw new Error('unreachable: a missing payment fails getPayment');
      return { paymentId: payment.id, status: payment.status };
    },

    /**
     * Gives back everything captured for the order, once: the refund's idempotency key is the
     * order's, so a retried or repeated compensation answers the same refund and refunds nothing
     * more. "No payment" (404 PAYMENT_NOT_FOUND: the charge never happened) refunds 0.
     *
     * 409 REFUND_EXCEEDS_CAPTURED means nothing is left to refund under a new refund. Because a
     * repeat of *this* refund is answered by its key, the 409 comes from something else: another
     * refund took the money back (an operator), the payment failed, or it was never captured. The
     * activity does not guess which: it reads the payment, and
     * - REFUNDED, FAILED (or no payment): the money is back or was never taken -> 0;
     * - AUTHORIZED, REQUIRES_ACTION: nothing was captured, so nothing can be refunded -> 0, with a
     *   warning: the open authorization (or a 3-D Secure step the customer may still finish) is
     *   the payments service's to cancel; a refund cannot undo it;
     * - CAPTURED, PARTIALLY_REFUNDED: money is still held, so the refusal contradicts the payment
     *   (a capture raced the refund) -> a retryable error; the next attempt refunds it.
     */
    async refundPayment(
      input: ActivityContext & { reason: string },
    ): Promise<{ refundedAmount: number }> {
      const result = await callService<RefundView>({
        activity: 'refundPayment',
        client: payments,
        input,
        method: 'POST',
        path: REFUNDS,
        body: {
          orderId: input.orderId,
          reason: truncate(input.reason, 500),
          idempotencyKey: refundKey(input.orderId),
        },
        idempotencyKey: refundKey(input.orderId),
        rules: [
          {
            status: 404,
            code: 'PAYMENT_NOT_FOUND',
            then: { success: 'nothing to refund: no payment' },
          },
          {
            status: 409,
            code: 'REFUND_EXCEEDS_CAPTURED',
            then: { success: 'nothing left to refund' },
          },
        ],
      });
      if (!result.handled) {
        const amount = result.response.body?.amount;
        return { refundedAmount: typeof amount === 'number' ? amount : 0 };
      }
      if (result.tag !== 'nothing left to refund') return { refundedAmount: 0 };

      const payment = await findPayment('refundPayment', input, 'none');
      if (!payment) return { refundedAmount: 0 };
      switch (payment.status) {
        case 'REFUNDED':
        case 'FAILED':
          return { refundedAmount: 0 };
        case 'AUTHORIZED':
        case 'REQUIRES_ACTION':
          activityLog('warn', 'refundPayment: the payment was never captured; nothing refunded', {
            orderId: input.orderId,
            paymentId: payment.id,
            status: payment.status,
          });
          return { refundedAmount: 0 };
        case 'CAPTURED':
        case 'PARTIALLY_REFUNDED':
          throw new Error(
            `refund of order ${input.orderId} was refused as exceeding the captured amount, ` +
              `but the payment is ${payment.status}; trying again`,
          );
      }
      throw unexpectedStatus(input.orderId, payment);
    },
  };
}

function unexpectedStatus(
  orderId: string,
  payment: { id: string; status: string },
): ApplicationFailure {
  return businessFailure(
    ActivityFailureType.UNEXPECTED_RESPONSE,
    `The payment of order ${orderId} has a status the checkout does not know: ${payment.status}`,
    { orderId, paymentId: payment.id, status: payment.status },
  );
}

function isPaymentView(value: unknown): value is PaymentView {
  if (typeof value !== 'object' || value === null) return false;
  const { id, status } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof status === 'string' && PAYMENT_STATUSES.includes(status);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
