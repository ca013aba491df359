import { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from './unsubscribe-token';

describe('unsubscribe tokens', () => {
  const subject = { userId: '5f0c1a52-3c55-4d6e-9a43-6f1f3ad1f5d1', email: 'Ada@Example.com' };

  it('round-trips the user and the lower-cased address', () => {
    const token = unsubscribeToken('secret-one-0123456789', subject);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken('secret-one-0123456789', token)).toEqual({
      userId: subject.userId,
      email: 'ada@example.com',
    });
  });

  it('refuses another secret, a changed payload and garbage', () => {
    const token = unsubscribeToken('secret-one-0123456789', subject);
    expect(verifyUnsubscribeToken('secret-two-0123456789', token)).toBeUndefined();
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'x', e: 'eve@example.com' })).toString(
      'base64url',
    );
    expect(verifyUnsubscribeToken('secret-one-0123456789', `${forged}.${signature}`)).toBe(
      undefined,
    );
    expect(verifyUnsubscribeToken('secret-one-0123456789', 'nope')).toBeUndefined();
    expect(verifyUnsubscribeToken('secret-one-0123456789', `${token}.x`)).toBeUndefined();
  });

  it('builds the link under the public base URL', () => {
    expect(unsubscribeUrl('http://shop.test/api/', 'a.b')).toBe(
      'http://shop.test/api/notifications/unsubscribe?token=a.b',
    );
  });
});
