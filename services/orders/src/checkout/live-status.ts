import type { CheckoutState, OrderStatus } from '@commerce/contracts';
import { InjectConfig } from '@commerce/nest-kit';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { OrdersConfig } from '../config';
import { CheckoutClient } from './checkout-client';

/** What of the stored order decides whether a remembered live state still applies. */
export interface StoredOrderVersion {
  id: string;
  status: OrderStatus;
  updatedAt: string;
}

/**
 * The running checkout's live state behind GET /orders/:id. Each answer of the workflow's
 * `getStatus` query is reused for CHECKOUT_LIVE_STATUS_TTL_MS while the order's stored row is
 * unchanged, and concurrent requests for one order share one query: customers poll every few
 * hundred milliseconds, and every query is a task the checkout worker answers beside the
 * checkouts' own. A stored transition (the row's status or updatedAt) asks again at once, so the
 * live part never lags the stored status, and lags the workflow by at most the TTL. An unanswered
 * query is not remembered: the next request asks again.
 */
@Injectable()
export class LiveCheckoutStatus {
  private readonly cache: LRUCache<string, CheckoutState, string> | undefined;

  constructor(
    private readonly checkout: CheckoutClient,
    @InjectConfig() config: OrdersConfig,
  ) {
    const ttl = config.CHECKOUT_LIVE_STATUS_TTL_MS;
    if (ttl === 0) return;
    this.cache = new LRUCache<string, CheckoutState, string>({
      // Bounded: entries are small and short-lived; an evicted one is only asked again.
      max: 5000,
      ttl,
      fetchMethod: (_key, _stale, { context: orderId }) => this.checkout.status(orderId),
    });
  }

  /** The live state of the order's checkout; undefined when it cannot be asked right now. */
  of(order: StoredOrderVersion): Promise<CheckoutState | undefined> {
    if (!this.cache) return this.checkout.status(order.id);
    return this.cache.fetch(`${order.id}|${order.status}|${order.updatedAt}`, {
      context: order.id,
    });
  }
}
