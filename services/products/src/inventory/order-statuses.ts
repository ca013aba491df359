import { OrderStatus } from '@commerce/contracts';
import { InjectConfig } from '@commerce/nest-kit';
import { type ServiceCaller, createServiceClients } from '@commerce/service-client';
import { Injectable } from '@nestjs/common';
import type { ProductsConfig } from '../config';

/**
 * Orders whose reservation the sweeper may reclaim: the order ended without a sale (CANCELLED,
 * FAILED) or the orders service has no such order. A COMPLETED order keeps its rows: a run on
 * the checkout's original order of steps marks it COMPLETED before committing, and that commit
 * is still coming (the revised order commits first, so it never has RESERVED rows).
 */
const RECLAIMABLE: ReadonlySet<string> = new Set([OrderStatus.CANCELLED, OrderStatus.FAILED]);

/**
 * Asks the orders service (`POST /internal/orders/statuses`, SERVICE token of the `products`
 * account) which of a batch of orders ended, so an expired reservation is released only when its
 * checkout is over. Any failure to get an answer throws: the caller then releases nothing.
 */
@Injectable()
export class OrderStatuses {
  private readonly orders: ServiceCaller;

  constructor(@InjectConfig() config: ProductsConfig) {
    this.orders = createServiceClients({
      auth: {
        url: config.AUTH_URL,
        clientId: config.SERVICE_CLIENT_ID,
        clientSecret: config.SERVICE_CLIENT_SECRET,
        timeoutMs: config.ORDERS_TIMEOUT_MS,
      },
      services: { orders: config.ORDERS_URL },
      timeoutMs: config.ORDERS_TIMEOUT_MS,
      userAgent: `${config.SERVICE_NAME}/reservation-sweeper`,
    }).clients.orders;
  }

  /** The ids among `orderIds` whose reservations may be released (see RECLAIMABLE). */
  async reclaimable(orderIds: readonly string[]): Promise<Set<string>> {
    if (orderIds.length === 0) return new Set();
    const { body } = await this.orders.request<{ items: { id: string; status: string }[] }>({
      method: 'POST',
      path: '/internal/orders/statuses',
      body: { ids: orderIds },
    });
    const status = new Map(body.items.map((item) => [item.id.toLowerCase(), item.status]));
    return new Set(
      orderIds.filter((id) => {
        const current = status.get(id.toLowerCase());
        return current === undefined || RECLAIMABLE.has(current);
      }),
    );
  }
}
