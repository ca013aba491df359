import {
  type AuthUser,
  OrderStatus,
  type OrderView,
  Role,
  type ShippingAddress,
} from '@commerce/contracts';
import { AppError, ErrorCode, MetricsService } from '@commerce/nest-kit';
import { isUniqueViolation } from '@commerce/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { lockCart, readCartLines } from '../cart/cart.service';
import { ProductsClient, productUnavailable } from '../products/products.client';
import { OrderChanges } from './order-changes';
import { decideTransition, describeIllegal } from './order-status';
import { lineTotal, orderTotal } from './totals';

export interface CreateFromCartInput {
  shippingAddress: ShippingAddress;
  paymentMethodId: string;
  idempotencyKey: string;
  /** Passed on to the products service as `x-request-id`. */
  requestId?: string | undefined;
  /** Where the checkout's confirmation goes (from the customer's token). */
  customerEmail?: string | undefined;
  /**
   * Orders at or above `threshold` wait for review; a customer may have at most `max` of them
   * unfinished at once (the next one is a 409), so nobody holds stock in many large orders.
   */
  reviewLimit?: { threshold: number; max: number } | undefined;
}

export interface TransitionOptions {
  reason?: string | undefined;
  actor: string;
}

export interface AdminOrderFilter {
  status?: OrderStatus | undefined;
  email?: string | undefined;
  customerId?: string | undefined;
  id?: string | undefined;
  /** Any of these orders (the failed checkouts' list). */
  ids?: readonly string[] | undefined;
  sort: 'newest' | 'oldest';
  page: number;
  limit: number;
  /** CHECKOUT_REVIEW_TIMEOUT_MS: how long a review may wait. */
  reviewTimeoutMs: number;
}

export interface AdminOrderView extends OrderView {
  customerEmail: string | null;
  reviewDeadline?: string;
}

type Attempt = { kind: 'created' | 'duplicate'; id: string } | { kind: 'changed' };

