import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { createServiceClients } from './create-service-clients';
import { ServiceCallError } from './errors';
import {
  type LocalServer,
  type Reply,
  errorBody,
  startLocalServer,
} from './local-server.test-helpers';
import { ServiceClient } from './service-client';
import { ServiceTokenProvider } from './token-provider';

const CLIENT_ID = 'activities';
const SECRET = 'integration-secret-that-must-never-leak';

/**
 * One local server standing in for the auth service (`POST /auth/token`) and a domain service that
 * accepts only tokens the auth side issued and has not revoked.
 */
class FakeBackend {
  server!: LocalServer;
  issued: string[] = [];
  revoked = new Set<string>();
  tokenLifetimeSeconds = 900;
  tokenDelayMs = 0;
  serviceReply: (path: string) => Reply = () => ({ status: 200, body: { ok: true } });

  async start(): Promise<void> {
    this.server = await startLocalServer((request) => {
      if (request.path === '/auth/token') {
        const body = request.body as { clientId?: string; clientSecret?: string };
        if (body.clientId !== CLIENT_ID || body.clientSecret !== SECRET) {
          return {
            status: 401,
            body: errorBody(401, 'INVALID_CREDENTIALS', 'Invalid client credentials'),
          };
        }
        const token = `token-${this.issued.length + 1}`;
        this.issued.push(token);
        return {
          status: 200,
          delayMs: this.tokenDelayMs,
          body: { accessToken: token, expiresIn: this.tokenLifetimeSeconds, tokenType: 'Bearer' },
        };
      }
      const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!this.issued.includes(token) || this.revoked.has(token)) {
        return { status: 401, body: errorBody(401, 'TOKEN_INVALID', 'Invalid access token') };
      }
      const reply = this.serviceReply(request.path);
      return {
        ...reply,
        headers: { 'x-request-id': String(request.headers['x-request-id']), ...reply.headers },
      };
    });
  }

  get tokenRequests(): number {
    return this.server.received.filter((r) => r.path === '/auth/token').length;
  }

  serviceRequests(path: string) {
    return this.server.received.filter((r) => r.path === path);
  }
}

