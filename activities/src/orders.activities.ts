import type { OrderStatus } from '@commerce/contracts';
import type { ServiceCaller, ServiceCallError } from '@commerce/service-client';
import { type ErrorRule } from './classify';
import { callService, segment } from './call-service';
import type { ActivityContext, OrderActivities, OrderStatusInput } from './types';

const orderPath = (orderId: string, action: string) =>
  `/internal/orders/${segment(orderId)}/${action}`;

// Limits of the orders service's bodies (orders.dto.ts): a longer reason would be a 400, which
// would fail a compensation for the sake of a long error message.
const MAX_REASON = 500;
const MAX_ACTOR = 100;

/**
 * Whether a 409 ILLEGAL_TRANSITION says the order already is in `to`: a repeat of a move that
 * happened. (The orders service answers such a repeat with 200 itself; this covers a service that
 * answers 409, or a move that raced a twin.) Its details are `[{orderId, currentStatus, ...}]`.
 */
export function alreadyIn(to: OrderStatus, error: Pick<ServiceCallError, 'details'>): boolean {
  const details: unknown[] = Array.isArray(error.details) ? error.details : [error.details];
  return details.some(
    (d) =>
      typeof d === 'object' &&
      d !== null &&
      (d as { currentStatus?: unknown }).currentStatus === to,
  );
}

/** 409 ILLEGAL_TRANSITION is success when the order already is where it should go. */
function repeatOf(to: OrderStatus): ErrorRule[] {
  return [
    {
      status: 409,
      code: 'ILLEGAL_TRANSITION',
      when: (error) => alreadyIn(to, error),
      then: { success: `already ${to}` },
    },
  ];
}

/**
 * The order's own status and history in the orders service (task queue `orders`). Every move is
 * idempotent: a repeat is success. A move the status machine refuses is a non-retryable
 * `IllegalTransition`; an unknown order a non-retryable `NotFound`.
 */
export function createOrderActivities(orders: ServiceCaller): OrderActivities {
  function move(
    activity: string,
    input: ActivityContext,
    to: OrderStatus,
    action: string,
    body: Record<string, unknown>,
  ): Promise<unknown> {
    return callService({
      activity,
      client: orders,
      input,
      method: 'POST',
      path: orderPath(input.orderId, action),
      body,
      idempotencyKey: `order-${input.orderId}-${to}`,
      rules: repeatOf(to),
    });
  }

  return {
    async setOrderStatus(input: OrderStatusInput): Promise<void> {
      await move('setOrderStatus', input, input.to, 'transition', {
        to: input.to,
        ...optional('reason', input.reason, MAX_REASON),
        ...optional('actor', input.actor, MAX_ACTOR),
      });
    },

    async confirmOrder(input: ActivityContext): Promise<void> {
      await move('confirmOrder', input, 'COMPLETED', 'confirm', {});
    },

    async failOrder(input: ActivityContext & { reason: string; actor?: string }): Promise<void> {
      const reason = clip(input.reason, MAX_REASON);
      // Like cancelOrder: `/fail` takes only a reason; an operator who rejected the order goes
      // into the history through the generic move.
      if (input.actor) {
        await move('failOrder', input, 'FAILED', 'transition', {
          to: 'FAILED',
          reason,
          actor: clip(input.actor, MAX_ACTOR),
        });
      } else {
        await move('failOrder', input, 'FAILED', 'fail', { reason });
      }
    },

    async cancelOrder(input: ActivityContext & { reason: string; actor?: string }): Promise<void> {
      const reason = clip(input.reason, MAX_REASON);
      // `/cancel` takes only a reason (unknown fields are refused); who cancelled goes into the
      // history through the generic move, which takes an actor.
      if (input.actor) {
        await move('cancelOrder', input, 'CANCELLED', 'transition', {
          to: 'CANCELLED',
          reason,
          actor: clip(input.actor, MAX_ACTOR),
        });
      } else {
        await move('cancelOrder', input, 'CANCELLED', 'cancel', { reason });
      }
    },
  };
}

function optional(key: string, value: string | undefined, max: number): Record<string, string> {
  return value ? { [key]: clip(value, max) } : {};
}

/** The services refuse an empty reason, and one over their limit. */
function clip(text: string, max: number): string {
  const trimmed = text.trim() || 'unspecified';
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1)}…`;
}
