import type { PaymentFailureCode, PaymentStatus } from '@commerce/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { minorUnits } from '../common/columns';

/** One payment per order (`order_id` is unique); see the migration for the constraints. */
@Entity({ name: 'payments' })
export class PaymentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ type: 'bigint', transformer: minorUnits })
  amount!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** The adapter that served it: `stripe` or `test`. */
  @Column({ type: 'text' })
  provider!: string;

  @Column({ name: 'payment_method_id', type: 'text' })
  paymentMethodId!: string;

  /** false: authorised only at charge time; the checkout captures it later. */
  @Column({ type: 'boolean', default: true })
  capture!: boolean;

  @Column({ name: 'provider_payment_id', type: 'text', nullable: true })
  providerPaymentId!: string | null;

  @Column({ type: 'text' })
  status!: PaymentStatus;

  @Column({ name: 'failure_code', type: 'text', nullable: true })
  failureCode!: PaymentFailureCode | null;

  @Column({ name: 'failure_message', type: 'text', nullable: true })
  failureMessage!: string | null;

  @Column({ name: 'refunded_amount', type: 'bigint', transformer: minorUnits, default: 0 })
  refundedAmount!: number;

  /** Provider calls started for the charge (retries after transient failures included). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Set while one caller talks to the provider for this PENDING payment. */
  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken!: string | null;

  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export type RefundKind = 'REFUND' | 'VOID' | 'NOTHING';

/** A refund request's outcome, one per idempotency key. */
@Entity({ name: 'refunds' })
export class RefundEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ type: 'bigint', transformer: minorUnits })
  amount!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'text' })
  status!: 'SUCCEEDED' | 'FAILED';

  /** REFUND: money given back; VOID: the uncaptured payment was cancelled; NOTHING: nothing to give back. */
  @Column({ type: 'text' })
  kind!: RefundKind;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'provider_refund_id', type: 'text', nullable: true })
  providerRefundId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