describe('ServiceClient against a local HTTP server', () => {
  let backend: FakeBackend;
  let now: number;

  beforeEach(async () => {
    backend = new FakeBackend();
    await backend.start();
    now = 5_000_000;
  });

  afterEach(() => backend.server.close());

  function client(options: { timeoutMs?: number } = {}) {
    const tokens = new ServiceTokenProvider({
      authUrl: backend.server.url,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      now: () => now,
    });
    return {
      tokens,
      client: new ServiceClient({
        service: 'products',
        baseUrl: backend.server.url,
        tokens,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      }),
    };
  }

  it('gets a token once and reuses it for many calls', async () => {
    const { client: products } = client();
    for (let i = 0; i < 5; i++) {
      await products.request({ method: 'GET', path: '/internal/thing' });
    }
    expect(backend.tokenRequests).toBe(1);
    const calls = backend.serviceRequests('/internal/thing');
    expect(calls).toHaveLength(5);
    expect(new Set(calls.map((c) => c.headers.authorization))).toEqual(new Set(['Bearer token-1']));
  });

  it('renews the token shortly before it expires', async () => {
    backend.tokenLifetimeSeconds = 60;
    const { client: products } = client();
    await products.request({ method: 'GET', path: '/internal/thing' });
    now += 47_000;
    await products.request({ method: 'GET', path: '/internal/thing' });
    expect(backend.tokenRequests).toBe(1);
    now += 1_000; // 48 s: 80% of a 60 s token
    await products.request({ method: 'GET', path: '/internal/thing' });
    expect(backend.tokenRequests).toBe(2);
    expect(backend.serviceRequests('/internal/thing').at(-1)?.headers.authorization).toBe(
      'Bearer token-2',
    );
  });

  it('shares one token request among concurrent calls', async () => {
    backend.tokenDelayMs = 100;
    const { client: products } = client();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        products.request({ method: 'GET', path: '/internal/thing' }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(backend.tokenRequests).toBe(1);
  });

  it('after a 401 fetches one fresh token and retries once', async () => {
    const { client: products } = client();
    await products.request({ method: 'GET', path: '/internal/thing' });
    backend.revoked.add('token-1');
    const answer = await products.request({
      method: 'POST',
      path: '/internal/thing',
      body: { a: 1 },
      requestId: 'req-401',
    });
    expect(answer.status).toBe(200);
    expect(backend.tokenRequests).toBe(2);
    const posts = backend.serviceRequests('/internal/thing').filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(posts.map((r) => r.headers['x-request-id'])).toEqual(['req-401', 'req-401']);
  });

  it('concurrent 401s with the same stale token cause one renewal', async () => {
    const { client: products } = client();
    await products.request({ method: 'GET', path: '/internal/thing' });
    backend.revoked.add('token-1');
    await Promise.all(
      Array.from({ length: 5 }, () => products.request({ method: 'GET', path: '/internal/thing' })),
    );
    expect(backend.tokenRequests).toBe(2);
  });

  it('a 401 on the retry too ends the call as not retryable', async () => {
    const { client: products } = client();
    backend.serviceReply = () => ({
      status: 401,
      body: errorBody(401, 'TOKEN_REVOKED', 'revoked'),
    });
    const error = (await products
      .request({ method: 'GET', path: '/internal/thing' })
      .catch((e: unknown) => e)) as ServiceCallError;
    expect(error).toMatchObject({ status: 401, code: 'TOKEN_REVOKED', retryable: false });
    expect(backend.serviceRequests('/internal/thing')).toHaveLength(2);
    expect(backend.tokenRequests).toBe(2);
  });

  it('times out a slow service with a retryable error', async () => {
    backend.serviceReply = () => ({ status: 200, body: { late: true }, delayMs: 2_000 });
    const { client: products } = client({ timeoutMs: 150 });
    const started = Date.now();
    const error = (await products
      .request({ method: 'POST', path: '/internal/thing', body: {} })
      .catch((e: unknown) => e)) as ServiceCallError;
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(ServiceCallError);
    expect(error).toMatchObject({ kind: 'timeout', status: undefined, retryable: true });
  });

  it('parses the service error body', async () => {
    backend.serviceReply = () => ({
      status: 409,
      body: errorBody(409, 'OUT_OF_STOCK', 'Not enough stock for: p1', [
        { productId: 'p1', requested: 2, available: 0, reason: 'INSUFFICIENT' },
      ]),
    });
    const { client: products } = client();
    const error = (await products
      .request({ method: 'POST', path: '/internal/inventory/reservations', body: {} })
      .catch((e: unknown) => e)) as ServiceCallError;
    expect(error).toMatchObject({
      service: 'products',
      method: 'POST',
      path: '/internal/inventory/reservations',
      status: 409,
      code: 'OUT_OF_STOCK',
      serviceMessage: 'Not enough stock for: p1',
      details: [{ productId: 'p1', requested: 2, available: 0, reason: 'INSUFFICIENT' }],
      requestId: 'svc-request-id',
      retryable: false,
    });
  });

  it('a 503 is retryable', async () => {
    backend.serviceReply = () => ({
      status: 503,
      body: errorBody(503, 'PAYMENT_PROVIDER_UNAVAILABLE', 'provider down'),
    });
    const { client: products } = client();
    await expect(
      products.request({ method: 'GET', path: '/internal/thing' }),
    ).rejects.toMatchObject({
      status: 503,
      code: 'PAYMENT_PROVIDER_UNAVAILABLE',
      retryable: true,
    });
  });

  it('a closed port is a retryable network error', async () => {
    const port = await unusedPort();
    const { client: products } = client();
    await products.request({ method: 'GET', path: '/internal/thing' }); // token from the backend
    const offline = new ServiceClient({
      service: 'orders',
      baseUrl: `http://127.0.0.1:${port}`,
      tokens: new ServiceTokenProvider({
        authUrl: backend.server.url,
        clientId: CLIENT_ID,
        clientSecret: SECRET,
      }),
    });
    const error = (await offline
      .request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)) as ServiceCallError;
    expect(error).toMatchObject({ kind: 'network', service: 'orders', retryable: true });
    expect(error.message).toBe('orders GET /x failed: ECONNREFUSED');
  });

  it('wrong credentials: not retryable, and the secret appears nowhere in the error', async () => {
    const tokens = new ServiceTokenProvider({
      authUrl: backend.server.url,
      clientId: CLIENT_ID,
      clientSecret: `${SECRET}-wrong`,
    });
    const products = new ServiceClient({
      service: 'products',
      baseUrl: backend.server.url,
      tokens,
    });
    const error = (await products
      .request({ method: 'GET', path: '/internal/thing' })
      .catch((e: unknown) => e)) as ServiceCallError;
    expect(error).toMatchObject({ service: 'auth', status: 401, retryable: false });
    const everything = `${error.message} ${String(error.stack)} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(SECRET);
  });

  it('createServiceClients shares one token among the services', async () => {
    const { clients, tokens } = createServiceClients({
      auth: { url: backend.server.url, clientId: CLIENT_ID, clientSecret: SECRET },
      services: {
        products: backend.server.url,
        orders: { baseUrl: backend.server.url, timeoutMs: 500 },
      },
    });
    await clients.products.request({ method: 'GET', path: '/internal/a' });
    await clients.orders.request({ method: 'GET', path: '/internal/b' });
    expect(tokens.fetchCount).toBe(1);
    expect(clients.orders.service).toBe('orders');
  });
});

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
