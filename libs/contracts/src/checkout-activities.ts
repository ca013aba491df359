/**
 * The checkout activities' signatures, one group per task queue. The workflow imports these as types
 * only and proxies each group on its own queue, so each domain's worker runs and scales alone.
 *
 * Every input carries the order id (the idempotency key of the call is derived from it) and the
 * request id of the checkout that started it (sent as `x-request-id`).
 */
import type { OrderOutcomeEvent } from './analytics';
import type { PaymentStatus } from './payments';

export interface ActivityContext {
  orderId: string;
  requestId?: string;
}

export interface ReserveInventoryInput extends ActivityContext {
  items: { productId: string; quantity: number }[];
  /**
   * How long the reservation holds before the sweeper may reclaim it, in seconds (default: the
   * products service's RESERVATION_TTL_SECONDS). The checkout renews it while it is alive.
   */
  holdSeconds?: number;
}

export interface InventoryActivities {
  /** All or nothing; out of stock is a non-retryable `OutOfStock` failure. */
  reserveInventory(input: ReserveInventoryInput): Promise<void>;
  /** Compensation of reserveInventory; a repeat, or no reservation at all, is a no-op. */
  releaseInventory(input: ActivityContext): Promise<void>;
  /** The reservation becomes a sale. */
  commitInventory(input: ActivityContext): Promise<void>;
  /**
   * Pushes a held reservation's expiry to now + holdSeconds (the live checkout keeps its stock);
   * a no-op for a reservation committed, released or missing.
   */
  holdInventory(input: ActivityContext & { holdSeconds: number }): Promise<void>;
}

export interface ChargePaymentInput extends ActivityContext {
  customerId: string;
  amount: number;
  currency: string;
  paymentMethodId: string;
}

export interface ChargeOutcome {
  paymentId: string;
  status: Extract<PaymentStatus, 'CAPTURED' | 'AUTHORIZED' | 'REQUIRES_ACTION'>;
}

export interface PaymentActivities {
  /** Idempotent per order; a decline is a non-retryable `PaymentDeclined` failure. */
  chargePayment(input: ChargePaymentInput): Promise<ChargeOutcome>;
  /**
   * Like chargePayment but holds the funds only (the payment stays AUTHORIZED, or REQUIRES_ACTION
   * until the webhook); same idempotency key, so it is the order's one payment.
   */
  authorizePayment(input: ChargePaymentInput): Promise<ChargeOutcome>;
  /**
   * Takes the authorised funds, once per order. A payment that cannot be captured (voided,
   * failed) is a non-retryable `PaymentNotCapturable` failure.
   */
  capturePayment(input: ActivityContext): Promise<{ paymentId: string }>;
  /** The order's payment as the payments service sees it now (after a webhook signal). */
  getPayment(input: ActivityContext): Promise<{ paymentId: string; status: PaymentStatus }>;
  /**
   * Compensation of chargePayment/authorizePayment: voids an authorisation, refunds what was
   * captured; a repeat gives nothing more back.
   */
  refundPayment(input: ActivityContext & { reason: string }): Promise<{ refundedAmount: number }>;
}

export interface OrderStatusInput extends ActivityContext {
  to: 'RESERVING' | 'AWAITING_APPROVAL' | 'CHARGING' | 'CONFIRMING';
  reason?: string;
  actor?: string;
}

export interface OrderActivities {
  /** Mirrors the workflow's progress into the order's own status and history. */
  setOrderStatus(input: OrderStatusInput): Promise<void>;
  /** CONFIRMING -> COMPLETED. */
  confirmOrder(input: ActivityContext): Promise<void>;
  /** Ends the order FAILED with a reason (a repeat is a no-op); `actor`: an operator who rejected it. */
  failOrder(input: ActivityContext & { reason: string; actor?: string }): Promise<void>;
  /** Ends the order CANCELLED with a reason (a repeat is a no-op). */
  cancelOrder(input: ActivityContext & { reason: string; actor?: string }): Promise<void>;
}

export interface NotifyCustomerInput extends ActivityContext {
  customerId: string;
  email: string;
  /** A NotificationTemplate key. */
  template: string;
  /** BCP 47 language tag of the customer; the notifications service falls back to `en`. */
  locale?: string;
  data: Record<string, unknown>;
}

export interface NotificationActivities {
  /** Idempotent per order and template. */
  notifyCustomer(input: NotifyCustomerInput): Promise<void>;
}

export interface AnalyticsActivities {
  /**
   * Hands the order's outcome to the analytics pipeline (the analytics service's internal route,
   * which enqueues it with the event's id as job id). Best effort, idempotent per event id.
   */
  recordOrderOutcome(input: ActivityContext & { event: OrderOutcomeEvent }): Promise<void>;
}

export type CheckoutActivities = InventoryActivities &
  PaymentActivities &
  OrderActivities &
  NotificationActivities &
  AnalyticsActivities;
