import { APP_CONFIG, AppError, MetricsService } from '@commerce/nest-kit';
import { PG_CHECK_VIOLATION, PG_UNIQUE_VIOLATION, pgErrorCode } from '@commerce/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { ProductsConfig } from '../config';
import { Sql, type SqlSession } from '../database/sql.service';
import type {
  InventoryDto,
  OutOfStockDetailDto,
  ReservationDto,
  ReservationItemDto,
  ReservationStatus,
  ReserveDto,
} from './inventory.dto';
import { OrderStatuses } from './order-statuses';

interface ReservationRow {
  productId: string;
  quantity: number;
  status: ReservationStatus;
  expiresAt: Date;
}

const INVENTORY_COLUMNS = `product_id as "productId", on_hand as "onHand", reserved,
  on_hand - reserved as available`;
const RESERVATION_COLUMNS = `product_id as "productId", quantity, status, expires_at as "expiresAt"`;

/** Items with each product once (quantities of repeats added up), in product id order. */
export function normaliseItems(items: readonly ReservationItemDto[]): ReservationItemDto[] {
  const byProduct = new Map<string, number>();
  for (const item of items) {
    const id = item.productId.toLowerCase();
    byProduct.set(id, (byProduct.get(id) ?? 0) + item.quantity);
  }
  return [...byProduct.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([productId, quantity]) => ({ productId, quantity }));
}

function toReservation(orderId: string, rows: readonly ReservationRow[]): ReservationDto {
  const first = rows[0] as ReservationRow;
  return {
    orderId,
    status: first.status,
    expiresAt: first.expiresAt,
    items: rows.map((r) => ({ productId: r.productId, quantity: r.quantity })),
  };
}

const reservationNotFound = (orderId: string) =>
  new AppError({
    status: 404,
    code: 'RESERVATION_NOT_FOUND',
    message: `No reservation for order ${orderId}`,
  });

@Injectable()
export class InventoryService {
  constructor(
    private readonly sql: Sql,
    private readonly metrics: MetricsService,
    private readonly orderStatuses: OrderStatuses,
    @Inject(APP_CONFIG) private readonly config: ProductsConfig,
  ) {}

  async get(productId: string): Promise<InventoryDto> {
    const [row] = await this.sql.rows<InventoryDto>(
      `select ${INVENTORY_COLUMNS} from inventory where product_id = $1`,
      [productId],
    );
    if (!row) {
      throw new AppError({
        status: 404,
        code: 'NOT_FOUND',
        message: `Product ${productId} not found`,
      });
    }
    return row;
  }

  /** Sets the units on hand; refused (409) below what is already reserved. */
  async set(productId: string, onHand: number): Promise<InventoryDto> {
    try {
      const [row] = await this.sql.rows<InventoryDto>(
        `insert into inventory (product_id, on_hand)
         select id, $2 from products where id = $1
         on conflict (product_id) do update set on_hand = excluded.on_hand, updated_at = now()
         returning ${INVENTORY_COLUMNS}`,
        [productId, onHand],
      );
      if (!row) {
        throw new AppError({
          status: 404,
          code: 'NOT_FOUND',
          message: `Product ${productId} not found`,
        });
      }
      return row;
    } catch (error) {
      if (pgErrorCode(error) !== PG_CHECK_VIOLATION) throw error;
      const current = await this.get(productId);
      throw new AppError({
        status: 409,
        code: 'STOCK_BELOW_RESERVED',
        message: `onHand ${onHand} is below the ${current.reserved} units already reserved`,
        details: [{ field: 'onHand', reserved: current.reserved }],
      });
    }
  }

  /** The reservation of an order, or undefined. */
  async find(orderId: string): Promise<ReservationDto | undefined> {
    const rows = await this.sql.rows<ReservationRow>(
      `select ${RESERVATION_COLUMNS} from reservations where order_id = $1 order by product_id`,
      [orderId],
    );
    return rows.length > 0 ? toReservation(orderId, rows) : undefined;
  }

