import type { AnalyticsEvent, OrderOutcomeEvent } from '@commerce/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type ApplyOutcome = 'applied' | 'duplicate';

export const ORDER_STATUSES = ['COMPLETED', 'CANCELLED', 'FAILED'] as const;
export type OutcomeStatus = (typeof ORDER_STATUSES)[number];

const STATUS_OF: Record<OrderOutcomeEvent['type'], OutcomeStatus> = {
  'order.completed': 'COMPLETED',
  'order.cancelled': 'CANCELLED',
  'order.failed': 'FAILED',
};

/** The UTC day (`YYYY-MM-DD`) an ISO time falls on. */
export function utcDay(at: string): string {
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) throw new Error(`not a time: ${at}`);
  return time.toISOString().slice(0, 10);
}

/** Units and revenue per product of an order, lines of one product added together. */
export function productTotals(
  items: OrderOutcomeEvent['items'],
): { productId: string; units: number; revenue: number }[] {
  const totals = new Map<string, { productId: string; units: number; revenue: number }>();
  for (const item of items) {
    const entry = totals.get(item.productId) ?? { productId: item.productId, units: 0, revenue: 0 };
    entry.units += item.quantity;
    entry.revenue += item.quantity * item.unitPrice;
    totals.set(item.productId, entry);
  }
  return [...totals.values()];
}

export interface SummaryRange {
  /** First day, `YYYY-MM-DD` (UTC), included. */
  from: string;
  /** Last day, included. */
  to: string;
  /** How many products the top lists hold. */
  top: number;
}

export interface AnalyticsSummary {
  from: string;
  to: string;
  orders: {
    total: number;
    byStatus: Record<OutcomeStatus, number>;
    byDay: ({ day: string } & Record<OutcomeStatus, number>)[];
  };
  revenue: { currency: string; amount: number; orders: number }[];
  revenueByDay: { day: string; currency: string; amount: number }[];
  topProducts: { productId: string; units: number; revenue: number; currency: string }[];
  funnel: { carts: number; checkouts: number; paid: number };
  productViews: { total: number; top: { productId: string; views: number }[] };
}

/**
 * The analytics read model in PostgreSQL. `apply` folds one event in, exactly once per event id:
 * the id goes into analytics_applied_events and the daily aggregates are added to in the same
 * transaction, so a repeated, retried or concurrently delivered event finds its id taken (the
 * second insert waits for the first transaction and then does nothing) and changes nothing.
 */
@Injectable()
export class AnalyticsStore {
  constructor(private readonly dataSource: DataSource) {}

  async apply(event: AnalyticsEvent): Promise<ApplyOutcome> {
    const day = utcDay(event.at);
    return this.dataSource.transaction(async (tx) => {
      const claimed = await tx.query<unknown[]>(
        `insert into analytics_applied_events (event_id, type, occurred_at) values ($1, $2, $3)
         on conflict (event_id) do nothing
         returning event_id`,
        [event.id, event.type, event.at],
      );
      if (claimed.length === 0) return 'duplicate';
      await applyAggregates(tx, day, event);
      return 'applied';
    });
  }

