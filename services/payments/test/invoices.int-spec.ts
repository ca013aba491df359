import { randomUUID } from 'node:crypto';
import { type Payment, PaymentsTestEnvironment, errorShape } from './support/payments-app';

interface Page {
  items: Payment[];
  total: number;
  page: number;
  limit: number;
}

describe('invoices and the public payment routes', () => {
  const env = new PaymentsTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('numbers invoices without gaps or duplicates under concurrent captures', async () => {
    const before = await env.sql.query<{ sequence: number }>(
      'select coalesce(max(sequence), 0) as sequence from invoices',
    );
    const start = Number(before.rows[0]?.sequence ?? 0);
    const results = await Promise.all(Array.from({ length: 30 }, () => env.charge()));
    expect(results.every((r) => r.status === 201 && r.body.status === 'CAPTURED')).toBe(true);
    const year = new Date().getUTCFullYear();
    const numbers = results.map((r) => r.body.invoiceNumber).sort();
    expect(numbers).toEqual(
      Array.from({ length: 30 }, (_, i) => `INV-${year}-${String(start + i + 1).padStart(6, '0')}`),
    );
    const { rows } = await env.sql.query<{ last_number: number }>(
      'select last_number from invoice_counters where year = $1',
      [year],
    );
    expect(rows[0]?.last_number).toBe(start + 30);
  });

  it('issues no invoice (and takes no number) for declines and 3-D Secure waits', async () => {
    const year = new Date().getUTCFullYear();
    const counter = async () =>
      (
        await env.sql.query<{ last_number: number }>(
          'select last_number from invoice_counters where year = $1',
          [year],
        )
      ).rows[0]?.last_number ?? 0;
    const before = await counter();
    await env.charge({ paymentMethodId: 'pm_card_chargeDeclined' });
    await env.charge({ paymentMethodId: 'pm_card_authenticationRequired' });
    expect(await counter()).toBe(before);
    await env.charge();
    expect(await counter()).toBe(before + 1);
  });

  describe('GET /payments', () => {
    it('shows a customer only their own payments, newest first, page by page', async () => {
      const customer = env.customer();
      const orders: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await env.charge({ customerId: customer.id, amount: 100 * (i + 1) });
        orders.push(res.body.orderId);
      }
      await env.charge(); // someone else's

      const page1 = await env.request<Page>('GET', '/payments?page=1&limit=2', {
        token: customer.token,
      });
      expect(page1.status).toBe(200);
      expect(page1.body).toMatchObject({ total: 3, page: 1, limit: 2 });
      expect(page1.body.items.map((p) => p.orderId)).toEqual([orders[2], orders[1]]);
      expect(page1.body.items[0]).toMatchObject({
        customerId: customer.id,
        status: 'CAPTURED',
        amount: 300,
        currency: 'EUR',
      });
      const page2 = await env.request<Page>('GET', '/payments?page=2&limit=2', {
        token: customer.token,
      });
      expect(page2.body.items.map((p) => p.orderId)).toEqual([orders[0]]);

      const one = await env.request<Page>(`GET`, `/payments?orderId=${orders[1]}`, {
        token: customer.token,
      });
      expect(one.body).toMatchObject({ total: 1, page: 1, limit: 20 });
      const stranger = env.customer();
      const hidden = await env.request<Page>('GET', `/payments?orderId=${orders[1]}`, {
        token: stranger.token,
      });
      expect(hidden.status).toBe(200);
      expect(hidden.body).toMatchObject({ items: [], total: 0 });
    });

    it('shows admins every payment', async () => {
      const res = await env.charge();
      for (const role of ['ADMIN', 'SUPER_ADMIN'] as const) {
        const admin = env.token(randomUUID(), [role]);
        const page = await env.request<Page>('GET', `/payments?orderId=${res.body.orderId}`, {
          token: admin,
        });
        expect(page.status).toBe(200);
        expect(page.body.items.map((p) => p.id)).toEqual([res.body.id]);
        const all = await env.request<Page>('GET', '/payments?limit=100', { token: admin });
        expect(all.body.total).toBeGreaterThan(30);
      }
    });

    it('refuses bad queries, service tokens and anonymous callers', async () => {
      const { token } = env.customer();
      for (const query of ['limit=1000', 'page=0', 'orderId=nope', 'status=CAPTURED']) {
        const res = await env.request('GET', `/payments?${query}`, { token });
        expect(res.status).toBe(400);
      }
      expect((await env.request('GET', '/payments', { token: env.serviceToken() })).status).toBe(
        403,
      );
      expect((await env.request('GET', '/payments')).status).toBe(401);
    });
  });

  describe('GET /invoices/:orderId', () => {
    it('serves the owner a PDF by default and HTML on request', async () => {
      const customer = env.customer();
      const charge = await env.charge({ customerId: customer.id, amount: 4348 });
      const pdf = await fetch(`${env.url}/invoices/${charge.body.orderId}`, {
        headers: { authorization: `Bearer ${customer.token}` },
      });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.headers.get('content-disposition')).toBe(
        `inline; filename="${charge.body.invoiceNumber}.pdf"`,
      );
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');

      const html = await fetch(`${env.url}/invoices/${charge.body.orderId}?format=html`, {
        headers: { authorization: `Bearer ${customer.token}` },
      });
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const text = await html.text();
      expect(text).toContain(charge.body.invoiceNumber!);
      expect(text).toContain('EUR 43.48');
      expect(text).toContain(charge.body.orderId);
      expect(text).toContain(customer.id);
    });

    it("answers 404 for another customer's invoice, and 200 for admins", async () => {
      const owner = env.customer();
      const charge = await env.charge({ customerId: owner.id });
      const stranger = env.customer();
      const hidden = await env.request('GET', `/invoices/${charge.body.orderId}`, {
        token: stranger.token,
      });
      expect(hidden.status).toBe(404);
      expect(hidden.body).toMatchObject(errorShape(404, 'NOT_FOUND'));
      for (const role of ['ADMIN', 'SUPER_ADMIN'] as const) {
        const res = await fetch(`${env.url}/invoices/${charge.body.orderId}`, {
          headers: { authorization: `Bearer ${env.token(randomUUID(), [role])}` },
        });
        expect(res.status).toBe(200);
        expect(
          Buffer.from(await res.arrayBuffer())
            .subarray(0, 4)
            .toString(),
        ).toBe('%PDF');
      }
    });

    it('answers 404 when there is no invoice, and 400 for bad input', async () => {
      const customer = env.customer();
      const declined = await env.charge({
        customerId: customer.id,
        paymentMethodId: 'pm_card_chargeDeclined',
      });
      const none = await env.request('GET', `/invoices/${declined.body.orderId}`, {
        token: customer.token,
      });
      expect(none.status).toBe(404);
      const unknown = await env.request('GET', `/invoices/${randomUUID()}`, {
        token: customer.token,
      });
      expect(unknown.status).toBe(404);
      const badId = await env.request('GET', '/invoices/not-a-uuid', { token: customer.token });
      expect(badId.status).toBe(400);
      const captured = await env.charge({ customerId: customer.id });
      const badFormat = await env.request('GET', `/invoices/${captured.body.orderId}?format=docx`, {
        token: customer.token,
      });
      expect(badFormat.status).toBe(400);
      expect(JSON.stringify(badFormat.body)).toContain('"field":"format"');
    });
  });
});
