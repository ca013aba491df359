import { createHmac, timingSafeEqual } from 'node:crypto';

/** Who an unsubscribe link is for. */
export interface UnsubscribeSubject {
  readonly userId: string;
  readonly email: string;
}

const sign = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload, 'utf8').digest('base64url');

/**
 * The token of a campaign email's unsubscribe link: `<payload>.<signature>`, the payload the
 * recipient's user id and address (base64url JSON), the signature an HMAC-SHA256 of it with
 * CAMPAIGN_UNSUBSCRIBE_SECRET. It does not expire: an old newsletter's link must keep working.
 */
export function unsubscribeToken(secret: string, subject: UnsubscribeSubject): string {
  const payload = Buffer.from(
    JSON.stringify({ u: subject.userId, e: subject.email.toLowerCase() }),
  ).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** The subject of a token signed with `secret`, or undefined for anything else. */
export function verifyUnsubscribeToken(
  secret: string,
  token: string,
): UnsubscribeSubject | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { u, e } = parsed as { u?: unknown; e?: unknown };
    if (typeof u !== 'string' || typeof e !== 'string' || !e.includes('@')) return undefined;
    return { userId: u, email: e };
  } catch {
    return undefined;
  }
}

/** The link itself: `<PUBLIC_BASE_URL>/notifications/unsubscribe?token=...`. */
export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/notifications/unsubscribe?token=${token}`;
}
