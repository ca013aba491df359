/**
 * The checkout workflow's wire shapes (DESIGN §4): its id, input, message payloads and result. The
 * message definitions themselves (signals, query, updates) live with the workflow in
 * `@commerce/workflows`, so apps that only read these shapes never load the workflow SDK.
 */
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
  /**
   * Seconds the reservation is held at a time (renewed every third of it while the checkout
   * lives). Absent: the checkout's waits plus ten minutes, at least an hour. Set shorter only to
   * see renewals and the sweeper at work (tests, the fault run). Part of the input, so a run's
   * replay schedules the same renewals; runs started without it keep the computed hold.
   */
  reservationHoldSeconds?: number;
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
  | 'recordOrderOutcome'
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
  /** The approving operator's id. */
  approvedBy?: string;
  /** While in review: when the review times out (the workflow's own timer). */
  reviewDeadline?: string;
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
  /** Who decides: the operator's user id (REST); a name of the operator's choice from the CLI. */
  by: string;
  /** The operator's email, for people to read (a rejection's reason names it). */
  byEmail?: string;
}
export interface RejectOrderSignal {
  /** As in ApproveOrderSignal. */
  by: string;
  byEmail?: string;
  reason: string;
}
export interface PaymentConfirmedSignal {
  paymentId: string;
  /** false when the provider reports that the customer's action failed. */
  succeeded?: boolean;
}

/** What an operator's decision update answers once the workflow holds the decision. */
export interface ReviewDecisionAck {
  orderId: string;
  decision: 'APPROVED' | 'REJECTED';
  /** The operator's id as the workflow recorded it. */
  by: string;
  byEmail?: string;
  /** Where the checkout is when it took the decision (it may still be on its way into review). */
  status: CheckoutStatus;
}

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
