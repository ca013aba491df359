import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authorise now, capture later (the checkout authorises before review): whether a payment's
 * charge captured at once. Existing rows were all charged with automatic capture.
 */
export class PaymentCapture1767484800000 implements MigrationInterface {
  name = 'PaymentCapture1767484800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table payments add column capture boolean not null default true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table payments drop column capture`);
  }
}