  /**
   * Reserves every item or none, in one transaction. Idempotent per order: when the order already
   * has a reservation (whatever its items or status), that one is returned with `created: false`.
   */
  async reserve(dto: ReserveDto): Promise<{ created: boolean; reservation: ReservationDto }> {
    const existing = await this.find(dto.orderId);
    if (existing) {
      this.metrics.recordBusinessOperation('inventory.reserve', 'duplicate');
      return { created: false, reservation: existing };
    }
    const items = normaliseItems(dto.items);
    try {
      const reservation = await this.sql.transaction((tx) =>
        this.reserveIn(
          tx,
          dto.orderId,
          items,
          dto.holdSeconds ?? this.config.RESERVATION_TTL_SECONDS,
        ),
      );
      this.metrics.recordBusinessOperation('inventory.reserve', 'ok');
      return { created: true, reservation };
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
        // A concurrent request for the same order committed first: theirs is the reservation.
        const winner = await this.find(dto.orderId);
        if (winner) {
          this.metrics.recordBusinessOperation('inventory.reserve', 'duplicate');
          return { created: false, reservation: winner };
        }
      }
      if (error instanceof AppError && error.code === 'OUT_OF_STOCK') {
        this.metrics.recordBusinessOperation('inventory.reserve', 'out_of_stock');
      }
      throw error;
    }
  }

  private async reserveIn(
    tx: SqlSession,
    orderId: string,
    items: readonly ReservationItemDto[],
    holdSeconds: number,
  ): Promise<ReservationDto> {
    const ids = items.map((i) => i.productId);
    const products = await tx.rows<{ id: string; active: boolean }>(
      `select id, active from products where id = any($1::uuid[])`,
      [ids],
    );
    const known = new Map(products.map((p) => [p.id, p.active]));
    const missing: OutOfStockDetailDto[] = [];
    for (const item of items) {
      const active = known.get(item.productId);
      if (active !== true) {
        missing.push({
          productId: item.productId,
          requested: item.quantity,
          available: 0,
          reason: active === undefined ? 'NOT_FOUND' : 'INACTIVE',
        });
      }
    }
    if (missing.length > 0) throw outOfStock(missing);

    // The rows first: the unique (order_id, product_id) makes a concurrent twin wait here and
    // then fail, so an order never reserves twice.
    const rows = await tx.rows<ReservationRow>(
      `insert into reservations (order_id, product_id, quantity, expires_at)
       select $1, p, q, now() + make_interval(secs => $4)
       from unnest($2::uuid[], $3::int[]) as t(p, q)
       returning ${RESERVATION_COLUMNS}`,
      [orderId, ids, items.map((i) => i.quantity), holdSeconds],
    );
    // Stock in product id order, so two orders sharing products never deadlock.
    for (const item of items) {
      const updated = await tx.run(
        `update inventory set reserved = reserved + $2, updated_at = now()
         where product_id = $1 and on_hand - reserved >= $2`,
        [item.productId, item.quantity],
      );
      if (updated.count === 1) continue;
      const [stock] = await tx.rows<{ available: number }>(
        `select on_hand - reserved as available from inventory where product_id = $1`,
        [item.productId],
      );
      missing.push({
        productId: item.productId,
        requested: item.quantity,
        available: stock?.available ?? 0,
        reason: 'INSUFFICIENT',
      });
    }
    if (missing.length > 0) throw outOfStock(missing);
    rows.sort((a, b) => (a.productId < b.productId ? -1 : 1));
    return toReservation(orderId, rows);
  }

  /**
   * Keeps a held reservation for `holdSeconds` more (the checkout renews while it is alive, so only
   * a reservation whose checkout ended or vanished ever expires). Never shortens a hold; committed
   * and released reservations are answered as they are.
   */
  async hold(orderId: string, holdSeconds: number): Promise<ReservationDto> {
    await this.sql.rows(
      `update reservations
         set expires_at = greatest(expires_at, now() + make_interval(secs => $2))
       where order_id = $1 and status = 'RESERVED'`,
      [orderId, holdSeconds],
    );
    const reservation = await this.find(orderId);
    if (!reservation) throw reservationNotFound(orderId);
    this.metrics.recordBusinessOperation('inventory.hold', reservation.status.toLowerCase());
    return reservation;
  }

  /** Gives the stock back. Repeats are no-ops; a committed reservation cannot be released. */
  release(orderId: string): Promise<ReservationDto> {
    return this.transition(orderId, 'RELEASED');
  }

  /** Turns the reservation into a sale (stock leaves). Repeats are no-ops; released is final. */
  commit(orderId: string): Promise<ReservationDto> {
    return this.transition(orderId, 'COMMITTED');
  }

  private async transition(
    orderId: string,
    target: 'RELEASED' | 'COMMITTED',
  ): Promise<ReservationDto> {
    const operation = target === 'RELEASED' ? 'inventory.release' : 'inventory.commit';
    const result = await this.sql.transaction(async (tx) => {
      const rows = await tx.rows<ReservationRow>(
        `select ${RESERVATION_COLUMNS} from reservations where order_id = $1
         order by product_id for update`,
        [orderId],
      );
      if (rows.length === 0) throw reservationNotFound(orderId);
      const status = (rows[0] as ReservationRow).status;
      if (status === target) return { changed: false, reservation: toReservation(orderId, rows) };
      if (status !== 'RESERVED') {
        throw new AppError({
          status: 409,
          code: `RESERVATION_${status}`,
          message: `The reservation of order ${orderId} is already ${status}`,
          details: [{ orderId, status }],
        });
      }
      await applyTransition(tx, orderId, rows, target);
      return {
        changed: true,
        reservation: toReservation(
          orderId,
          rows.map((r) => ({ ...r, status: target })),
        ),
      };
    });
    this.metrics.recordBusinessOperation(operation, result.changed ? 'ok' : 'repeat');
    return result.reservation;
  }

  /**
   * Releases expired reservations whose checkout is over: the orders service says the order is
   * CANCELLED or FAILED, or has no such order (`OrderStatuses`). A live checkout keeps its stock
   * even past the expiry (its renewal may be late, or it runs the original order of steps, which
   * never renews), and committed stock is never touched. Goes through every expired order in
   * pages of `batch`, one question to the orders service per page, so live orders at the front
   * never starve the rest. One order per transaction; rows another transaction holds (a commit in
   * flight, or another instance's sweeper) are skipped, never waited for.
   *
   * Fail safe: when the orders service cannot answer, the call throws and releases nothing more;
   * releasing without knowing would sell the stock of a live checkout twice. The next tick asks
   * again.
   */
  async sweepExpired(batch = 100): Promise<{ released: number; kept: number }> {
    let released = 0;
    let kept = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await this.sql.rows<{ orderId: string }>(
        `select distinct order_id as "orderId" from reservations
         where status = 'RESERVED' and expires_at < now() and order_id > $1
         order by order_id limit $2`,
        [after, batch],
      );
      if (page.length === 0) break;
      after = (page[page.length - 1] as { orderId: string }).orderId;
      const ids = page.map((row) => row.orderId);
      const reclaimable = await this.orderStatuses.reclaimable(ids);
      kept += ids.length - reclaimable.size;
      for (const orderId of ids.filter((id) => reclaimable.has(id))) {
        if (await this.releaseExpired(orderId)) {
          released++;
          this.metrics.recordBusinessOperation('inventory.release', 'expired');
        }
      }
      if (page.length < batch) break;
    }
    return { released, kept };
  }

  private releaseExpired(orderId: string): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const locked = await tx.rows<ReservationRow>(
        `select ${RESERVATION_COLUMNS} from reservations where order_id = $1
         order by product_id for update skip locked`,
        [orderId],
      );
      const [all] = await tx.rows<{ n: number }>(
        `select count(*)::int as n from reservations where order_id = $1`,
        [orderId],
      );
      if (locked.length === 0 || locked.length !== all?.n) return false;
      const expired = locked.every(
        (r) => r.status === 'RESERVED' && r.expiresAt.getTime() < Date.now(),
      );
      if (!expired) return false;
      await applyTransition(tx, orderId, locked, 'RELEASED');
      return true;
    });
  }
}

function outOfStock(details: OutOfStockDetailDto[]): AppError {
  return new AppError({
    status: 409,
    code: 'OUT_OF_STOCK',
    message: `Not enough stock for: ${details.map((d) => d.productId).join(', ')}`,
    details,
  });
}

/** Moves stock for an order's rows (locked, in product id order) and sets their status. */
async function applyTransition(
  tx: SqlSession,
  orderId: string,
  rows: readonly ReservationRow[],
  target: 'RELEASED' | 'COMMITTED',
): Promise<void> {
  const stock =
    target === 'RELEASED'
      ? `reserved = reserved - $2`
      : `on_hand = on_hand - $2, reserved = reserved - $2`;
  for (const row of rows) {
    await tx.run(`update inventory set ${stock}, updated_at = now() where product_id = $1`, [
      row.productId,
      row.quantity,
    ]);
  }
  await tx.run(`update reservations set status = $2, updated_at = now() where order_id = $1`, [
    orderId,
    target,
  ]);
}
