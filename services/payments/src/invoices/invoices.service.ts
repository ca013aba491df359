import { type AuthUser, Role } from '@commerce/contracts';
import { AppError, ErrorCode, MetricsService } from '@commerce/nest-kit';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PaymentEntity } from '../payments/payment.entity';
import { InvoiceEntity } from './invoice.entity';
import {
  type InvoiceDocument,
  SELLER_NAME,
  renderInvoiceHtml,
  renderInvoicePdf,
} from './invoice-document';
import { formatInvoiceNumber } from './invoice-number';

const ADMIN_ROLES: readonly Role[] = [Role.ADMIN, Role.SUPER_ADMIN];

export const invoiceNotFound = (orderId: string) =>
  new AppError({
    status: 404,
    code: ErrorCode.NOT_FOUND,
    message: `No invoice for order ${orderId}`,
  });

/**
 * Invoices: one per captured payment, numbered `INV-<year>-<n>` without gaps or duplicates. The
 * year's counter row is incremented in the transaction that records the capture, so a rolled-back
 * capture gives its number back and concurrent captures queue on the counter row.
 */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  /** Issues the payment's invoice inside the caller's transaction (a no-op if it has one). */
  async issue(manager: EntityManager, payment: PaymentEntity): Promise<InvoiceEntity> {
    const existing = await manager.findOneBy(InvoiceEntity, { paymentId: payment.id });
    if (existing) return existing;
    const [counter] = await manager.query<{ year: number; last_number: number }[]>(
      `insert into invoice_counters (year, last_number)
         values (extract(year from (now() at time zone 'UTC'))::int, 1)
       on conflict (year) do update set last_number = invoice_counters.last_number + 1
       returning year, last_number`,
    );
    if (!counter) throw new Error('invoice counter returned no row');
    const invoice = manager.create(InvoiceEntity, {
      number: formatInvoiceNumber(counter.year, counter.last_number),
      year: counter.year,
      sequence: counter.last_number,
      paymentId: payment.id,
      orderId: payment.orderId,
      customerId: payment.customerId,
      amount: payment.amount,
      currency: payment.currency,
      // The charge carries no items: one line for the order's total.
      lines: [
        {
          description: `Order ${payment.orderId}`,
          quantity: 1,
          unitAmount: payment.amount,
          amount: payment.amount,
        },
      ],
      issuedAt: new Date(),
    });
    const saved = await manager.save(invoice);
    this.metrics.recordBusinessOperation('invoice.issue', 'issued');
    return saved;
  }

  /** The order's invoice for its customer or an admin; anyone else gets the same 404. */
  async findForCaller(orderId: string, caller: AuthUser): Promise<InvoiceEntity> {
    const invoice = await this.dataSource.manager.findOneBy(InvoiceEntity, { orderId });
    const isAdmin = caller.roles.some((role) => ADMIN_ROLES.includes(role));
    if (!invoice || (invoice.customerId !== caller.id && !isAdmin)) {
      throw invoiceNotFound(orderId);
    }
    return invoice;
  }

  html(invoice: InvoiceEntity): string {
    return renderInvoiceHtml(toDocument(invoice));
  }

  pdf(invoice: InvoiceEntity): Promise<Buffer> {
    return renderInvoicePdf(toDocument(invoice));
  }
}

function toDocument(invoice: InvoiceEntity): InvoiceDocument {
  return {
    number: invoice.number,
    issuedAt: invoice.issuedAt,
    orderId: invoice.orderId,
    customerId: invoice.customerId,
    paymentId: invoice.paymentId,
    currency: invoice.currency,
    amount: invoice.amount,
    lines: invoice.lines,
    seller: SELLER_NAME,
  };
}
