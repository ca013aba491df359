/**
 * Order contracts shared by the orders service and the checkout workflow/activities (DESIGN §4):
 * the status values, which moves between them are legal, and the shapes exchanged over HTTP.
 */

/** Status of an order; the orders service keeps one history row per transition. */
export const OrderStatus = {
  PENDING: 'PENDING',
  RESERVING: 'RESERVING',
  AWAITING_APPROVAL: 'AWAITING_APPROVAL',
  CHARGING: 'CHARGING',
  CONFIRMING: 'CONFIRMING',
  COMPLETED: 'COMPLETED',
  CANCELLED: 'CANCELLED',
  FAILED: 'FAILED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const ORDER_STATUSES: readonly OrderStatus[] = Object.values(OrderStatus);

/** Statuses an order never leaves. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = [
  OrderStatus.COMPLETED,
  OrderStatus.CANCELLED,
  OrderStatus.FAILED,
];

/**
 * Allowed transitions, `from -> [to...]`. The happy path is PENDING -> RESERVING ->
 * (AWAITING_APPROVAL ->) CHARGING -> CONFIRMING -> COMPLETED. Every non-terminal status may end in
 * FAILED, and in CANCELLED until the order is confirmed (COMPLETED).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: [OrderStatus.RESERVING, OrderStatus.CANCELLED, OrderStatus.FAILED],
  RESERVING: [
    OrderStatus.AWAITING_APPROVAL,
    OrderStatus.CHARGING,
    OrderStatus.CANCELLED,
    OrderStatus.FAILED,
  ],
  AWAITING_APPROVAL: [OrderStatus.CHARGING, OrderStatus.CANCELLED, OrderStatus.FAILED],
  // CHARGING -> AWAITING_APPROVAL: the checkout authorises before review (issue 13), then moves
  // back to CHARGING to capture.
  CHARGING: [
    OrderStatus.AWAITING_APPROVAL,
    OrderStatus.CONFIRMING,
    OrderStatus.CANCELLED,
    OrderStatus.FAILED,
  ],
  CONFIRMING: [OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.FAILED],
  COMPLETED: [],
  CANCELLED: [],
  FAILED: [],
};

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

export function isTerminalOrderStatus(status: OrderStatus): boolean {
  return TERMINAL_ORDER_STATUSES.includes(status);
}

/** Whether `from -> to` is a legal move (a status never transitions to itself). */
export function canTransitionOrder(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Shipping address of an order; `country` is an ISO 3166-1 alpha-2 code. */
export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

/** Public `POST /checkout` body (with the `Idempotency-Key` header). */
export interface CheckoutRequest {
  paymentMethodId: string;
  shippingAddress: ShippingAddress;
}

/** Public `POST /checkout` answer (202). */
export interface CheckoutResponse {
  orderId: string;
  status: OrderStatus;
}

/** Internal `POST /internal/orders` body: an order from the customer's cart, idempotent per key. */
export interface CreateOrderFromCartRequest extends CheckoutRequest {
  customerId: string;
  idempotencyKey: string;
}

/** Internal `POST /internal/orders/:id/transition` body. */
export interface OrderTransitionRequest {
  to: OrderStatus;
  reason?: string;
  actor?: string;
}

/** Internal `/fail` and `/cancel` body. */
export interface OrderReasonRequest {
  reason: string;
}

export interface OrderItemView {
  productId: string;
  sku: string;
  name: string;
  /** Minor units, as snapshotted when the order was created. */
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

export interface OrderTimelineEntry {
  /** null for the creation of the order. */
  from: OrderStatus | null;
  to: OrderStatus;
  reason: string | null;
  actor: string;
  /** ISO 8601 timestamp. */
  at: string;
}

/** An order as `GET /orders/:id` and the internal routes return it. */
export interface OrderView {
  id: string;
  customerId: string;
  status: OrderStatus;
  items: OrderItemView[];
  /** Minor units. */
  total: number;
  currency: string;
  shippingAddress: ShippingAddress;
  paymentMethodId: string;
  timeline: OrderTimelineEntry[];
  failureReason?: string;
  createdAt: string;
  updatedAt: string;
}
