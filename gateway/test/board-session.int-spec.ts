import { TestTokenIssuer } from '@commerce/testing';
import { type RunningGateway, errorShape, startGateway } from './support/gateway';
import { StandInUpstream, json } from './support/stand-in-upstream';

// Bull Board is an HTML app: the browser holds an admin token in a board-only cookie, which the
// gateway turns back into the Authorization header for board requests and nothing else.
describe('Bull Board session through the gateway', () => {
  let key: TestTokenIssuer;
  let auth: StandInUpstream;
  let workers: StandInUpstream;
  let orders: StandInUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    key = new TestTokenIssuer();
    auth = await new StandInUpstream()
      .on('GET', '/auth/.well-known/jwks.json', (_req, res) => json(res, 200, { keys: [key.jwk] }))
      .start();
    workers = await new StandInUpstream().start();
    orders = await new StandInUpstream().start();
    gateway = await startGateway({
      UPSTREAMS: 'auth,workers,orders',
      AUTH_URL: auth.url,
      WORKERS_URL: workers.url,
      ORDERS_URL: orders.url,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([auth?.stop(), workers?.stop(), orders?.stop()]);
  });

  const board = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}/api/admin/queues${path}`, { redirect: 'manual', ...init });

  async function openSession(token: string): Promise<string> {
    const res = await board('/session', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^commerce_board=[^;]+; Path=\/api\/admin\/queues; Max-Age=\d+/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    return setCookie.split(';')[0] ?? '';
  }

  it('serves the sign-in page without a token', async () => {
    const res = await board('/login');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('admin access token');
  });

  it('opens a session for an admin and relays board requests with the token', async () => {
    const token = key.token(['ADMIN'], undefined, { exp: Math.floor(Date.now() / 1000) + 600 });
    const cookie = await openSession(token);
    const before = workers.calls.length;
    const res = await board('/api/queues', { headers: { cookie } });
    expect(res.status).toBe(200);
    const seen = workers.calls.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/admin/queues/api/queues');
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('refuses a session to a customer and to a missing token', async () => {
    const customer = key.token(['CUSTOMER']);
    const forbidden = await board('/session', {
      method: 'POST',
      headers: { authorization: `Bearer ${customer}` },
    });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ ...errorShape, code: 'FORBIDDEN' });
    expect(forbidden.headers.get('set-cookie')).toBeNull();

    const missing = await board('/session', { method: 'POST' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ ...errorShape, code: 'TOKEN_MISSING' });
  });

  it('needs a token on the board itself', async () => {
    const before = workers.calls.length;
    const res = await board('/');
    expect(res.status).toBe(401);
    expect(workers.calls.length).toBe(before);
  });

  it('gives the cookie no authority outside the board', async () => {
    const token = key.token(['ADMIN']);
    const cookie = await openSession(token);
    const before = orders.calls.length;
    const res = await fetch(`${gateway.url}/api/orders`, { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(orders.calls.length).toBe(before);
  });

  it('ends the session', async () => {
    const res = await board('/session', { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(
      /^commerce_board=; Path=\/api\/admin\/queues; Max-Age=0/,
    );
  });
});
