import { JWT_AUDIENCE, JWT_ISSUER } from '@commerce/contracts';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import { apiClient, startAuthStack, type AuthStack, type Tokens } from '../src';

/** Identity through the public entry: auth service and gateway as separate processes. */
describe('auth through the gateway', () => {
  let stack: AuthStack;
  let call: ReturnType<typeof apiClient>;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    stack = await startAuthStack({
      authEnv: {
        LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: '3',
        LOGIN_FAILURE_WINDOW_SECONDS: '60',
        LOGIN_LOCKOUT_SECONDS: '2',
      },
    });
    call = apiClient(stack.api);
  });
  afterAll(() => stack?.stop());

  const newEmail = () => `e2e-${randomUUID()}@Example.TEST`;

  async function registerAndLogin(email = newEmail()) {
    const reg = await call<{ id: string; roles: string[] }>('POST', '/auth/register', {
      body: { email, password, name: 'Ada Lovelace' },
    });
    expect(reg.status).toBe(201);
    const login = await call<Tokens>('POST', '/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    return { id: reg.body.id, email, tokens: login.body };
  }

  function expectError(
    res: { status: number; body: unknown; headers: Headers },
    status: number,
    code: string,
  ) {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ statusCode: status, code });
    expect((res.body as { requestId: string }).requestId).toBe(res.headers.get('x-request-id'));
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
  }

  it('runs the whole lifecycle: register, login, me, refresh, logout', async () => {
    const email = newEmail();
    const { id, tokens } = await registerAndLogin(email);
    expect(tokens.expiresIn).toBeGreaterThan(0);

    const me = await call('GET', '/auth/me', { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id,
      email: email.toLowerCase(),
      name: 'Ada Lovelace',
      roles: ['CUSTOMER'],
    });

    const refreshed = await call<Tokens>('POST', '/auth/refresh', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(tokens.refreshToken);
    expect((await call('GET', '/auth/me', { token: refreshed.body.accessToken })).status).toBe(200);

    const logout = await call('POST', '/auth/logout', {
      token: refreshed.body.accessToken,
      body: { refreshToken: refreshed.body.refreshToken },
    });
    expect(logout.status).toBe(204);
    expectError(
      await call('GET', '/auth/me', { token: refreshed.body.accessToken }),
      401,
      'TOKEN_REVOKED',
    );
    expect(
      (await call('POST', '/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } }))
        .status,
    ).toBe(401);
  });

  it('refuses every bad token at the edge with 401, never 500', async () => {
    const { id } = await registerAndLogin();
    const claims = { roles: ['CUSTOMER'], email: 'x@example.test' };
    const sign = (key: Parameters<SignJWT['sign']>[0], alg: string, exp: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, kid: stack.signingKid })
        .setSubject(id)
        .setJti(randomUUID())
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE)
        .setIssuedAt(exp - 900)
        .setExpirationTime(exp)
        .sign(key);
    const now = Math.floor(Date.now() / 1000);

    // Sanity: a token signed by the real key with the real claims is accepted.
    expect(
      (await call('GET', '/auth/me', { token: await sign(stack.signingKey, 'ES256', now + 300) }))
        .status,
    ).toBe(200);

    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: id, jti: randomUUID(), iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: now + 300 })}.`;
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

    expectError(await call('GET', '/auth/me'), 401, 'TOKEN_MISSING');
    expectError(await call('GET', '/auth/me', { token: 'not-a-jwt' }), 401, 'TOKEN_INVALID');
    expectError(
      await call('GET', '/auth/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }),
      401,
      'TOKEN_INVALID',
    );
    expectError(
      await call('GET', '/auth/me', { token: await sign(stack.signingKey, 'ES256', now - 60) }),
      401,
      'TOKEN_EXPIRED',
    );
    expectError(
      await call('GET', '/auth/me', { token: await sign(otherKey, 'ES256', now + 300) }),
      401,
      'TOKEN_INVALID',
    );
    expectError(await call('GET', '/auth/me', { token: algNone }), 401, 'TOKEN_INVALID');
  });

  it('revokes the whole family when a used refresh token comes back', async () => {
    const { tokens } = await registerAndLogin();
    const first = await call<Tokens>('POST', '/auth/refresh', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(first.status).toBe(200);

    expectError(
      await call('POST', '/auth/refresh', { body: { refreshToken: tokens.refreshToken } }),
      401,
      'REFRESH_TOKEN_REUSED',
    );
    // The thief's and the owner's newer tokens from that family are dead too.
    expect(
      (await call('POST', '/auth/refresh', { body: { refreshToken: first.body.refreshToken } }))
        .status,
    ).toBe(401);
    expectError(
      await call('GET', '/auth/me', { token: first.body.accessToken }),
      401,
      'TOKEN_REVOKED',
    );
  });

  it('lets only a SUPER_ADMIN grant ADMIN; a customer cannot grant itself anything', async () => {
    const customer = await registerAndLogin();
    const grant = (token: string, role: string) =>
      call('POST', `/admin/users/${customer.id}/roles`, { token, body: { role } });

    expectError(await grant(customer.tokens.accessToken, 'ADMIN'), 403, 'FORBIDDEN');
    expectError(await grant(customer.tokens.accessToken, 'SUPER_ADMIN'), 403, 'FORBIDDEN');
    expect(
      (await call<{ roles: string[] }>('GET', '/auth/me', { token: customer.tokens.accessToken }))
        .body.roles,
    ).toEqual(['CUSTOMER']);

    const root = await call<Tokens>('POST', '/auth/login', { body: stack.superAdmin });
    expect(root.status).toBe(200);
    const granted = await grant(root.body.accessToken, 'ADMIN');
    expect(granted.status).toBe(200);

    // Roles travel in tokens: the next login carries ADMIN.
    const again = await call<Tokens>('POST', '/auth/login', {
      body: { email: customer.email, password },
    });
    const me = await call<{ roles: string[] }>('GET', '/auth/me', {
      token: again.body.accessToken,
    });
    expect(me.body.roles.sort()).toEqual(['ADMIN', 'CUSTOMER']);

    // A fresh ADMIN still cannot make ADMINs.
    const other = await registerAndLogin();
    expectError(
      await call('POST', `/admin/users/${other.id}/roles`, {
        token: again.body.accessToken,
        body: { role: 'ADMIN' },
      }),
      403,
      'ROLE_CHANGE_FORBIDDEN',
    );
  });

  it('locks an account after repeated failures and releases it after the window', async () => {
    const { email } = await registerAndLogin();
    for (let i = 0; i < 3; i++) {
      expectError(
        await call('POST', '/auth/login', { body: { email, password: 'wrong password 123' } }),
        401,
        'INVALID_CREDENTIALS',
      );
    }
    // Locked: even the right password is refused, with a Retry-After.
    const locked = await call('POST', '/auth/login', { body: { email, password } });
    expectError(locked, 429, 'TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);

    await sleep((Number(locked.headers.get('retry-after')) + 0.5) * 1000);
    expect((await call('POST', '/auth/login', { body: { email, password } })).status).toBe(200);
  });

  it('rejects bad input with a 4xx naming the field and writes nothing', async () => {
    const email = newEmail();
    const weak = await call<{ message: string }>('POST', '/auth/register', {
      body: { email, password: 'short', name: 'X' },
    });
    expectError(weak, 400, 'VALIDATION_FAILED');
    expect(weak.body.message).toMatch(/password/);
    const extra = await call<{ message: string }>('POST', '/auth/register', {
      body: { email, password, name: 'X', roles: ['ADMIN'] },
    });
    expectError(extra, 400, 'VALIDATION_FAILED');
    expect(extra.body.message).toMatch(/roles/);
    const malformed = await fetch(`${stack.api}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'MALFORMED_JSON' });
    const huge = await fetch(`${stack.api}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    // Over the auth service's own limit but under the gateway's: the service's 413 must reach the
    // client every time (the gateway drains the unsent rest instead of resetting the connection).
    for (let i = 0; i < 10; i++) {
      const big = await fetch(`${stack.api}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, name: 'x'.repeat(200 * 1024) }),
      });
      expect(big.status).toBe(413);
      expect(await big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
    // None of those created the account.
    expectError(
      await call('POST', '/auth/login', { body: { email, password } }),
      401,
      'INVALID_CREDENTIALS',
    );
    expectError(await call('GET', '/nope'), 404, 'NOT_FOUND');
  });
});
