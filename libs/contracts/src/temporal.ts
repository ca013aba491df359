import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Task queues: one for workflows, one per activity domain, so each worker role scales alone. */
export const TaskQueue = {
  checkout: 'checkout',
  inventory: 'inventory',
  payments: 'payments',
  orders: 'orders',
  notifications: 'notifications',
} as const;
export type TaskQueue = (typeof TaskQueue)[keyof typeof TaskQueue];

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
