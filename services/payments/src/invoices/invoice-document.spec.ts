import { type InvoiceDocument, renderInvoiceHtml, renderInvoicePdf } from './invoice-document';

const invoice: InvoiceDocument = {
  number: 'INV-2026-000007',
  issuedAt: new Date('2026-03-04T10:00:00Z'),
  orderId: '5f0c6a4e-3f3b-4a49-9a57-1f7e4b7b2d11',
  customerId: '<script>alert(1)</script>',
  paymentId: 'b3d8f2a0-0000-4000-8000-000000000001',
  currency: 'EUR',
  amount: 4348,
  lines: [{ description: 'Order 5f0c6a4e', quantity: 1, unitAmount: 4348, amount: 4348 }],
  seller: 'Commerce Ltd.',
};

describe('invoice documents', () => {
  it('renders HTML with the number, date, total, and escapes what it shows', () => {
    const html = renderInvoiceHtml(invoice);
    expect(html).toContain('<title>Invoice INV-2026-000007</title>');
    expect(html).toContain('2026-03-04');
    expect(html).toContain('EUR 43.48');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('renders a PDF', async () => {
    const pdf = await renderInvoicePdf(invoice);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
  });
});
