/**
 * The checkout workflow's public face (DESIGN §4): its id, input, signals, query and result. The
 * orders service (which starts and signals it), the workflow itself, the workers and operators'
 * scripts all import these, so none of them can drift.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderStatus } from './orders';

export const CHECKOUT_WORKFLOW_TYPE = 'checkoutWorkflow';

/** Workflow id of an order's checkout: one per order, so a second start is refused by the server. */
export const checkoutWorkflowId = (orderId: string) => `checkout-${orderId}`;

export interface CheckoutItem {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
}

export interface CheckoutInput {
  orderId: string;
  customerId: string;
  /** Where the confirmation goes. */
  customerEmail: string;
  items: CheckoutItem[];
  /** Minor units. */
  total: number;
  currency: string;
  paymentMethodId: string;
  /** Orders whose total is at or above this (minor units) wait for an operator's decision. */
  reviewThreshold: number;
  /** How long a review may wait before the order is rejected, in milliseconds. */
  reviewTimeoutMs: number;
  /** How long a payment that needs customer action (3-D Secure) may wait, in milliseconds. */
  paymentActionTimeoutMs: number;
  /** Request id of the POST /checkout that started it, propagated to every activity call. */
  requestId?: string;
}

/** Where the workflow is; mirrors OrderStatus. */
export type CheckoutStatus = OrderStatus;

export type CheckoutStep =
  | 'created'
  | 'reserveInventory'
  | 'review'
  | 'chargePayment'
  | 'authorizePayment'
  | 'capturePayment'
  | 'awaitPaymentAction'
  | 'confirmOrder'
  | 'commitInventory'
  | 'notifyCustomer'
  | 'compensate'
  | 'done';

export interface CheckoutTimelineEntry {
  step: CheckoutStep;
  status: CheckoutStatus;
  /** ISO 8601, workflow time. */
  at: string;
  note?: string;
}

/** Answer of the `getStatus` query. */
export interface CheckoutState {
  orderId: string;
  status: CheckoutStatus;
  step: CheckoutStep;
  timeline: CheckoutTimelineEntry[];
  failureReason?: string;
  paymentId?: string;
  approvedBy?: string;
}

export interface CheckoutResult {
  orderId: string;
  status: Extract<OrderStatus, 'COMPLETED' | 'CANCELLED' | 'FAILED'>;
  failureReason?: string;
  paymentId?: string;
}

export interface CancelOrderSignal {
  reason: string;
  by?: string;
}
export interface ApproveOrderSignal {
  by: string;
}
export interface RejectOrderSignal {
  by: string;
  reason: string;
}
export interface PaymentConfirmedSignal {
  paymentId: string;
  /** false when the provider reports that the customer's action failed. */
  succeeded?: boolean;
}

// Signal payloads are single objects so that `temporal workflow signal --input '{...}'` works.
export const cancelOrderSignal = defineSignal<[CancelOrderSignal]>('cancelOrder');
export const approveOrderSignal = defineSignal<[ApproveOrderSignal]>('approveOrder');
export const rejectOrderSignal = defineSignal<[RejectOrderSignal]>('rejectOrder');
export const paymentConfirmedSignal = defineSignal<[PaymentConfirmedSignal]>('paymentConfirmed');
export const getStatusQuery = defineQuery<CheckoutState>('getStatus');

/** What an operator's decision update answers once the workflow holds the decision. */
export interface ReviewDecisionAck {
  orderId: string;
  decision: 'APPROVED' | 'REJECTED';
  by: string;
  /** Where the checkout is when it took the decision (it may still be on its way into review). */
  status: CheckoutStatus;
}

/**
 * Operators' decisions as Updates (REST approve/reject): the caller is answered only once the
 * workflow has recorded the decision, and its validator refuses one that can no longer apply
 * (order not under review, already decided the other way, finished). A decision that arrives
 * while the order is still on its way into review is kept. The signals above stay for the CLI.
 */
export const approveOrderUpdate = defineUpdate<ReviewDecisionAck, [ApproveOrderSignal]>(
  'approveOrderUpdate',
);
export const rejectOrderUpdate = defineUpdate<ReviewDecisionAck, [RejectOrderSignal]>(
  'rejectOrderUpdate',
);

/** `ApplicationFailure` types the activities raise and the workflow branches on. */
export const CheckoutFailureType = {
  OUT_OF_STOCK: 'OutOfStock',
  PAYMENT_DECLINED: 'PaymentDeclined',
  PAYMENT_REQUIRES_ACTION: 'PaymentRequiresAction',
  ILLEGAL_TRANSITION: 'IllegalTransition',
  NOT_FOUND: 'NotFound',
  BAD_REQUEST: 'BadRequest',
  REFUND_EXCEEDS_CAPTURED: 'RefundExceedsCaptured',
  RESERVATION_RELEASED: 'ReservationReleased',
  RESERVATION_COMMITTED: 'ReservationCommitted',
  CHARGE_MISMATCH: 'ChargeMismatch',
  PAYMENT_REFUNDED: 'PaymentRefunded',
  PAYMENT_NOT_CAPTURABLE: 'PaymentNotCapturable',
  UNEXPECTED_RESPONSE: 'UnexpectedResponse',
  /** Raised by the workflow itself when stock or money could not be put back. */
  COMPENSATION_FAILED: 'CompensationFailed',
} as const;
export type CheckoutFailureType = (typeof CheckoutFailureType)[keyof typeof CheckoutFailureType];
