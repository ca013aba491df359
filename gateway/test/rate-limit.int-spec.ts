import { TestTokenIssuer, uniqueName } from '@commerce/testing';
import { type RunningGateway, errorShape, startGateway } from './support/gateway';
import { StandInUpstream, json } from './support/stand-in-upstream';

// Limits live in Redis: two gateway instances sharing a key prefix enforce one limit together.
describe('rate limits across gateway instances', () => {
  let key: TestTokenIssuer;
  let auth: StandInUpstream;
  let products: StandInUpstream;
  const running: RunningGateway[] = [];

  beforeAll(async () => {
    key = new TestTokenIssuer();
    auth = await new StandInUpstream()
      .on('GET', '/auth/.well-known/jwks.json', (_req, res) => json(res, 200, { keys: [key.jwk] }))
      .start();
    products = await new StandInUpstream().start();
  });

  afterAll(async () => {
    await Promise.all(running.map((gw) => gw.close()));
    await Promise.all([auth?.stop(), products?.stop()]);
  });

  async function pair(env: Record<string, string>): Promise<[RunningGateway, RunningGateway]> {
    const shared = {
      UPSTREAMS: 'auth,products',
      AUTH_URL: auth.url,
      PRODUCTS_URL: products.url,
      RATE_LIMIT_PREFIX: uniqueName('gw-rl'),
      ...env,
    };
    const a = await startGateway(shared);
    running.push(a);
    const b = await startGateway(shared);
    running.push(b);
    return [a, b];
  }

  async function expectTooMany(res: Response): Promise<void> {
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await res.json()).toMatchObject({
      ...errorShape,
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'TOO_MANY_REQUESTS',
    });
  }

  it('counts the address limit per client across both instances', async () => {
    const [a, b] = await pair({
      RATE_LIMIT_ADDRESS_LIMIT: '5',
      RATE_LIMIT_ADDRESS_TTL_MS: '60000',
    });
    const before = products.calls.length;
    for (let i = 0; i < 5; i += 1) {
      const res = await fetch(`${(i % 2 === 0 ? a : b).url}/api/products?i=${i}`);
      expect({ i, status: res.status }).toEqual({ i, status: 200 });
    }
    // The 6th request, on either instance, is over the limit and never reaches the service.
    await expectTooMany(await fetch(`${b.url}/api/products?i=5`));
    await expectTooMany(await fetch(`${a.url}/api/products?i=6`));
    expect(products.calls.length - before).toBe(5);
  });

  it('admits exactly the limit of a concurrent flood spread over both instances', async () => {
    // Concurrent requests of one client share counting calls (WindowCounter): still to the request.
    const [a, b] = await pair({
      RATE_LIMIT_ADDRESS_LIMIT: '25',
      RATE_LIMIT_ADDRESS_TTL_MS: '60000',
    });
    const before = products.calls.length;
    const statuses = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        fetch(`${(i % 2 === 0 ? a : b).url}/api/products?flood=${i}`).then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        }),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(25);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    expect(products.calls.length - before).toBe(25);
  });

  it('limits sign-in and sign-up attempts more strictly than other requests', async () => {
    const [a, b] = await pair({
      RATE_LIMIT_ADDRESS_LIMIT: '20',
      RATE_LIMIT_AUTH_LIMIT: '3',
      RATE_LIMIT_AUTH_TTL_MS: '60000',
    });
    const attempt = (gw: RunningGateway, path: string) =>
      fetch(`${gw.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', password: 'wrong' }),
      });
    expect((await attempt(a, '/api/auth/login')).status).toBe(200);
    expect((await attempt(b, '/api/auth/register')).status).toBe(200);
    expect((await attempt(a, '/api/auth/login')).status).toBe(200);
    await expectTooMany(await attempt(b, '/api/auth/login'));
    await expectTooMany(await attempt(a, '/api/auth/register'));
    // Everything else still has room under the address limit.
    expect((await fetch(`${a.url}/api/products`)).status).toBe(200);
    expect((await fetch(`${b.url}/api/auth/.well-known/jwks.json`)).status).toBe(200);
  });

  it('counts authenticated requests per user, not per address', async () => {
    const [a, b] = await pair({ RATE_LIMIT_DEFAULT_LIMIT: '3', RATE_LIMIT_ADDRESS_LIMIT: '100' });
    const ada = key.token();
    const bob = key.token();
    const get = (gw: RunningGateway, token: string) =>
      fetch(`${gw.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    for (const gw of [a, b, a]) expect((await get(gw, ada)).status).toBe(200);
    await expectTooMany(await get(b, ada));
    // Same address, another user: a bucket of its own.
    for (const gw of [b, a, b]) expect((await get(gw, bob)).status).toBe(200);
    await expectTooMany(await get(a, bob));
  });

  it('counts invalid tokens, health and docs by address before any token work', async () => {
    const [a, b] = await pair({
      RATE_LIMIT_ADDRESS_LIMIT: '4',
      RATE_LIMIT_ADDRESS_TTL_MS: '60000',
    });
    const forged = (gw: RunningGateway) =>
      fetch(`${gw.url}/api/auth/me`, { headers: { authorization: 'Bearer not.a.token' } });
    expect((await forged(a)).status).toBe(401);
    expect((await forged(b)).status).toBe(401);
    expect((await fetch(`${a.url}/health`)).status).toBe(200);
    expect((await fetch(`${b.url}/docs-json`)).status).toBe(200);
    await expectTooMany(await forged(a));
    await expectTooMany(await fetch(`${b.url}/health`));
    await expectTooMany(await fetch(`${a.url}/api/admin/queues/session`, { method: 'POST' }));
  });
});
