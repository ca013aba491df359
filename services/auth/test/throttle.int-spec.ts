import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthTestEnvironment,
  type RunningAuth,
  SERVICE_SECRET,
  errorShape,
} from './support/auth-app';

// Brute-force protection against the real Redis: LOGIN_MAX_FAILURES_PER_ACCOUNT_IP=3, a 2 s lockout.
describe('auth service: login throttling', () => {
  const env = new AuthTestEnvironment();
  let auth: RunningAuth;

  beforeAll(async () => {
    await env.setUp();
    auth = await env.start({ LOGIN_MAX_FAILURES_PER_IP: '6' });
    for (const name of ['locked', 'reset', 'ip1', 'ip2', 'ip3', 'ip4', 'other']) {
      expect((await auth.register(`${name}@example.com`)).status).toBe(201);
    }
  });
  afterAll(() => env.tearDown());

  it('locks an account after N failures with 429 and Retry-After, then releases it', async () => {
    const ip = '203.0.113.1';
    for (let i = 0; i < 3; i += 1) {
      expect((await auth.login('locked@example.com', 'Wrong-password-1', ip)).status).toBe(401);
    }
    // Even the right password is refused while locked, so guesses cannot be confirmed.
    const locked = await auth.login('locked@example.com', 'Password-123', ip);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject(errorShape(429, 'TOO_MANY_ATTEMPTS'));
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    // Another account from the same address is not affected.
    expect((await auth.login('other@example.com', 'Password-123', ip)).status).toBe(200);

    await sleep(retryAfter * 1000 + 100);
    expect((await auth.login('locked@example.com', 'Password-123', ip)).status).toBe(200);
  });

  it('resets the account counter after a successful login', async () => {
    const ip = '203.0.113.2';
    for (let i = 0; i < 2; i += 1) {
      expect((await auth.login('reset@example.com', 'Wrong-password-1', ip)).status).toBe(401);
    }
    expect((await auth.login('reset@example.com', 'Password-123', ip)).status).toBe(200);
    // Without the reset the third failure would have locked the account.
    for (let i = 0; i < 3; i += 1) {
      expect((await auth.login('reset@example.com', 'Wrong-password-1', ip)).status).toBe(401);
    }
    expect((await auth.login('reset@example.com', 'Password-123', ip)).status).toBe(429);
  });

  it('limits one client address (X-Forwarded-For from the trusted gateway) across accounts', async () => {
    const ip = '198.51.100.7';
    const emails = ['ip1', 'ip2', 'ip3', 'ip4'].map((n) => `${n}@example.com`);
    // 6 failures from one address, at most 2 per account: no account reaches its own limit.
    for (const email of [...emails, ...emails].slice(0, 6)) {
      expect((await auth.login(email, 'Wrong-password-1', ip)).status).toBe(401);
    }
    const blocked = await auth.login('ip4@example.com', 'Password-123', ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The same account from another address is fine: it was the address that got locked.
    expect((await auth.login('ip4@example.com', 'Password-123', '198.51.100.8')).status).toBe(200);
  });

  it('never locks a service account: wrong secrets throttle the address that sent them', async () => {
    const attempt = (clientSecret: string, ip: string) =>
      auth.request('POST', '/auth/token', {
        body: { clientId: 'activities', clientSecret },
        headers: { 'x-forwarded-for': ip },
      });
    // LOGIN_MAX_FAILURES_PER_IP=6: the seventh attempt from the guesser's address is refused.
    for (let i = 0; i < 6; i += 1) {
      expect((await attempt('wrong-secret-123456', '192.0.2.50')).status).toBe(401);
    }
    const limited = await attempt(SERVICE_SECRET, '192.0.2.50');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^[12]$/);
    // The real caller, from its own address, still gets its token.
    expect((await attempt(SERVICE_SECRET, '192.0.2.51')).status).toBe(200);
  });

  it('locks only the (account, address) pair: the owner elsewhere signs in', async () => {
    expect((await auth.register('owner@example.com')).status).toBe(201);
    for (let i = 0; i < 3; i += 1) {
      expect((await auth.login('owner@example.com', 'Wrong-password-1', '192.0.2.60')).status).toBe(
        401,
      );
    }
    expect((await auth.login('owner@example.com', 'Password-123', '192.0.2.60')).status).toBe(429);
    expect((await auth.login('owner@example.com', 'Password-123', '192.0.2.61')).status).toBe(200);
  });

  it('ignores X-Forwarded-For from peers TRUST_PROXY does not name', async () => {
    const strict = await env.start({ TRUST_PROXY: 'false', LOGIN_MAX_FAILURES_PER_IP: '2' });
    for (const name of ['strict1', 'strict2', 'strict3']) {
      expect((await strict.register(`${name}@example.com`)).status).toBe(201);
    }
    // Three accounts, one failure each, each from a different claimed address; but all really
    // come from 127.0.0.1, whose limit of 2 the third attempt crosses.
    const fail = (name: string, ip: string) =>
      strict.login(`${name}@example.com`, 'Wrong-password-1', ip);
    expect((await fail('strict1', '192.0.2.1')).status).toBe(401);
    expect((await fail('strict2', '192.0.2.2')).status).toBe(401);
    expect((await fail('strict3', '192.0.2.3')).status).toBe(429);
  });
});

describe('auth service with Redis unreachable', () => {
  const env = new AuthTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('fails closed with 503s, never a 500, and reports not ready', async () => {
    // Port 1 on loopback: connections are refused at once.
    const auth = await env.start({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect((await auth.register('down@example.com')).status).toBe(201);

    // No attempt counting without Redis, so no password checks either.
    const login = await auth.login('down@example.com');
    expect(login.status).toBe(503);
    expect(login.body).toEqual(errorShape(503, 'SERVICE_UNAVAILABLE'));

    // A valid token cannot be checked against the revocation list.
    const healthy = await env.start();
    const token = (await healthy.login('down@example.com')).body.accessToken;
    const me = await auth.request('GET', '/auth/me', { token });
    expect(me.status).toBe(503);
    expect(me.body).toEqual(errorShape(503, 'AUTH_UNAVAILABLE'));

    const health = await auth.request('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
  });
});
