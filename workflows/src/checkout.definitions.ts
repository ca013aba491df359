/**
 * The checkout workflow's messages (DESIGN §4): signals, query, updates and the search attributes
 * it upserts. The workflow, the orders service (which starts, signals and updates it), the
 * dev-server launcher (which registers the attributes) and operators' scripts import these, so
 * none of them can drift. They live here, not in `@commerce/contracts`, because defining them needs
 * the workflow SDK, which apps that only read wire shapes should not load.
 */
import {
  type ApproveOrderSignal,
  type CancelOrderSignal,
  type CheckoutInput,
  type CheckoutState,
  type PaymentConfirmedSignal,
  type RejectOrderSignal,
  type ReviewDecisionAck,
} from '@commerce/contracts';
import {
  defineSearchAttributeKey,
  type SearchAttributePair,
  SearchAttributeType,
} from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

// Signal payloads are single objects so that `temporal workflow signal --input '{...}'` works.
export const cancelOrderSignal = defineSignal<[CancelOrderSignal]>('cancelOrder');
export const approveOrderSignal = defineSignal<[ApproveOrderSignal]>('approveOrder');
export const rejectOrderSignal = defineSignal<[RejectOrderSignal]>('rejectOrder');
export const paymentConfirmedSignal = defineSignal<[PaymentConfirmedSignal]>('paymentConfirmed');
export const getStatusQuery = defineQuery<CheckoutState>('getStatus');

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

/**
 * Search attributes the checkout workflow upserts so operators can filter checkouts in the Web UI.
 * The dev-server launcher registers exactly these, so a workflow and its server cannot drift.
 */
export const SearchAttribute = {
  OrderId: defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD),
  CustomerId: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  CheckoutStatus: defineSearchAttributeKey('CheckoutStatus', SearchAttributeType.KEYWORD),
  OrderTotal: defineSearchAttributeKey('OrderTotal', SearchAttributeType.DOUBLE),
} as const;

export const CHECKOUT_SEARCH_ATTRIBUTES = Object.values(SearchAttribute);

/** The search attributes a checkout starts with (the orders service sets them at start). */
export function checkoutStartAttributes(
  input: Pick<CheckoutInput, 'orderId' | 'customerId' | 'total'>,
  status = 'PENDING',
): SearchAttributePair[] {
  return [
    { key: SearchAttribute.OrderId, value: input.orderId },
    { key: SearchAttribute.CustomerId, value: input.customerId },
    { key: SearchAttribute.CheckoutStatus, value: status },
    { key: SearchAttribute.OrderTotal, value: input.total },
  ];
}