interface OrderRow {
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  total: string;
  shippingAddress: ShippingAddress;
  paymentMethodId: string;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const ORDER_COLUMNS = `id, customer_id as "customerId", status, currency, total,
  shipping_address as "shippingAddress", payment_method_id as "paymentMethodId",
  failure_reason as "failureReason", created_at as "createdAt", updated_at as "updatedAt"`;

const ADMIN_ROLES: readonly string[] = [Role.ADMIN, Role.SUPER_ADMIN];

export const orderNotFound = (id: string) =>
  new AppError({ status: 404, code: ErrorCode.NOT_FOUND, message: `Order ${id} not found` });

@Injectable()
export class OrdersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly products: ProductsClient,
    private readonly metrics: MetricsService,
    private readonly changes: OrderChanges,
  ) {
    changes.readStatusesWith((ids) => this.statuses(ids));
  }

  /**
   * Turns the customer's cart into a PENDING order in one transaction: items, names, SKUs and
   * prices snapshotted from the products service, totals in minor units, the cart cleared, the
   * first history row written. Idempotent per (customerId, idempotencyKey): a repeat, concurrent
   * or not, returns the first order and writes nothing.
   */
  async createFromCart(
    customerId: string,
    input: CreateFromCartInput,
  ): Promise<{ order: OrderView; created: boolean }> {
    const existing = await this.findByKey(customerId, input.idempotencyKey);
    if (existing) return this.duplicate(existing);

    // Prices come from the products service before the transaction (no network call while the
    // cart is locked); if the cart changes in between, the snapshot is taken again.
    for (let attempt = 1; ; attempt++) {
      const lines = await readCartLines(this.dataSource, customerId);
      const products = await this.products.getMany(
        lines.map((l) => l.productId),
        input.requestId,
      );
      try {
        const outcome = await this.dataSource.transaction(async (manager): Promise<Attempt> => {
          await lockCart(manager, customerId);
          const again = await this.findByKey(customerId, input.idempotencyKey, manager);
          if (again) return { kind: 'duplicate', id: again };
          const locked = await readCartLines(manager, customerId);
          if (locked.length === 0) {
            throw new AppError({ status: 422, code: 'CART_EMPTY', message: 'The cart is empty' });
          }
          if (!sameLines(lines, locked)) return { kind: 'changed' };
          const missing = locked.filter((l) => !products.get(l.productId));
          if (missing.length > 0) throw productUnavailable(missing.map((l) => l.productId));
          const items = locked.map((line) => {
            const product = products.get(line.productId)!;
            return {
              productId: product.id,
              sku: product.sku,
              name: product.name,
              currency: product.currency,
              unitPrice: product.price,
              quantity: line.quantity,
            };
          });
          const currencies = [...new Set(items.map((i) => i.currency))];
          if (currencies.length > 1) {
            throw new AppError({
              status: 422,
              code: 'CURRENCY_MISMATCH',
              message: `The cart mixes currencies (${currencies.join(', ')}); an order has one`,
              details: items.map((i) => ({ productId: i.productId, currency: i.currency })),
            });
          }
          const total = orderTotal(items);
          // The cart lock above serialises this customer's checkouts, so the count cannot race.
          if (input.reviewLimit && total >= input.reviewLimit.threshold) {
            await refuseBeyondPendingReviews(manager, customerId, input.reviewLimit);
          }
          const [order] = await manager.query<{ id: string }[]>(
            `insert into orders (customer_id, idempotency_key, status, currency, total, shipping_address, payment_method_id, customer_email)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
            [
              customerId,
              input.idempotencyKey,
              OrderStatus.PENDING,
              currencies[0],
              total,
              JSON.stringify(normaliseAddress(input.shippingAddress)),
              input.paymentMethodId,
              input.customerEmail ?? null,
            ],
          );
          const id = order!.id;
          await manager.query(
            `insert into order_items (order_id, position, product_id, sku, name, unit_price, quantity, line_total)
             select $1, p, product_id, sku, name, unit_price, quantity, line_total
               from unnest($2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::bigint[])
                    with ordinality as t(product_id, sku, name, unit_price, quantity, line_total, p)`,
            [
              id,
              items.map((i) => i.productId),
              items.map((i) => i.sku),
              items.map((i) => i.name),
              items.map((i) => i.unitPrice),
              items.map((i) => i.quantity),
              items.map((i) => lineTotal(i)),
            ],
          );
          await insertHistory(
            manager,
            id,
            null,
            OrderStatus.PENDING,
            'created from cart',
            customerId,
          );
          await manager.query(`delete from cart_items where customer_id = $1`, [customerId]);
          return { kind: 'created', id };
        });
        if (outcome.kind === 'duplicate') return this.duplicate(outcome.id);
        if (outcome.kind === 'created') {
          this.metrics.recordBusinessOperation('order.create', 'created');
          return { order: (await this.load(outcome.id))!, created: true };
        }
        if (attempt >= 3) {
          throw new AppError({
            status: 409,
            code: 'CART_CHANGED',
            message: 'The cart kept changing while the order was being created; try again',
          });
        }
      } catch (error) {
        // The unique index is the last word: a racing twin that got in first wins.
        if (isUniqueViolation(error)) {
          const twin = await this.findByKey(customerId, input.idempotencyKey);
          if (twin) return this.duplicate(twin);
        }
        if (error instanceof AppError)
          this.metrics.recordBusinessOperation('order.create', 'rejected');
        throw error;
      }
    }
  }

  /** An order for its owner, or for an admin; anyone else gets the same 404 as a missing order. */
  async findForCaller(id: string, caller: AuthUser): Promise<OrderView> {
    const order = await this.load(id);
    const isAdmin = caller.roles.some((r) => ADMIN_ROLES.includes(r));
    if (!order || (order.customerId !== caller.id && !isAdmin)) throw orderNotFound(id);
    return order;
  }

  async get(id: string): Promise<OrderView> {
    const order = await this.load(id);
    if (!order) throw orderNotFound(id);
    return order;
  }

  /** The status of each of `ids` that is an order; ids with no order are left out. */
  async statuses(ids: readonly string[]): Promise<{ id: string; status: OrderStatus }[]> {
    return this.dataSource.query<{ id: string; status: OrderStatus }[]>(
      `select id, status from orders where id = any($1::uuid[]) order by id`,
      [[...new Set(ids.map((id) => id.toLowerCase()))]],
    );
  }

  /** The customer's orders, newest first. */
  async list(
    customerId: string,
    page: number,
    limit: number,
  ): Promise<{ items: OrderView[]; total: number; page: number; limit: number }> {
    const [count] = await this.dataSource.query<{ total: string }[]>(
      `select count(*) as total from orders where customer_id = $1`,
      [customerId],
    );
    const rows = await this.dataSource.query<OrderRow[]>(
      `select ${ORDER_COLUMNS} from orders where customer_id = $1
        order by created_at desc, id desc limit $2 offset $3`,
      [customerId, limit, (page - 1) * limit],
    );
    const items = await this.hydrate(rows);
    return { items, total: Number(count?.total ?? 0), page, limit };
  }

  /**
   * Any customer's orders for operators, filtered by status, customer email, customer or id, by
   * creation time (oldest first for the review queue), with the customer's email and, while in
   * review, when the review times out.
   */
  async search(
    filter: AdminOrderFilter,
  ): Promise<{ items: AdminOrderView[]; total: number; page: number; limit: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.status) add((n) => `status = ${n}`, filter.status);
    if (filter.email) add((n) => `lower(customer_email) = lower(${n})`, filter.email);
    if (filter.customerId) add((n) => `customer_id = ${n}`, filter.customerId);
    if (filter.id) add((n) => `id = ${n}`, filter.id.toLowerCase());
    if (filter.ids) add((n) => `id = any(${n}::uuid[])`, filter.ids);
    const condition = where.length > 0 ? `where ${where.join(' and ')}` : '';
    const direction = filter.sort === 'oldest' ? 'asc' : 'desc';
    const [count] = await this.dataSource.query<{ total: string }[]>(
      `select count(*) as total from orders ${condition}`,
      params,
    );
    const rows = await this.dataSource.query<(OrderRow & { customerEmail: string | null })[]>(
      `select ${ORDER_COLUMNS}, customer_email as "customerEmail" from orders ${condition}
        order by created_at ${direction}, id ${direction}
        limit $${params.length + 1} offset $${params.length + 2}`,
      [...params, filter.limit, (filter.page - 1) * filter.limit],
    );
    const orders = await this.hydrate(rows);
    const items = orders.map((order, index): AdminOrderView => {
      const entered =
        order.status === OrderStatus.AWAITING_APPROVAL
          ? order.timeline.findLast((entry) => entry.to === OrderStatus.AWAITING_APPROVAL)
          : undefined;
      return {
        ...order,
        customerEmail: rows[index]?.customerEmail ?? null,
        ...(entered
          ? {
              reviewDeadline: new Date(
                Date.parse(entered.at) + filter.reviewTimeoutMs,
              ).toISOString(),
            }
          : {}),
      };
    });
    return { items, total: Number(count?.total ?? 0), page: filter.page, limit: filter.limit };
  }

  /**
   * Moves an order to `to` if the machine allows it from its current status: a guarded
   * `UPDATE ... WHERE status = <expected>` and the history row in one transaction. Already in `to`:
   * a no-op (a retried activity). Otherwise 409 ILLEGAL_TRANSITION naming the current status.
   */
  async transition(
    id: string,
    to: OrderStatus,
    options: TransitionOptions,
  ): Promise<{ order: OrderView; changed: boolean }> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ status: OrderStatus }[]>(
        `select status from orders where id = $1`,
        [id],
      );
      if (!row) throw orderNotFound(id);
      const decision = decideTransition(row.status, to);
      if (decision.kind === 'noop') return false;
      if (decision.kind === 'illegal') throw illegalTransition(id, row.status, to);
      const failureReason =
        to === OrderStatus.FAILED || to === OrderStatus.CANCELLED ? (options.reason ?? to) : null;
      const updated = await manager.query<{ status: OrderStatus }[]>(
        // The guard is `status = <expected>`; a CTE so TypeORM returns the rows of the UPDATE.
        `with moved as (
           update orders set status = $3, failure_reason = coalesce($4, failure_reason), updated_at = now()
            where id = $1 and status = $2 returning status)
         select * from moved`,
        [id, decision.from, to, failureReason],
      );
      if (updated.length === 0) {
        // Someone else moved it between our read and our update: judge again from what it is now.
        const [now] = await manager.query<{ status: OrderStatus }[]>(
          `select status from orders where id = $1`,
          [id],
        );
        if (now?.status === to) return false;
        throw illegalTransition(id, now?.status ?? row.status, to);
      }
      await insertHistory(manager, id, decision.from, to, options.reason ?? null, options.actor);
      return true;
    });
    this.metrics.recordBusinessOperation(
      `order.transition.${to.toLowerCase()}`,
      changed ? 'applied' : 'noop',
    );
    if (changed) this.changes.changed(id);
    return { order: (await this.load(id))!, changed };
  }

  async load(
    id: string,
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<OrderView | null> {
    const rows = await manager.query<OrderRow[]>(
      `select ${ORDER_COLUMNS} from orders where id = $1`,
      [id],
    );
    const [order] = await this.hydrate(rows, manager);
    return order ?? null;
  }

  private async findByKey(
    customerId: string,
    idempotencyKey: string,
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<string | null> {
    const [row] = await manager.query<{ id: string }[]>(
      `select id from orders where customer_id = $1 and idempotency_key = $2`,
      [customerId, idempotencyKey],
    );
    return row?.id ?? null;
  }

  private async duplicate(id: string): Promise<{ order: OrderView; created: boolean }> {
    this.metrics.recordBusinessOperation('order.create', 'duplicate');
    return { order: (await this.load(id))!, created: false };
  }

  private async hydrate(
    rows: OrderRow[],
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<OrderView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const items = await manager.query<
      {
        orderId: string;
        productId: string;
        sku: string;
        name: string;
        unitPrice: string;
        quantity: number;
        lineTotal: string;
      }[]
    >(
      `select order_id as "orderId", product_id as "productId", sku, name, unit_price as "unitPrice",
              quantity, line_total as "lineTotal"
         from order_items where order_id = any($1::uuid[]) order by order_id, position`,
      [ids],
    );
    const history = await manager.query<
      {
        orderId: string;
        from: OrderStatus | null;
        to: OrderStatus;
        reason: string | null;
        actor: string;
        at: Date;
      }[]
    >(
      `select order_id as "orderId", from_status as "from", to_status as "to", reason, actor, at
         from order_history where order_id = any($1::uuid[]) order by order_id, id`,
      [ids],
    );
    return rows.map((row) => ({
      id: row.id,
      customerId: row.customerId,
      status: row.status,
      items: items
        .filter((i) => i.orderId === row.id)
        .map((i) => ({
          productId: i.productId,
          sku: i.sku,
          name: i.name,
          unitPrice: Number(i.unitPrice),
          quantity: i.quantity,
          lineTotal: Number(i.lineTotal),
        })),
      total: Number(row.total),
      currency: row.currency,
      shippingAddress: row.shippingAddress,
      paymentMethodId: row.paymentMethodId,
      timeline: history
        .filter((h) => h.orderId === row.id)
        .map((h) => ({
          from: h.from,
          to: h.to,
          reason: h.reason,
          actor: h.actor,
          at: h.at.toISOString(),
        })),
      ...(row.failureReason !== null ? { failureReason: row.failureReason } : {}),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }));
  }
}

function insertHistory(
  manager: EntityManager,
  orderId: string,
  from: OrderStatus | null,
  to: OrderStatus,
  reason: string | null,
  actor: string,
): Promise<unknown> {
  return manager.query(
    `insert into order_history (order_id, from_status, to_status, reason, actor) values ($1, $2, $3, $4, $5)`,
    [orderId, from, to, reason, actor],
  );
}

export function illegalTransition(id: string, current: OrderStatus, to: OrderStatus): AppError {
  return new AppError({
    status: 409,
    code: 'ILLEGAL_TRANSITION',
    message: describeIllegal(current, to),
    details: [{ orderId: id, currentStatus: current, requestedStatus: to }],
  });
}

function sameLines(
  a: readonly { productId: string; quantity: number }[],
  b: readonly { productId: string; quantity: number }[],
): boolean {
  return (
    a.length === b.length &&
    a.every((line, i) => line.productId === b[i]?.productId && line.quantity === b[i]?.quantity)
  );
}

function normaliseAddress(address: ShippingAddress): ShippingAddress {
  return {
    name: address.name.trim(),
    line1: address.line1.trim(),
    ...(address.line2?.trim() ? { line2: address.line2.trim() } : {}),
    city: address.city.trim(),
    postalCode: address.postalCode.trim(),
    country: address.country,
  };
}

/** 409 when the customer already has `max` unfinished orders that need review. */
async function refuseBeyondPendingReviews(
  manager: EntityManager,
  customerId: string,
  limit: { threshold: number; max: number },
): Promise<void> {
  const [row] = await manager.query<{ pending: number }[]>(
    `select count(*)::int as pending from orders
      where customer_id = $1 and total >= $2
        and status not in ('COMPLETED', 'CANCELLED', 'FAILED')`,
    [customerId, limit.threshold],
  );
  const pending = row?.pending ?? 0;
  if (pending >= limit.max) {
    throw new AppError({
      status: 409,
      code: 'TOO_MANY_PENDING_REVIEWS',
      message: `You already have ${pending} orders waiting for review (at most ${limit.max}); wait for one to be decided`,
      details: [{ pending, max: limit.max }],
    });
  }
}
