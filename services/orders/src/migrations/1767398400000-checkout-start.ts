import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What starting an order's checkout needs: the customer's email (where the confirmation goes) and
 * when the checkout workflow was started. A PENDING order without `checkout_started_at` is picked
 * up by the checkout sweeper, so an order is never left without its workflow.
 */
export class CheckoutStart1767398400000 implements MigrationInterface {
  name = 'CheckoutStart1767398400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table orders add column customer_email text`);
    await q.query(`alter table orders add column checkout_started_at timestamptz`);
    await q.query(
      `create index orders_checkout_unstarted_idx on orders (created_at)
        where status = 'PENDING' and checkout_started_at is null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index orders_checkout_unstarted_idx`);
    await q.query(`alter table orders drop column checkout_started_at`);
    await q.query(`alter table orders drop column customer_email`);
  }
}
