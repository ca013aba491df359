import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analytics read model: the events already applied (so a repeat counts once) and daily
 * aggregates, one row per UTC day and key, added to in the same transaction as the applied event.
 * Money is integer minor units per currency.
 */
export class CreateAnalyticsSchema1767484800000 implements MigrationInterface {
  name = 'CreateAnalyticsSchema1767484800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table analytics_applied_events (
        event_id text primary key,
        type text not null,
        occurred_at timestamptz not null,
        applied_at timestamptz not null default now()
      )`);
    await q.query(`
      create table analytics_daily_orders (
        day date not null,
        status text not null check (status in ('COMPLETED', 'CANCELLED', 'FAILED')),
        orders bigint not null default 0,
        primary key (day, status)
      )`);
    await q.query(`
      create table analytics_daily_revenue (
        day date not null,
        currency char(3) not null,
        amount bigint not null default 0,
        orders bigint not null default 0,
        primary key (day, currency)
      )`);
    await q.query(`
      create table analytics_daily_product_sales (
        day date not null,
        product_id text not null,
        currency char(3) not null,
        units bigint not null default 0,
        revenue bigint not null default 0,
        primary key (day, product_id, currency)
      )`);
    await q.query(`
      create table analytics_daily_funnel (
        day date primary key,
        carts bigint not null default 0,
        checkouts bigint not null default 0,
        paid bigint not null default 0
      )`);
    await q.query(`
      create table analytics_daily_product_views (
        day date not null,
        product_id text not null,
        views bigint not null default 0,
        primary key (day, product_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table analytics_daily_product_views');
    await q.query('drop table analytics_daily_funnel');
    await q.query('drop table analytics_daily_product_sales');
    await q.query('drop table analytics_daily_revenue');
    await q.query('drop table analytics_daily_orders');
    await q.query('drop table analytics_applied_events');
  }
}
