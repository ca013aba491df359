import PDFDocument from 'pdfkit';
import { formatMoney } from '../common/money';
import type { InvoiceLine } from './invoice.entity';

/** What an invoice shows. */
export interface InvoiceDocument {
  number: string;
  issuedAt: Date;
  orderId: string;
  customerId: string;
  paymentId: string;
  currency: string;
  amount: number;
  lines: InvoiceLine[];
  seller: string;
}

export const SELLER_NAME = 'Commerce Ltd.';

const date = (at: Date) => at.toISOString().slice(0, 10);

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A self-contained HTML page (no scripts, no external resources). */
export function renderInvoiceHtml(invoice: InvoiceDocument): string {
  const e = escapeHtml;
  const rows = invoice.lines
    .map(
      (line) =>
        `<tr><td>${e(line.description)}</td><td class="n">${line.quantity}</td>` +
        `<td class="n">${e(formatMoney(line.unitAmount, invoice.currency))}</td>` +
        `<td class="n">${e(formatMoney(line.amount, invoice.currency))}</td></tr>`,
    )
    .join('\n        ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Invoice ${e(invoice.number)}</title>
    <style>
      body { font-family: Helvetica, Arial, sans-serif; margin: 2rem; color: #222; }
      table { border-collapse: collapse; width: 100%; margin-top: 1.5rem; }
      th, td { border-bottom: 1px solid #ddd; padding: 0.4rem; text-align: left; }
      .n { text-align: right; }
      tfoot td { font-weight: bold; border-bottom: none; }
      dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
      dt { color: #666; }
    </style>
  </head>
  <body>
    <h1>Invoice ${e(invoice.number)}</h1>
    <p>${e(invoice.seller)}</p>
    <dl>
      <dt>Date</dt><dd>${date(invoice.issuedAt)}</dd>
      <dt>Order</dt><dd>${e(invoice.orderId)}</dd>
      <dt>Customer</dt><dd>${e(invoice.customerId)}</dd>
      <dt>Payment</dt><dd>${e(invoice.paymentId)}</dd>
    </dl>
    <table>
      <thead>
        <tr><th>Description</th><th class="n">Qty</th><th class="n">Unit price</th><th class="n">Amount</th></tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
      <tfoot>
        <tr><td colspan="3">Total paid</td><td class="n">${e(formatMoney(invoice.amount, invoice.currency))}</td></tr>
      </tfoot>
    </table>
  </body>
</html>
`;
}

/** The same invoice as a one-page A4 PDF. */
export function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: `Invoice ${invoice.number}`, Author: invoice.seller },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.fontSize(20).text(`Invoice ${invoice.number}`);
    doc.moveDown(0.5).fontSize(11).text(invoice.seller);
    doc.moveDown();
    const facts: [string, string][] = [
      ['Date', date(invoice.issuedAt)],
      ['Order', invoice.orderId],
      ['Customer', invoice.customerId],
      ['Payment', invoice.paymentId],
    ];
    for (const [label, value] of facts) doc.fontSize(10).text(`${label}: ${value}`);
    doc.moveDown();

    const columns = { description: 50, quantity: 330, unit: 380, amount: 470 };
    const row = (cells: [string, string, string, string], bold = false) => {
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
      doc.text(cells[0], columns.description, y, { width: 270 });
      const after = doc.y;
      doc.text(cells[1], columns.quantity, y, { width: 40, align: 'right' });
      doc.text(cells[2], columns.unit, y, { width: 80, align: 'right' });
      doc.text(cells[3], columns.amount, y, { width: 75, align: 'right' });
      doc.y = Math.max(after, doc.y) + 4;
    };
    row(['Description', 'Qty', 'Unit price', 'Amount'], true);
    for (const line of invoice.lines) {
      row([
        line.description,
        String(line.quantity),
        formatMoney(line.unitAmount, invoice.currency),
        formatMoney(line.amount, invoice.currency),
      ]);
    }
    doc.moveDown(0.5);
    row(['Total paid', '', '', formatMoney(invoice.amount, invoice.currency)], true);
    doc.end();
  });
}
