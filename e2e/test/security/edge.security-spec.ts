import { JWT_AUDIENCE, JWT_ISSUER } from '@commerce/contracts';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { testEndpoints } from '@commerce/testing';
import Redis from 'ioredis';
import { SignJWT } from 'jose';
import {
  type AddressedCall,
  type AuthStack,
  type Tokens,
  clientFrom,
  closeClients,
  startAuthStack,
} from '../../src';

/**
 * The attacks a stranger can run against the public entry, each client from its own loopback
 * address (127.0.0.0/8, bound as the connection's local address). Limits are the production
 * defaults except the per-address request limit, lowered so a flood takes a few hundred requests.
 */
describe('security: attacks on sign-in, tokens and the edge', () => {
  const ADDRESS_LIMIT = 300;
  let stack: AuthStack;
  const password = 'correct horse battery staple';
  let seq = 10;
  /** A client with an address of its own. */
  const stranger = (): AddressedCall => clientFrom(stack.api, `127.0.0.${(seq += 1)}`);

  beforeAll(async () => {
    stack = await startAuthStack({
      // Production sign-in limits: no LOGIN_* overrides. Cheap hashing only.
      gatewayEnv: {
        RATE_LIMIT_ADDRESS_LIMIT: String(ADDRESS_LIMIT),
        RATE_LIMIT_ADDRESS_TTL_MS: '60000',
        RATE_LIMIT_DEFAULT_LIMIT: '600',
        RATE_LIMIT_AUTH_LIMIT: '20',
      },
    });
  });
  afterAll(async () => {
    await closeClients();
    await stack?.stop();
  });

  async function register(call: AddressedCall): Promise<{ id: string; email: string }> {
    const email = `sec-${randomUUID()}@example.test`;
    const res = await call<{ id: string }>('POST', '/auth/register', {
      body: { email, password, name: 'Owner' },
    });
    expect(res.status).toBe(201);
    return { id: res.body.id, email };
  }

  const forge = (kid: string, sub = randomUUID()) => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ roles: ['ADMIN'], jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(sub)
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
  };

  it('keeps a cold key cache usable while forged tokens with random kids flood in', async () => {
    // First thing after the start: the gateway has fetched no JWKS yet.
    const owner = stranger();
    const account = await register(owner);
    const login = await owner<Tokens>('POST', '/auth/login', {
      body: { email: account.email, password },
    });
    expect(login.status).toBe(200);
    const real = login.body.accessToken;
    const attacker = stranger();
    const forged = await Promise.all(Array.from({ length: 60 }, () => forge(randomUUID())));
    const [flood, mine] = await Promise.all([
      Promise.all(forged.map((token) => attacker('GET', '/auth/me', { token }))),
      Promise.all(Array.from({ length: 10 }, () => owner('GET', '/auth/me', { token: real }))),
    ]);
    for (const res of flood) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'TOKEN_INVALID' });
    }
    for (const res of mine) expect(res.status).toBe(200);
    // And after the flood, with the refresh budget spent: real tokens still pass.
    for (const token of forged.slice(0, 20)) await attacker('GET', '/auth/me', { token });
    expect((await owner('GET', '/auth/me', { token: real })).status).toBe(200);
  });

  it('stops a password guesser with 429 + Retry-After while the owner signs in from elsewhere', async () => {
    const owner = stranger();
    const account = await register(owner);
    const guesser = stranger();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<AddressedCall>> | undefined;
    for (let i = 0; i < 10 && !limited; i += 1) {
      const res = await guesser('POST', '/auth/login', {
        body: { email: account.email, password: `Wrong-guess-${i}!` },
        // Its own X-Forwarded-For is never believed: it names the owner's address in vain.
        headers: { 'x-forwarded-for': '127.0.0.1' },
      });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(limited?.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_ATTEMPTS' });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    // The right password from the guesser's address is refused too: guesses cannot be confirmed.
    expect(
      (await guesser('POST', '/auth/login', { body: { email: account.email, password } })).status,
    ).toBe(429);
    // The owner, from another address, is not locked out.
    const own = await owner<Tokens>('POST', '/auth/login', {
      body: { email: account.email, password },
    });
    expect(own.status).toBe(200);
  });

  it('limits one address guessing across many accounts', async () => {
    const guesser = stranger();
    const seen = new Set<number>();
    for (let i = 0; i < 40 && !seen.has(429); i += 1) {
      const res = await guesser('POST', '/auth/login', {
        body: { email: `nobody-${i}-${randomUUID()}@example.test`, password: 'Wrong-guess-1!' },
      });
      seen.add(res.status);
    }
    expect(seen).toContain(429);
  });

  it('does not relay the client-credentials grant: no stranger can try a service secret', async () => {
    const call = stranger();
    for (const path of ['/auth/token', '/auth/token/', '/AUTH/token', '/auth/%74oken']) {
      const res = await call('POST', path, {
        body: { clientId: 'activities', clientSecret: 'guess-guess-guess' },
      });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  it('answers a flood of invalid tokens with 429 once the address limit is spent', async () => {
    const attacker = stranger();
    let first429 = -1;
    for (let i = 0; i <= ADDRESS_LIMIT + 5 && first429 === -1; i += 1) {
      const res = await attacker('GET', '/auth/me', { token: `garbage.${i}.token` });
      if (res.status === 429) first429 = i;
      else expect(res.status).toBe(401);
    }
    expect(first429).toBe(ADDRESS_LIMIT);
    // Another address is unaffected.
    expect((await stranger()('GET', '/auth/.well-known/jwks.json')).status).toBe(200);
  });

  it('admits exactly the limit of a concurrent flood, counting it in far fewer Redis calls', async () => {
    // One address, 60 requests in flight at a time: the hits of one counter that arrive while its
    // call is out share the next call (WindowCounter), yet every hit is counted before it passes.
    const attacker = stranger();
    const redis = new Redis(testEndpoints.redisUrl);
    const scriptCalls = async (): Promise<number> => {
      const stats = await redis.info('commandstats');
      return [...stats.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
    };
    try {
      const total = ADDRESS_LIMIT + 120;
      const before = await scriptCalls();
      const statuses: number[] = [];
      for (let sent = 0; sent < total; sent += 60) {
        const wave = Array.from({ length: Math.min(60, total - sent) }, () =>
          attacker('GET', '/auth/.well-known/jwks.json'),
        );
        statuses.push(...(await Promise.all(wave)).map((res) => res.status));
      }
      const calls = (await scriptCalls()) - before;
      expect(statuses.filter((s) => s === 200)).toHaveLength(ADDRESS_LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(total - ADDRESS_LIMIT);
      // One script call per request before the batching; other clients of this Redis only add.
      expect(calls).toBeLessThan(total / 2);
    } finally {
      redis.disconnect();
    }
  });

  it('limits the board session route by address too', async () => {
    const attacker = stranger();
    const statuses = new Set<number>();
    for (let i = 0; i <= ADDRESS_LIMIT; i += 1) {
      statuses.add(
        (await attacker('POST', '/admin/queues/session', { token: `forged.${i}.x` })).status,
      );
    }
    expect([...statuses].sort()).toEqual([401, 429]);
  });

  it("refuses a demoted admin's token issued before the demotion", async () => {
    const root = stranger();
    const rootToken = (await root<Tokens>('POST', '/auth/login', { body: stack.superAdmin })).body
      .accessToken;
    const adminClient = stranger();
    const admin = await register(adminClient);
    const granted = await root('POST', `/admin/users/${admin.id}/roles`, {
      token: rootToken,
      body: { role: 'ADMIN' },
    });
    expect(granted.status).toBe(200);
    const old = (
      await adminClient<Tokens>('POST', '/auth/login', { body: { email: admin.email, password } })
    ).body;
    expect((await adminClient('GET', '/admin/users', { token: old.accessToken })).status).toBe(200);

    const removed = await root('DELETE', `/admin/users/${admin.id}/roles/ADMIN`, {
      token: rootToken,
    });
    expect(removed.status).toBe(200);
    const refused = await adminClient('GET', '/admin/users', { token: old.accessToken });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'TOKEN_REVOKED' });
    // Refreshing yields a token with the roles as they are now: still no admin.
    const refreshed = await adminClient<Tokens>('POST', '/auth/refresh', {
      body: { refreshToken: old.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(
      (await adminClient('GET', '/admin/users', { token: refreshed.body.accessToken })).status,
    ).toBe(403);
  });

  it('keeps /metrics private and /health free of internal addresses', async () => {
    const base = stack.gateways[0]!.url;
    const call = clientFrom(base, `127.0.0.${(seq += 1)}`);
    expect((await call('GET', '/metrics')).status).toBe(404);
    const health = await call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    expect(health.text).not.toMatch(/127\.0\.0\.1|localhost|http:|:\d{4}/);
  });
});
