import type { ServiceCaller } from '@commerce/service-client';
import { businessFailure } from './classify';
import { callService, segment } from './call-service';
import { ActivityFailureType } from './failure-types';
import type { ActivityContext, InventoryActivities, ReserveInventoryInput } from './types';

/** The products service's reservation, as far as the activities read it. */
interface ReservationView {
  orderId: string;
  status: 'RESERVED' | 'RELEASED' | 'COMMITTED';
}

const RESERVATIONS = '/internal/inventory/reservations';

/**
 * Stock reservations in the products service (task queue `inventory`). Every call is idempotent
 * per order on the service's side: a reservation is keyed by the order id.
 */
export function createInventoryActivities(products: ServiceCaller): InventoryActivities {
  return {
    async reserveInventory(input: ReserveInventoryInput): Promise<void> {
      const result = await callService<ReservationView>({
        activity: 'reserveInventory',
        client: products,
        input,
        method: 'POST',
        path: RESERVATIONS,
        body: {
          orderId: input.orderId,
          items: input.items,
          ...(input.holdSeconds === undefined ? {} : { holdSeconds: input.holdSeconds }),
        },
        idempotencyKey: `reserve-${input.orderId}`,
        rules: [
          { status: 409, code: 'OUT_OF_STOCK', then: { fail: ActivityFailureType.OUT_OF_STOCK } },
        ],
      });
      // A repeat answers the order's existing reservation whatever became of it. One that was
      // released meanwhile (it expired, or was given back) holds no stock: reserving "again"
      // would be a lie, so the checkout is told, once and for all.
      const reservation = result.handled ? undefined : result.response.body;
      if (reservation?.status === 'RELEASED') {
        throw businessFailure(
          ActivityFailureType.RESERVATION_RELEASED,
          `The reservation of order ${input.orderId} was already released (it expired or was given back)`,
          { orderId: input.orderId, status: reservation.status },
        );
      }
    },

    async releaseInventory(input: ActivityContext): Promise<void> {
      await callService<ReservationView>({
        activity: 'releaseInventory',
        client: products,
        input,
        method: 'POST',
        path: `${RESERVATIONS}/${segment(input.orderId)}/release`,
        idempotencyKey: `release-${input.orderId}`,
        rules: [
          // The compensation runs even when the reservation never happened: nothing to give back.
          { status: 404, code: 'RESERVATION_NOT_FOUND', then: { success: 'nothing was reserved' } },
          {
            status: 409,
            code: 'RESERVATION_COMMITTED',
            then: { fail: ActivityFailureType.RESERVATION_COMMITTED },
          },
        ],
      });
    },

    async holdInventory(input: ActivityContext & { holdSeconds: number }): Promise<void> {
      await callService<ReservationView>({
        activity: 'holdInventory',
        client: products,
        input,
        method: 'POST',
        path: `${RESERVATIONS}/${segment(input.orderId)}/hold`,
        body: { holdSeconds: input.holdSeconds },
        rules: [
          // Nothing reserved (yet, or ever): nothing to keep.
          { status: 404, code: 'RESERVATION_NOT_FOUND', then: { success: 'nothing was reserved' } },
        ],
      });
    },

    async commitInventory(input: ActivityContext): Promise<void> {
      await callService<ReservationView>({
        activity: 'commitInventory',
        client: products,
        input,
        method: 'POST',
        path: `${RESERVATIONS}/${segment(input.orderId)}/commit`,
        idempotencyKey: `commit-${input.orderId}`,
        rules: [
          {
            status: 409,
            code: 'RESERVATION_RELEASED',
            then: { fail: ActivityFailureType.RESERVATION_RELEASED },
          },
        ],
      });
    },
  };
}
