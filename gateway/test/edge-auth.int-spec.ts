import { revokedJtiKey } from '@commerce/contracts';
import { accessClaims, signNone, testEndpoints, TestTokenIssuer } from '@commerce/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { type RunningGateway, errorShape, startGateway } from './support/gateway';
import { StandInUpstream, json } from './support/stand-in-upstream';

// The edge token check against a stand-in auth service that publishes an ES256 JWKS.
describe('edge token check', () => {
  let key: TestTokenIssuer;
  let otherKey: TestTokenIssuer;
  let auth: StandInUpstream;
  let orders: StandInUpstream;
  let products: StandInUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    key = new TestTokenIssuer();
    otherKey = new TestTokenIssuer();
    auth = await new StandInUpstream()
      .on('GET', '/auth/.well-known/jwks.json', (_req, res) => json(res, 200, { keys: [key.jwk] }))
      .on('POST', '/auth/login', (_req, res) =>
        json(res, 200, { accessToken: 'a', refreshToken: 'r', expiresIn: 900 }),
      )
      .start();
    orders = await new StandInUpstream().start();
    products = await new StandInUpstream().start();
    gateway = await startGateway({
      UPSTREAMS: 'auth,orders,products',
      AUTH_URL: auth.url,
      ORDERS_URL: orders.url,
      PRODUCTS_URL: products.url,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([auth?.stop(), orders?.stop(), products?.stop()]);
  });

  async function rejected(authorization: string | undefined, code: string): Promise<void> {
    const before = orders.calls.length;
    const res = await fetch(`${gateway.url}/api/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': `edge-${code.toLowerCase()}`,
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: JSON.stringify({ sneaky: true }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      ...errorShape,
      statusCode: 401,
      error: 'Unauthorized',
      code,
      requestId: `edge-${code.toLowerCase()}`,
    });
    // The service never saw it.
    expect(orders.calls.length).toBe(before);
  }

  it('refuses a request without a token', () => rejected(undefined, 'TOKEN_MISSING'));

  it('refuses a malformed token or header', async () => {
    await rejected('Bearer not-a-jwt', 'TOKEN_INVALID');
    await rejected('Basic dXNlcjpwYXNz', 'TOKEN_INVALID');
  });

  it('refuses an expired token', async () => {
    await rejected(
      `Bearer ${key.token(['CUSTOMER'], undefined, { exp: Math.floor(Date.now() / 1000) - 600 })}`,
      'TOKEN_EXPIRED',
    );
  });

  it('refuses a token signed by a key the auth service does not publish', async () => {
    // Same kid as the published key, different private key: the signature cannot verify.
    const forged = otherKey.sign(accessClaims(), key.kid);
    await rejected(`Bearer ${forged}`, 'TOKEN_INVALID');
    // An unknown kid altogether.
    await rejected(`Bearer ${otherKey.token()}`, 'TOKEN_INVALID');
  });

  it('refuses a revoked token', async () => {
    const jti = randomUUID();
    const redis = new Redis(testEndpoints.redisUrl);
    try {
      await redis.set(revokedJtiKey(jti), '1', 'EX', 60);
      await rejected(`Bearer ${key.token(['CUSTOMER'], undefined, { jti })}`, 'TOKEN_REVOKED');
    } finally {
      await redis.del(revokedJtiKey(jti));
      await redis.quit();
    }
  });

  it('refuses alg none', () =>
    rejected(`Bearer ${signNone(accessClaims(), key.kid)}`, 'TOKEN_INVALID'));

  it('lets a valid token through and forwards the Authorization header untouched', async () => {
    const token = key.token();
    const res = await fetch(`${gateway.url}/api/orders/mine`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(orders.calls.at(-1)!.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('lets public routes through without a token', async () => {
    const login = await fetch(`${gateway.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'secret' }),
    });
    expect(login.status).toBe(200);
    expect(auth.calls.some((r) => r.method === 'POST' && r.url === '/auth/login')).toBe(true);

    const jwks = await fetch(`${gateway.url}/api/auth/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(await jwks.json()).toEqual({ keys: [key.jwk] });

    const id = randomUUID();
    for (const path of ['/api/products?q=shoe', `/api/products/${id}`, '/api/categories']) {
      const res = await fetch(`${gateway.url}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    expect(products.calls.map((r) => r.url)).toEqual(
      expect.arrayContaining(['/products?q=shoe', `/products/${id}`, '/categories']),
    );
  });

  it('requires a token on the non-public methods and paths of public prefixes', async () => {
    const before = products.calls.length + auth.calls.length;
    const writes = [
      ['POST', '/api/products'],
      ['DELETE', `/api/products/${randomUUID()}`],
      ['GET', '/api/auth/me'],
      ['GET', `/api/products/${randomUUID()}/secret`],
    ] as const;
    for (const [method, path] of writes) {
      const res = await fetch(`${gateway.url}${path}`, { method });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
    }
    expect(products.calls.length + auth.calls.length).toBe(before);
  });
});
