import type { FastifyRequest } from 'fastify';
import {
  clearedCookies,
  csrfMatches,
  readSession,
  sessionCookies,
  withoutConsoleCookies,
} from './console-cookies';
import { fromOwnOrigin } from './console-origin';

describe('console cookies', () => {
  it('reads the session as csrf and access token, refusing malformed values', () => {
    expect(readSession('a=1; commerce_console=abc.eyJ.x.y')).toEqual({
      csrf: 'abc',
      accessToken: 'eyJ.x.y',
    });
    expect(readSession('commerce_console=noseparator')).toBeUndefined();
    expect(readSession('commerce_console=.token')).toBeUndefined();
    expect(readSession('commerce_console=csrf.')).toBeUndefined();
    expect(readSession(undefined)).toBeUndefined();
  });

  it('matches the CSRF header only when equal to the session’s token', () => {
    const session = { csrf: 'token-1', accessToken: 't' };
    expect(csrfMatches(session, 'token-1')).toBe(true);
    expect(csrfMatches(session, 'token-2')).toBe(false);
    expect(csrfMatches(session, 'token-11')).toBe(false);
    expect(csrfMatches(session, undefined)).toBe(false);
    expect(csrfMatches(session, ['token-1'])).toBe(false);
  });

  it('keeps other cookies and drops the console’s before a request is relayed', () => {
    expect(
      withoutConsoleCookies('a=1; commerce_console=x.y; commerce_console_csrf=x; commerce_board=z'),
    ).toBe('a=1; commerce_board=z');
    expect(withoutConsoleCookies('commerce_console=x.y')).toBe('');
  });

  it('sets HttpOnly session and refresh cookies, a readable CSRF cookie, all SameSite=Strict', () => {
    const [session, csrf, refresh] = sessionCookies({
      session: { csrf: 'c', accessToken: 'a.b.c' },
      refreshToken: 'r',
      secure: true,
    });
    expect(session).toMatch(/^commerce_console=c\.a\.b\.c; .*HttpOnly.*Secure.*SameSite=Strict/);
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/SameSite=Strict/);
    expect(refresh).toMatch(/Path=\/admin\/session.*HttpOnly/);
    expect(clearedCookies(false).every((line) => line.includes('Max-Age=0'))).toBe(true);
  });
});

describe('fromOwnOrigin', () => {
  const request = (headers: Record<string, string>) =>
    ({ headers, protocol: 'http', host: '127.0.0.1:3000' }) as unknown as FastifyRequest;

  it('accepts the gateway’s own origin and requests without browser origin headers', () => {
    expect(fromOwnOrigin(request({}))).toBe(true);
    expect(fromOwnOrigin(request({ origin: 'http://127.0.0.1:3000' }))).toBe(true);
    expect(fromOwnOrigin(request({ 'sec-fetch-site': 'same-origin' }))).toBe(true);
  });

  it('refuses another origin, a null origin and cross-site or same-site fetches', () => {
    expect(fromOwnOrigin(request({ origin: 'http://evil.example' }))).toBe(false);
    expect(fromOwnOrigin(request({ origin: 'http://127.0.0.1:3001' }))).toBe(false);
    expect(fromOwnOrigin(request({ origin: 'null' }))).toBe(false);
    expect(fromOwnOrigin(request({ 'sec-fetch-site': 'cross-site' }))).toBe(false);
    expect(fromOwnOrigin(request({ 'sec-fetch-site': 'same-site' }))).toBe(false);
  });
});
