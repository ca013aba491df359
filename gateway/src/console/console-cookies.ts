import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'cookie';

/** The console's session: `<csrf>.<access token>`, HttpOnly, sent with the console's API calls. */
export const SESSION_COOKIE = 'commerce_console';
/** The same CSRF token, readable by the console's scripts, which echo it in CSRF_HEADER. */
export const CSRF_COOKIE = 'commerce_console_csrf';
/** The refresh token, HttpOnly, sent only to the session routes. */
export const REFRESH_COOKIE = 'commerce_console_refresh';
export const CSRF_HEADER = 'x-csrf-token';

/** Where the session routes live (outside /api: they are the gateway's own, not a service's). */
export const SESSION_PATH = '/admin/session';
/** The longest a console session lasts without signing in again, whatever the refresh token says. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export interface ConsoleSession {
  readonly csrf: string;
  readonly accessToken: string;
}

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

export function readCookies(header: string | undefined): Record<string, string | undefined> {
  return header ? parse(header) : {};
}

/** The session carried by the request's cookies, if it is well formed. */
export function readSession(cookieHeader: string | undefined): ConsoleSession | undefined {
  const raw = readCookies(cookieHeader)[SESSION_COOKIE];
  if (!raw) return undefined;
  const dot = raw.indexOf('.');
  if (dot < 1 || dot === raw.length - 1) return undefined;
  return { csrf: raw.slice(0, dot), accessToken: raw.slice(dot + 1) };
}

/** Constant-time comparison of the header's token with the session's. */
export function csrfMatches(session: ConsoleSession, header: unknown): boolean {
  if (typeof header !== 'string' || header.length === 0) return false;
  const expected = Buffer.from(session.csrf);
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The request's cookie header without the console's own cookies (they never reach a service). */
export function withoutConsoleCookies(cookieHeader: string): string {
  return cookieHeader
    .split(';')
    .map((part) => part.trim())
    .filter((part) => {
      const name = part.split('=')[0]?.trim();
      return part.length > 0 && name !== SESSION_COOKIE && name !== CSRF_COOKIE;
    })
    .join('; ');
}

export interface SessionCookieInput {
  readonly session: ConsoleSession;
  readonly refreshToken: string;
  readonly secure: boolean;
}

/**
 * Set-Cookie values that open (or renew) a session. All SameSite=Strict; the session and refresh
 * cookies are HttpOnly, so no script (the console's own included) ever sees a token. The session
 * cookie outlives its access token, so an expired token is answered with TOKEN_EXPIRED (the
 * console then refreshes) rather than TOKEN_MISSING.
 */
export function sessionCookies(input: SessionCookieInput): string[] {
  const base = { sameSite: 'strict' as const, secure: input.secure };
  const lifetime = SESSION_MAX_AGE_SECONDS;
  return [
    serialize(SESSION_COOKIE, `${input.session.csrf}.${input.session.accessToken}`, {
      ...base,
      httpOnly: true,
      path: '/',
      maxAge: lifetime,
    }),
    serialize(CSRF_COOKIE, input.session.csrf, { ...base, path: '/', maxAge: lifetime }),
    serialize(REFRESH_COOKIE, input.refreshToken, {
      ...base,
      httpOnly: true,
      path: SESSION_PATH,
      maxAge: lifetime,
    }),
  ];
}

/** Set-Cookie values that end the session. */
export function clearedCookies(secure: boolean): string[] {
  const base = { sameSite: 'strict' as const, secure, maxAge: 0 };
  return [
    serialize(SESSION_COOKIE, '', { ...base, httpOnly: true, path: '/' }),
    serialize(CSRF_COOKIE, '', { ...base, path: '/' }),
    serialize(REFRESH_COOKIE, '', { ...base, httpOnly: true, path: SESSION_PATH }),
  ];
}
