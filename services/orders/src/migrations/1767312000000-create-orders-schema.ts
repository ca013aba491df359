import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'PENDING', 'RESERVING', 'AWAITING_APPROVAL', 'CHARGING', 'CONFIRMING', 'COMPLETED', 'CANCELLED', 'FAILED'`;

/**
 * Cart lines (one per customer and product), orders with their snapshotted items, and the status
 * history (one row per transition, the creation included). Money is integer minor units.
 */
export class CreateOrdersSchema1767312000000 implements MigrationInterface {
  name = 'CreateOrdersSchema1767312000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table cart_items (
        customer_id text not null,
        product_id uuid not null,
        quantity integer not null check (quantity > 0),
        currency char(3) not null,
        added_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (customer_id, product_id)
      )`);
    await q.query(`
      create table orders (
        id uuid primary key default gen_random_uuid(),
        customer_id text not null,
        idempotency_key text not null,
        status text not null check (status in (${STATUSES})),
        currency char(3) not null,
        total bigint not null check (total >= 0),
        shipping_address jsonb not null,
        payment_method_id text not null,
        failure_reason text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query(
      `create unique index orders_customer_idempotency_key on orders (customer_id, idempotency_key)`,
    );
    await q.query(
      `create index orders_customer_created_idx on orders (customer_id, created_at desc, id)`,
    );
    await q.query(`
      create table order_items (
        order_id uuid not null references orders (id) on delete cascade,
        position integer not null,
        product_id uuid not null,
        sku text not null,
        name text not null,
        unit_price bigint not null check (unit_price >= 0),
        quantity integer not null check (quantity > 0),
        line_total bigint not null check (line_total = unit_price * quantity),
        primary key (order_id, position)
      )`);
    await q.query(`
      create table order_history (
        id bigserial primary key,
        order_id uuid not null references orders (id) on delete cascade,
        from_status text check (from_status in (${STATUSES})),
        to_status text not null check (to_status in (${STATUSES})),
        reason text,
        actor text not null,
        at timestamptz not null default clock_timestamp()
      )`);
    await q.query(`create index order_history_order_idx on order_history (order_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table order_history');
    await q.query('drop table order_items');
    await q.query('drop table orders');
    await q.query('drop table cart_items');
  }
}
