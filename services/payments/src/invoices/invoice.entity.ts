import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { minorUnits } from '../common/columns';

export interface InvoiceLine {
  description: string;
  quantity: number;
  /** Minor units. */
  unitAmount: number;
  /** Minor units. */
  amount: number;
}

/** Issued once per payment, when it is captured, with the next number of the year. */
@Entity({ name: 'invoices' })
export class InvoiceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** `INV-2026-000001` */
  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ type: 'bigint', transformer: minorUnits })
  amount!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'jsonb' })
  lines!: InvoiceLine[];

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;
}
