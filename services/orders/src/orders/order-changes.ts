import type { OrderStatus } from '@commerce/contracts';
import { InjectConfig } from '@commerce/nest-kit';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { OrdersConfig } from '../config';

/** Reads the stored status of orders (OrdersService.statuses); a seam for the unit tests. */
export type StatusReader = (
  ids: readonly string[],
) => Promise<{ id: string; status: OrderStatus }[]>;

interface Waiter {
  orderId: string;
  status: OrderStatus;
  done: () => void;
}

/**
 * Long-polling for `GET /orders/:id?waitWhile=<status>`: holds a request while the order's stored
 * status is still the one the client last saw, so a customer waiting for a checkout sends one
 * request per status move instead of one per poll interval (each a gateway hop, two token checks
 * and an order read).
 *
 * A move this instance stores wakes its waiters at once (`changed`). Moves stored by another
 * instance of the service are seen by one batched status read per ORDER_WAIT_RECHECK_MS for all
 * the orders waited on here; every wait ends after ORDER_WAIT_MAX_MS at the latest, so a missed
 * wake-up costs a client one more request, never a hang. Kept in memory on purpose: it is a hint
 * about when to read again, the stored row stays the only truth.
 */
@Injectable()
export class OrderChanges implements OnModuleDestroy {
  private readonly waiters = new Set<Waiter>();
  private recheck: NodeJS.Timeout | undefined;
  private reader: StatusReader | undefined;

  constructor(@InjectConfig() private readonly config: OrdersConfig) {}

  /** Where the batched re-read gets the stored statuses (set once by OrdersService). */
  readStatusesWith(reader: StatusReader): void {
    this.reader = reader;
  }

  /** A stored move of `orderId` (after its transaction committed): wake whoever waits on it. */
  changed(orderId: string): void {
    for (const waiter of this.waiters) if (waiter.orderId === orderId) waiter.done();
  }

  /**
   * Resolves once `orderId` is seen leaving `status`, or after ORDER_WAIT_MAX_MS, whichever is
   * first. Never rejects: the caller reads the order again either way.
   */
  waitWhile(orderId: string, status: OrderStatus): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        orderId,
        status,
        done: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          if (this.waiters.size === 0) this.stopRecheck();
          resolve();
        },
      };
      const timer = setTimeout(() => waiter.done(), this.config.ORDER_WAIT_MAX_MS);
      this.waiters.add(waiter);
      this.startRecheck();
    });
  }

  onModuleDestroy(): void {
    // Shutting down: answer everyone now with what is stored rather than holding the close.
    for (const waiter of [...this.waiters]) waiter.done();
  }

  private startRecheck(): void {
    if (this.recheck || !this.reader) return;
    this.recheck = setInterval(() => void this.readAgain(), this.config.ORDER_WAIT_RECHECK_MS);
    this.recheck.unref();
  }

  private stopRecheck(): void {
    clearInterval(this.recheck);
    this.recheck = undefined;
  }

  private async readAgain(): Promise<void> {
    const waiting = [...this.waiters];
    if (waiting.length === 0 || !this.reader) return;
    let stored: Map<string, OrderStatus>;
    try {
      const rows = await this.reader([...new Set(waiting.map((w) => w.orderId))]);
      stored = new Map(rows.map((row) => [row.id, row.status]));
    } catch {
      return; // the database is unreachable: waits end by their deadline and the read reports it
    }
    for (const waiter of waiting) {
      const now = stored.get(waiter.orderId);
      if (now !== undefined && now !== waiter.status) waiter.done();
    }
  }
}
