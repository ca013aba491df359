import { createApp, listen, loadConfig } from '@commerce/nest-kit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, gatewayAppOptions } from '../src/app.module';
import { gatewayConfigSchema } from '../src/config';

// The real gateway (same module and options as main.ts) on a free port, driven over HTTP against
// the local Redis.
describe('gateway over HTTP', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const config = loadConfig(gatewayConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: '1024',
      REDIS_URL: process.env.REDIS_URL,
    });
    app = await createApp(AppModule, {
      ...gatewayAppOptions(config),
      config,
      shutdownHooks: false,
    });
    ({ url: baseUrl } = await listen(app, { host: '127.0.0.1', port: 0 }));
  });

  afterAll(async () => {
    await app.close();
  });

  const errorShape = {
    statusCode: expect.any(Number),
    error: expect.any(String),
    message: expect.any(String),
    code: expect.any(String),
    requestId: expect.any(String),
  };

  it('reports ready with Redis up', async () => {
    const res = await fetch(`${baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      info: { redis: { status: 'up' } },
      error: {},
    });
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
    const res = await fetch(`${baseUrl}/api/nope`, { headers: { 'x-request-id': 'gw-404' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('gw-404');
    expect(await res.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /api/nope',
      code: 'NOT_FOUND',
      requestId: 'gw-404',
    });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await fetch(`${baseUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'gw-json' },
      body: '{"items": [',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Request body is not valid JSON',
      code: 'MALFORMED_JSON',
      requestId: 'gw-json',
    });
  });

  it('answers a body over BODY_LIMIT_BYTES with 413', async () => {
    const res = await fetch(`${baseUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      ...errorShape,
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Request body exceeds the limit of 1024 bytes',
    });
  });

  it('exposes Prometheus metrics with route templates', async () => {
    await fetch(`${baseUrl}/health`);
    const res = await fetch(`${baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /http_request_duration_ms_count\{method="GET",route="\/health",status_code="200",service="gateway"\} [1-9]/,
    );
    expect(text).toMatch(/route="UNMATCHED",status_code="404"/);
    expect(text).toContain('process_resident_memory_bytes{service="gateway"}');
  });

  it('serves an OpenAPI document and the Swagger UI', async () => {
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
});

describe('gateway with Redis unreachable', () => {
  it('reports not ready with 503 and terminus report', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const config = loadConfig(gatewayConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    const app = await createApp(AppModule, {
      ...gatewayAppOptions(config),
      config,
      openApi: false,
      shutdownHooks: false,
    });
    try {
      const { url } = await listen(app, { host: '127.0.0.1', port: 0 });
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down', message: expect.stringContaining('ECONNREFUSED') } },
      });
    } finally {
      await app.close();
    }
  });
});
