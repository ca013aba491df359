import { composeMail, messageIdFor } from './mail-message';

describe('mail message', () => {
  const notification = {
    _id: '6f1c1c8e-0b6c-4b8e-8d7e-3b1f1a2c9d10',
    to: 'ada@example.com',
    subject: 'Your order A-1 is confirmed – danke',
    text: 'Total: €49.98\n',
    html: '<p>Total: €49.98</p>',
    createdAt: new Date('2026-01-02T03:04:05Z'),
  };

  it('derives the Message-ID from the notification id and the sender domain', () => {
    expect(messageIdFor(notification._id, 'Shop <no-reply@shop.example>')).toBe(
      '<6f1c1c8e-0b6c-4b8e-8d7e-3b1f1a2c9d10@shop.example>',
    );
    expect(messageIdFor('n1', 'bare@mail.example')).toBe('<n1@mail.example>');
  });

  it('composes the same message for every attempt', async () => {
    const a = await composeMail(notification, 'Shop <no-reply@shop.example>');
    const b = await composeMail(notification, 'Shop <no-reply@shop.example>');
    expect(a.envelope).toEqual({ from: 'no-reply@shop.example', to: ['ada@example.com'] });
    const raw = a.raw.toString('utf8');
    expect(raw).toContain(`Message-ID: <${notification._id}@shop.example>`);
    expect(raw).toContain(`X-Notification-ID: ${notification._id}`);
    expect(raw).toContain('To: ada@example.com');
    expect(raw).toMatch(/Subject: =\?UTF-8\?/);
    // Only the MIME boundaries may differ between two builds.
    const boundaries = (text: string) =>
      text.replace(/--_NmP-[0-9a-f-]+/g, 'BOUNDARY').replace(/boundary="[^"]+"/g, 'boundary');
    expect(boundaries(b.raw.toString('utf8'))).toBe(boundaries(raw));
  });
});
