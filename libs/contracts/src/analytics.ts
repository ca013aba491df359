/**
 * Analytics events (BullMQ queue `analytics`). Producers: the checkout workflow's best-effort step
 * (order completed / cancelled / failed), the catalog (product viewed), the orders service (cart
 * created, checkout started). The analytics processor folds them into a read model; `id` makes each
 * event count once however often it is delivered.
 */

export interface AnalyticsLine {
  productId: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
}

interface EventBase {
  /** Unique per fact, e.g. `order.completed:<orderId>`; also the BullMQ job id. */
  id: string;
  /** ISO 8601 time of the fact. */
  at: string;
}

export interface OrderOutcomeEvent extends EventBase {
  type: 'order.completed' | 'order.cancelled' | 'order.failed';
  orderId: string;
  customerId: string;
  /** Minor units. */
  total: number;
  currency: string;
  items: AnalyticsLine[];
  reason?: string;
}

export interface CheckoutStartedEvent extends EventBase {
  type: 'checkout.started';
  orderId: string;
  customerId: string;
  total: number;
  currency: string;
}

export interface CartCreatedEvent extends EventBase {
  type: 'cart.created';
  customerId: string;
}

export interface ProductViewedEvent extends EventBase {
  type: 'product.viewed';
  productId: string;
  /** Absent for anonymous browsing. */
  userId?: string;
}

export type AnalyticsEvent =
  OrderOutcomeEvent | CheckoutStartedEvent | CartCreatedEvent | ProductViewedEvent;

export type AnalyticsEventType = AnalyticsEvent['type'];

export const ANALYTICS_EVENT_TYPES: readonly AnalyticsEventType[] = [
  'order.completed',
  'order.cancelled',
  'order.failed',
  'checkout.started',
  'cart.created',
  'product.viewed',
];

/** Deterministic event ids, so a retried producer never creates a second fact. */
export const analyticsEventId = (type: AnalyticsEventType, subject: string) => `${type}:${subject}`;
