import type { PaymentSettledEvent } from '@commerce/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WebhookOutcome = 'APPLIED' | 'NOOP' | 'IGNORED';

/**
 * A provider event already processed (its id is the key, so a redelivery is recognised), with
 * the PaymentSettledEvent it owes the checkout and whether that was delivered. The payload itself
 * is not kept.
 */
@Entity({ name: 'webhook_events' })
export class WebhookEventEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'provider_payment_id', type: 'text', nullable: true })
  providerPaymentId!: string | null;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId!: string | null;

  @Column({ type: 'text' })
  outcome!: WebhookOutcome;

  @Column({ name: 'hook_event', type: 'jsonb', nullable: true })
  hookEvent!: PaymentSettledEvent | null;

  @Column({ name: 'hook_delivered_at', type: 'timestamptz', nullable: true })
  hookDeliveredAt!: Date | null;

  @Column({ name: 'hook_attempts', type: 'integer', default: 0 })
  hookAttempts!: number;

  @Column({ name: 'hook_last_error', type: 'text', nullable: true })
  hookLastError!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
