import { type RunningGateway, errorShape, scrapeMetrics, startGateway } from './support/gateway';
import { StandInUpstream } from './support/stand-in-upstream';

// The real gateway (same module and options as main.ts) on a free port, driven over HTTP against
// the local Redis and a stand-in auth service.
describe('gateway over HTTP', () => {
  let auth: StandInUpstream;
  let gateway: RunningGateway;
  let baseUrl: string;

  beforeAll(async () => {
    auth = await new StandInUpstream().start();
    gateway = await startGateway({
      AUTH_URL: auth.url,
      UPSTREAMS: 'auth',
      CORS_ORIGINS: 'https://shop.example,https://admin.shop.example',
    });
    baseUrl = gateway.url;
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.stop();
  });

  it('reports ready with Redis and the enabled services up', async () => {
    const res = await fetch(`${baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      info: { redis: { status: 'up' }, auth: { status: 'up' } },
      error: {},
    });
    // Only enabled upstreams (UPSTREAMS) are consulted.
    expect(auth.requests.some((r) => r.url === '/health/live')).toBe(true);
  });

  it('reports live without consulting dependencies', async () => {
    const res = await fetch(`${baseUrl}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('echoes a valid x-request-id and generates one otherwise', async () => {
    const echoed = await fetch(`${baseUrl}/health/live`, {
      headers: { 'x-request-id': 'gw-test-1' },
    });
    expect(echoed.headers.get('x-request-id')).toBe('gw-test-1');
    const generated = await fetch(`${baseUrl}/health/live`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = await fetch(`${baseUrl}/health/live`, {
      headers: { 'x-request-id': 'not valid!' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with the 404 error shape', async () => {
    for (const path of ['/api/nope', '/nope']) {
      const res = await fetch(`${baseUrl}${path}`, { headers: { 'x-request-id': 'gw-404' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBe('gw-404');
      expect(await res.json()).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `Cannot GET ${path}`,
        code: 'NOT_FOUND',
        requestId: 'gw-404',
      });
    }
  });

  it('answers requests for services that are not enabled with 503 UPSTREAM_UNAVAILABLE', async () => {
    // Public route of the products service, which is not enabled by default.
    const res = await fetch(`${baseUrl}/api/products`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ...errorShape, code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('serves metrics only to a scraper with METRICS_TOKEN', async () => {
    const anonymous = await fetch(`${baseUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ ...errorShape, code: 'UNAUTHORIZED' });
    const wrong = await fetch(`${baseUrl}/metrics`, {
      headers: { authorization: 'Bearer not-the-metrics-token' },
    });
    expect(wrong.status).toBe(401);
  });

  it('exposes Prometheus metrics with route templates and the circuit states', async () => {
    await fetch(`${baseUrl}/health`);
    const res = await scrapeMetrics(baseUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /http_request_duration_ms_count\{method="GET",route="\/health",status_code="200",service="gateway"\} [1-9]/,
    );
    expect(text).toMatch(/route="UNMATCHED",status_code="404"/);
    expect(text).toContain('gateway_circuit_state{upstream="auth",service="gateway"} 0');
  });

  it('serves the merged OpenAPI document and the Swagger UI', async () => {
    const res = await fetch(`${baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(doc).toMatchObject({
      openapi: expect.stringMatching(/^3\./),
      info: { title: 'Commerce API' },
    });
    expect(doc.paths).toHaveProperty('/health');
    expect(doc.paths).not.toHaveProperty('/metrics');
    const ui = await fetch(`${baseUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  it('answers CORS preflights for configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${baseUrl}/api/orders`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('https://shop.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization,content-type');

    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const simple = await fetch(`${baseUrl}/health/live`, {
      headers: { origin: 'https://admin.shop.example' },
    });
    expect(simple.headers.get('access-control-allow-origin')).toBe('https://admin.shop.example');
    expect(simple.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });
});

describe('gateway with Redis unreachable', () => {
  it('reports not ready with 503 and terminus report', async () => {
    const auth = await new StandInUpstream().start();
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const gw = await startGateway({ REDIS_URL: 'redis://127.0.0.1:1', AUTH_URL: auth.url });
    const { url } = gw;
    try {
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: 'error',
        info: { auth: { status: 'up' } },
        // Up or down only: the reason (addresses, URLs) is not for strangers.
        error: { redis: { status: 'down' } },
      });
      expect(JSON.stringify(await (await fetch(`${url}/health`)).json())).not.toMatch(
        /127\.0\.0\.1|ECONNREFUSED|http:/,
      );
      // Public routes still work: without its counter store the rate limiter lets traffic through.
      const jwks = await fetch(`${url}/api/auth/.well-known/jwks.json`);
      expect(jwks.status).toBe(200);
    } finally {
      await gw.close();
      await auth.stop();
    }
  });
});
