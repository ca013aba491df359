import type { MigrationInterface, QueryRunner } from 'typeorm';

const PAYMENT_STATUSES = `'PENDING', 'REQUIRES_ACTION', 'AUTHORIZED', 'CAPTURED', 'FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED'`;

/**
 * Payments (one per order), their refunds, invoices with a gapless number per year, and the
 * provider webhook events already processed. Money is integer minor units.
 */
export class CreatePaymentsSchema1767398400000 implements MigrationInterface {
  name = 'CreatePaymentsSchema1767398400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table payments (
        id uuid primary key default gen_random_uuid(),
        order_id uuid not null,
        customer_id text not null,
        amount bigint not null check (amount > 0),
        currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
        provider text not null,
        payment_method_id text not null,
        provider_payment_id text,
        status text not null check (status in (${PAYMENT_STATUSES})),
        failure_code text,
        failure_message text,
        refunded_amount bigint not null default 0
          check (refunded_amount >= 0 and refunded_amount <= amount),
        attempts integer not null default 0,
        claim_token uuid,
        claimed_until timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query(`create unique index payments_order_id on payments (order_id)`);
    await q.query(
      `create unique index payments_provider_payment_id on payments (provider, provider_payment_id)
        where provider_payment_id is not null`,
    );
    await q.query(
      `create index payments_customer_created_idx on payments (customer_id, created_at desc, id)`,
    );
    await q.query(`create index payments_created_idx on payments (created_at desc, id)`);

    await q.query(`
      create table refunds (
        id uuid primary key default gen_random_uuid(),
        payment_id uuid not null references payments (id),
        order_id uuid not null,
        idempotency_key text not null,
        amount bigint not null check (amount >= 0),
        currency char(3) not null,
        status text not null check (status in ('SUCCEEDED', 'FAILED')),
        kind text not null check (kind in ('REFUND', 'VOID', 'NOTHING')),
        reason text not null,
        provider_refund_id text,
        created_at timestamptz not null default now()
      )`);
    await q.query(`create unique index refunds_idempotency_key on refunds (idempotency_key)`);
    await q.query(`create index refunds_payment_idx on refunds (payment_id, created_at)`);

    await q.query(`
      create table invoice_counters (
        year integer primary key,
        last_number integer not null check (last_number > 0)
      )`);
    await q.query(`
      create table invoices (
        id uuid primary key default gen_random_uuid(),
        number text not null unique,
        year integer not null,
        sequence integer not null check (sequence > 0),
        payment_id uuid not null unique references payments (id),
        order_id uuid not null unique,
        customer_id text not null,
        amount bigint not null check (amount > 0),
        currency char(3) not null,
        lines jsonb not null,
        issued_at timestamptz not null default now(),
        unique (year, sequence)
      )`);

    await q.query(`
      create table webhook_events (
        id text primary key,
        type text not null,
        provider_payment_id text,
        payment_id uuid references payments (id),
        outcome text not null check (outcome in ('APPLIED', 'NOOP', 'IGNORED')),
        hook_event jsonb,
        hook_delivered_at timestamptz,
        hook_attempts integer not null default 0,
        hook_last_error text,
        received_at timestamptz not null default now()
      )`);
    await q.query(
      `create index webhook_events_undelivered_idx on webhook_events (received_at)
        where hook_event is not null and hook_delivered_at is null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table webhook_events');
    await q.query('drop table invoices');
    await q.query('drop table invoice_counters');
    await q.query('drop table refunds');
    await q.query('drop table payments');
  }
}
