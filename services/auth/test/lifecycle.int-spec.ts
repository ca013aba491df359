import { revokedJtiKey } from '@commerce/contracts';
import { Client } from 'pg';
import {
  AuthTestEnvironment,
  type RunningAuth,
  type TokenPair,
  claimsOf,
  errorShape,
  headerOf,
} from './support/auth-app';

// Register, login, me, refresh rotation and reuse detection, logout, on the real PostgreSQL and
// Redis, through HTTP.
describe('auth service: accounts and sessions', () => {
  const env = new AuthTestEnvironment();
  let auth: RunningAuth;

  beforeAll(async () => {
    await env.setUp();
    auth = await env.start();
  });
  afterAll(() => env.tearDown());

  const countUsers = async (email: string): Promise<number> => {
    const client = new Client({ connectionString: env.db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        'select count(*) as n from users where email = $1',
        [email],
      );
      return Number(rows[0]?.n);
    } finally {
      await client.end();
    }
  };

  it('registers a customer with a normalised email', async () => {
    const res = await auth.register('  Ada@Example.COM ', 'Password-123', '  Ada Lovelace ');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      roles: ['CUSTOMER'],
    });
    expect(res.body).not.toHaveProperty('passwordHash');
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    const res = await auth.register('ADA@example.com ');
    expect(res.status).toBe(409);
    expect(res.body).toEqual(errorShape(409, 'EMAIL_TAKEN'));
  });

  it('lets exactly one of 10 concurrent registrations of one email succeed', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        auth.register(i % 2 ? 'race@example.com' : 'RACE@example.com'),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(
      Array<string>(9).fill('EMAIL_TAKEN'),
    );
    expect(await countUsers('race@example.com')).toBe(1);
  });

  it.each([
    ['too short', 'Short-1'],
    ['one character class', 'alllowercaseletters'],
    ['the email itself', 'Weak.Pass@example.com'],
  ])(
    'rejects a password that is %s with a 400 naming password, writing nothing',
    async (_n, pw) => {
      const email = 'weak.pass@example.com';
      const res = await auth.register(email, pw);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        ...errorShape(400, 'VALIDATION_FAILED'),
        details: [{ field: 'password', constraints: [expect.stringContaining('password')] }],
      });
      expect(await countUsers(email)).toBe(0);
    },
  );

  it('rejects bad input with a 400 naming the field', async () => {
    const unknown = await auth.request('POST', '/auth/register', {
      body: { email: 'x@example.com', password: 'Password-123', name: 'X', isAdmin: true },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([
      { field: 'isAdmin', constraints: ['property isAdmin should not exist'] },
    ]);
    const wrongType = await auth.request('POST', '/auth/register', {
      body: { email: 'not-an-email', password: 12345678901, name: 'X' },
    });
    expect(wrongType.status).toBe(400);
    expect((wrongType.body.details as { field: string }[]).map((d) => d.field).sort()).toEqual([
      'email',
      'password',
    ]);
    const malformed = await auth.request('POST', '/auth/login', { raw: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    const huge = await auth.request('POST', '/auth/register', {
      body: { email: 'big@example.com', password: 'Password-123', name: 'x'.repeat(8000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await countUsers('x@example.com')).toBe(0);
    expect(await countUsers('big@example.com')).toBe(0);
  });

  it('logs in with ES256 tokens carrying the contract claims', async () => {
    const res = await auth.login('ada@example.com');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresIn: 900,
      tokenType: 'Bearer',
    });
    const header = headerOf(res.body.accessToken);
    expect(header).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    const claims = claimsOf(res.body.accessToken);
    expect(claims).toMatchObject({
      sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      roles: ['CUSTOMER'],
      email: 'ada@example.com',
      iss: 'commerce-auth',
      aud: 'commerce',
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
    const jwks = await auth.request<{ keys: { kid: string }[] }>(
      'GET',
      '/auth/.well-known/jwks.json',
    );
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('cache-control')).toContain('max-age=');
    expect(jwks.body.keys.map((k) => k.kid)).toContain(header.kid);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
  });

  it('answers an unknown email and a wrong password the same way', async () => {
    const unknown = await auth.login('nobody@example.com', 'Password-123', '198.51.100.1');
    const wrong = await auth.login('ada@example.com', 'Wrong-password-1', '198.51.100.1');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect({ ...unknown.body, requestId: '' }).toEqual({ ...wrong.body, requestId: '' });
    expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('returns the account on /auth/me', async () => {
    const login = await auth.login('ada@example.com');
    const me = await auth.request('GET', '/auth/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: claimsOf(login.body.accessToken).sub,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      roles: ['CUSTOMER'],
    });
  });

  describe('refresh rotation', () => {
    let first: TokenPair;

    beforeEach(async () => {
      first = (await auth.login('ada@example.com')).body;
    });

    const refresh = (refreshToken: string) =>
      auth.request<TokenPair & Record<string, unknown>>('POST', '/auth/refresh', {
        body: { refreshToken },
      });

    it('exchanges a refresh token for a new pair, once', async () => {
      const second = await refresh(first.refreshToken);
      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      expect(claimsOf(second.body.accessToken).jti).not.toBe(claimsOf(first.accessToken).jti);
      const me = await auth.request('GET', '/auth/me', { token: second.body.accessToken });
      expect(me.status).toBe(200);
      const third = await refresh(second.body.refreshToken);
      expect(third.status).toBe(200);
    });

    it('revokes the whole family when a used refresh token comes back', async () => {
      const second = (await refresh(first.refreshToken)).body;
      const third = (await refresh(second.refreshToken)).body;

      const reuse = await refresh(first.refreshToken);
      expect(reuse.status).toBe(401);
      expect(reuse.body).toEqual(errorShape(401, 'REFRESH_TOKEN_REUSED'));

      // Every access token of the family is dead, and so is the newest refresh token.
      for (const token of [first.accessToken, second.accessToken, third.accessToken]) {
        const me = await auth.request('GET', '/auth/me', { token });
        expect(me.status).toBe(401);
        expect(me.body.code).toBe('TOKEN_REVOKED');
      }
      const latest = await refresh(third.refreshToken);
      expect(latest.status).toBe(401);
      expect(latest.body.code).toBe('REFRESH_TOKEN_REVOKED');

      // Other sessions of the same user are untouched.
      const other = await auth.login('ada@example.com');
      expect(
        (await auth.request('GET', '/auth/me', { token: other.body.accessToken })).status,
      ).toBe(200);
    });

    it('lets only one of two concurrent refreshes with one token succeed', async () => {
      const [a, b] = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);
      expect([a.status, b.status].sort()).toEqual([200, 401]);
      const loser = a.status === 401 ? a : b;
      expect(loser.body.code).toBe('REFRESH_TOKEN_REUSED');
    });

    it('rejects unknown and expired refresh tokens', async () => {
      const unknown = await refresh('x'.repeat(43));
      expect(unknown.status).toBe(401);
      expect(unknown.body.code).toBe('REFRESH_TOKEN_INVALID');

      const client = new Client({ connectionString: env.db.url });
      await client.connect();
      try {
        await client.query(
          `update refresh_tokens set expires_at = now() - interval '1 second'
            where token_hash = encode(sha256($1::bytea), 'hex')`,
          [first.refreshToken],
        );
      } finally {
        await client.end();
      }
      const expired = await refresh(first.refreshToken);
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('REFRESH_TOKEN_EXPIRED');
    });

    it('rejects a body without a refresh token with 400 naming it', async () => {
      const res = await auth.request('POST', '/auth/refresh', { body: {} });
      expect(res.status).toBe(400);
      expect((res.body.details as { field: string }[])[0]?.field).toBe('refreshToken');
    });
  });

  describe('logout', () => {
    it('revokes the access token until it expires and ends the refresh family', async () => {
      const pair = (await auth.login('ada@example.com')).body;
      const res = await auth.request('POST', '/auth/logout', {
        token: pair.accessToken,
        body: { refreshToken: pair.refreshToken },
      });
      expect(res.status).toBe(204);

      const me = await auth.request('GET', '/auth/me', { token: pair.accessToken });
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('TOKEN_REVOKED');
      const ttl = await env.redis.pttl(revokedJtiKey(String(claimsOf(pair.accessToken).jti)));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(901_000);

      const refresh = await auth.request('POST', '/auth/refresh', {
        body: { refreshToken: pair.refreshToken },
      });
      expect(refresh.status).toBe(401);
      expect(refresh.body.code).toBe('REFRESH_TOKEN_REVOKED');
    });

    it('needs an access token', async () => {
      const res = await auth.request('POST', '/auth/logout', { body: { refreshToken: 'x' } });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TOKEN_MISSING');
    });

    it("refuses another account's refresh token and changes nothing", async () => {
      const mine = (await auth.newUser('mallory@example.com')).tokens;
      const theirs = (await auth.login('ada@example.com')).body;
      const res = await auth.request('POST', '/auth/logout', {
        token: mine.accessToken,
        body: { refreshToken: theirs.refreshToken },
      });
      expect(res.status).toBe(403);
      expect((await auth.request('GET', '/auth/me', { token: mine.accessToken })).status).toBe(200);
      const refresh = await auth.request('POST', '/auth/refresh', {
        body: { refreshToken: theirs.refreshToken },
      });
      expect(refresh.status).toBe(200);
    });
  });

  it('reports health, counts business operations and documents every route', async () => {
    const health = await auth.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });

    const metrics = await fetch(`${auth.url}/metrics`).then((r) => r.text());
    for (const [operation, status] of [
      ['register', 'success'],
      ['register', 'email_taken'],
      ['login', 'success'],
      ['login', 'failure'],
      ['refresh', 'success'],
      ['refresh', 'reuse_detected'],
      ['logout', 'success'],
    ]) {
      expect(metrics).toMatch(
        new RegExp(
          `business_operations_total\\{operation="${operation}",status="${status}",service="auth"\\} [1-9]`,
        ),
      );
    }

    const doc = await auth.request<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/docs-json',
    );
    expect(doc.status).toBe(200);
    const routes = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /auth/register',
        'POST /auth/login',
        'POST /auth/refresh',
        'POST /auth/logout',
        'GET /auth/me',
        'GET /auth/.well-known/jwks.json',
        'POST /auth/token',
        'GET /admin/users',
        'POST /admin/users/{id}/roles',
        'DELETE /admin/users/{id}/roles/{role}',
        'GET /internal/users',
        'GET /health',
      ]),
    );
  });
});
