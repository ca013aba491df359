import { createTransport } from 'nodemailer';
import { MailSink, testEndpoints, uniqueName } from '../index';

describe('SMTP sink (real mailpit)', () => {
  const transport = createTransport({ ...testEndpoints.smtp, secure: false });
  const sink = new MailSink();
  afterAll(() => transport.close());

  it('delivers a mail over SMTP that reads back through the HTTP API', async () => {
    const to = `${uniqueName('ada')}@example.test`;
    const info = await transport.sendMail({
      from: 'shop@example.test',
      to,
      subject: 'Your order is confirmed',
      text: 'Order 42 is on its way.',
      html: '<p>Order <b>42</b> is on its way.</p>',
    });
    expect(info.accepted).toEqual([to]);

    const [summary] = await sink.waitFor(`to:"${to}"`);
    const message = await sink.message(summary!.ID);
    expect(message.Subject).toBe('Your order is confirmed');
    expect(message.To.map((r) => r.Address)).toEqual([to]);
    expect(message.Text.trim()).toBe('Order 42 is on its way.');
    expect(message.HTML).toContain('<b>42</b>');
  });
});