  async summary({ from, to, top }: SummaryRange): Promise<AnalyticsSummary> {
    const range = [from, to];
    const q = <T>(sql: string, values: unknown[] = range) =>
      this.dataSource.query<T[]>(sql, values);
    const [orderRows, revenueRows, revenueDayRows, productRows, funnelRows, viewTotals, viewRows] =
      await Promise.all([
        q<{ day: string; status: OutcomeStatus; orders: string }>(
          `select to_char(day, 'YYYY-MM-DD') as day, status, orders::text as orders
             from analytics_daily_orders where day between $1 and $2 order by day, status`,
        ),
        q<{ currency: string; amount: string; orders: string }>(
          `select currency, sum(amount)::text as amount, sum(orders)::text as orders
             from analytics_daily_revenue where day between $1 and $2
            group by currency order by sum(amount) desc, currency`,
        ),
        q<{ day: string; currency: string; amount: string }>(
          `select to_char(day, 'YYYY-MM-DD') as day, currency, amount::text as amount
             from analytics_daily_revenue where day between $1 and $2 order by day, currency`,
        ),
        q<{ productId: string; currency: string; units: string; revenue: string }>(
          `select product_id as "productId", currency,
                  sum(units)::text as units, sum(revenue)::text as revenue
             from analytics_daily_product_sales where day between $1 and $2
            group by product_id, currency
            order by sum(units) desc, sum(revenue) desc, product_id
            limit $3`,
          [from, to, top],
        ),
        q<{ carts: string; checkouts: string; paid: string }>(
          `select coalesce(sum(carts), 0)::text as carts,
                  coalesce(sum(checkouts), 0)::text as checkouts,
                  coalesce(sum(paid), 0)::text as paid
             from analytics_daily_funnel where day between $1 and $2`,
        ),
        q<{ total: string }>(
          `select coalesce(sum(views), 0)::text as total
             from analytics_daily_product_views where day between $1 and $2`,
        ),
        q<{ productId: string; views: string }>(
          `select product_id as "productId", sum(views)::text as views
             from analytics_daily_product_views where day between $1 and $2
            group by product_id order by sum(views) desc, product_id limit $3`,
          [from, to, top],
        ),
      ]);

    const byStatus: Record<OutcomeStatus, number> = { COMPLETED: 0, CANCELLED: 0, FAILED: 0 };
    const byDay = new Map<string, { day: string } & Record<OutcomeStatus, number>>();
    for (const row of orderRows) {
      const count = Number(row.orders);
      byStatus[row.status] += count;
      const entry = byDay.get(row.day) ?? { day: row.day, COMPLETED: 0, CANCELLED: 0, FAILED: 0 };
      entry[row.status] += count;
      byDay.set(row.day, entry);
    }
    const funnel = funnelRows[0];
    return {
      from,
      to,
      orders: {
        total: byStatus.COMPLETED + byStatus.CANCELLED + byStatus.FAILED,
        byStatus,
        byDay: [...byDay.values()],
      },
      revenue: revenueRows.map((r) => ({
        currency: r.currency,
        amount: Number(r.amount),
        orders: Number(r.orders),
      })),
      revenueByDay: revenueDayRows.map((r) => ({
        day: r.day,
        currency: r.currency,
        amount: Number(r.amount),
      })),
      topProducts: productRows.map((r) => ({
        productId: r.productId,
        units: Number(r.units),
        revenue: Number(r.revenue),
        currency: r.currency,
      })),
      funnel: {
        carts: Number(funnel?.carts ?? 0),
        checkouts: Number(funnel?.checkouts ?? 0),
        paid: Number(funnel?.paid ?? 0),
      },
      productViews: {
        total: Number(viewTotals[0]?.total ?? 0),
        top: viewRows.map((r) => ({ productId: r.productId, views: Number(r.views) })),
      },
    };
  }
}

async function applyAggregates(
  tx: EntityManager,
  day: string,
  event: AnalyticsEvent,
): Promise<void> {
  switch (event.type) {
    case 'order.completed':
    case 'order.cancelled':
    case 'order.failed': {
      const status = STATUS_OF[event.type];
      await tx.query(
        `insert into analytics_daily_orders (day, status, orders) values ($1, $2, 1)
         on conflict (day, status) do update set orders = analytics_daily_orders.orders + 1`,
        [day, status],
      );
      if (status !== 'COMPLETED') return;
      await tx.query(
        `insert into analytics_daily_revenue (day, currency, amount, orders) values ($1, $2, $3, 1)
         on conflict (day, currency) do update
           set amount = analytics_daily_revenue.amount + excluded.amount,
               orders = analytics_daily_revenue.orders + 1`,
        [day, event.currency, event.total],
      );
      const products = productTotals(event.items);
      if (products.length > 0) {
        await tx.query(
          `insert into analytics_daily_product_sales (day, product_id, currency, units, revenue)
           select $1, p.product_id, $2, p.units, p.revenue
             from unnest($3::text[], $4::bigint[], $5::bigint[]) as p(product_id, units, revenue)
           on conflict (day, product_id, currency) do update
             set units = analytics_daily_product_sales.units + excluded.units,
                 revenue = analytics_daily_product_sales.revenue + excluded.revenue`,
          [
            day,
            event.currency,
            products.map((p) => p.productId),
            products.map((p) => p.units),
            products.map((p) => p.revenue),
          ],
        );
      }
      await bumpFunnel(tx, day, 'paid');
      return;
    }
    case 'checkout.started':
      await bumpFunnel(tx, day, 'checkouts');
      return;
    case 'cart.created':
      await bumpFunnel(tx, day, 'carts');
      return;
    case 'product.viewed':
      await tx.query(
        `insert into analytics_daily_product_views (day, product_id, views) values ($1, $2, 1)
         on conflict (day, product_id) do update
           set views = analytics_daily_product_views.views + 1`,
        [day, event.productId],
      );
      return;
  }
}

async function bumpFunnel(
  tx: EntityManager,
  day: string,
  column: 'carts' | 'checkouts' | 'paid',
): Promise<void> {
  // `column` is one of three literals, never input.
  await tx.query(
    `insert into analytics_daily_funnel (day, ${column}) values ($1, 1)
     on conflict (day) do update set ${column} = analytics_daily_funnel.${column} + 1`,
    [day],
  );
}
