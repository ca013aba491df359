import {
  ORDER_TRANSITIONS,
  type OrderStatus,
  canTransitionOrder,
  isTerminalOrderStatus,
} from '@commerce/contracts';

/** What a requested move amounts to, given the order's current status. */
export type TransitionDecision =
  | { kind: 'apply'; from: OrderStatus; to: OrderStatus }
  /** Already in the target status: a repeat of a move that happened; answer without writing. */
  | { kind: 'noop'; status: OrderStatus }
  | { kind: 'illegal'; from: OrderStatus; to: OrderStatus; allowed: readonly OrderStatus[] };

/** Pure: decides a transition from the current status (DESIGN §4, table in @commerce/contracts). */
export function decideTransition(current: OrderStatus, to: OrderStatus): TransitionDecision {
  if (current === to) return { kind: 'noop', status: current };
  if (canTransitionOrder(current, to)) return { kind: 'apply', from: current, to };
  return { kind: 'illegal', from: current, to, allowed: ORDER_TRANSITIONS[current] };
}

export function describeIllegal(current: OrderStatus, to: OrderStatus): string {
  return isTerminalOrderStatus(current)
    ? `Order is ${current}, a final status; it cannot move to ${to}`
    : `Order is ${current}; it cannot move to ${to} (allowed: ${ORDER_TRANSITIONS[current].join(', ')})`;
}
