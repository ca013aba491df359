import { TestTokenIssuer } from '@commerce/testing';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { type RunningGateway, errorShape, startGateway } from './support/gateway';
import { StandInUpstream, json } from './support/stand-in-upstream';

// Stand-in services as real HTTP servers on free ports, and the real gateway in front of them.
describe('gateway proxy over real sockets', () => {
  let key: TestTokenIssuer;
  let auth: StandInUpstream;
  let orders: StandInUpstream;
  let products: StandInUpstream;
  let gateway: RunningGateway;
  let token: string;

  beforeAll(async () => {
    key = new TestTokenIssuer();
    auth = await new StandInUpstream()
      .on('GET', '/auth/.well-known/jwks.json', (_req, res) => json(res, 200, { keys: [key.jwk] }))
      .start();
    orders = await new StandInUpstream({ bodyLimit: 64 * 1024 })
      .on('POST', '/orders/validate', (req, res, body) => {
        try {
          JSON.parse(body.toString('utf8'));
          json(res, 201, { ok: true });
        } catch {
          json(res, 400, {
            statusCode: 400,
            error: 'Bad Request',
            message: 'Request body is not valid JSON',
            code: 'MALFORMED_JSON',
            requestId: req.headers['x-request-id'],
          });
        }
      })
      .on('GET', '/orders/hop', (_req, res) =>
        json(
          res,
          200,
          { ok: true },
          {
            connection: 'keep-alive, x-private-hop',
            'keep-alive': 'timeout=5',
            'x-private-hop': 'secret',
            'proxy-authenticate': 'Basic',
            upgrade: 'h2c',
            'x-upstream-header': 'kept',
            'set-cookie': ['a=1', 'b=2'],
          },
        ),
      )
      .on('GET', '/orders/slow', (_req, res) => {
        setTimeout(() => json(res, 200, { late: true }), 1500).unref();
      })
      .on('GET', '/orders/boom', (req, res) =>
        json(res, 500, {
          statusCode: 500,
          error: 'Internal Server Error',
          message: 'orders exploded',
          code: 'INTERNAL_ERROR',
          requestId: req.headers['x-request-id'],
        }),
      )
      .start();
    products = await new StandInUpstream().start();
    gateway = await startGateway({
      UPSTREAMS: 'auth,orders,products',
      AUTH_URL: auth.url,
      ORDERS_URL: orders.url,
      PRODUCTS_URL: products.url,
      // Only the orders stand-in is slow; 300 ms is plenty for the others on loopback.
      ORDERS_TIMEOUT_MS: '300',
      // Above the stand-in's own 64 KiB limit, so its 413 is what comes back; the products
      // stand-in keeps the default limit, which the gateway enforces itself.
      ORDERS_BODY_LIMIT_BYTES: String(1024 * 1024),
      PRODUCTS_BODY_LIMIT_BYTES: String(64 * 1024),
      RATE_LIMIT_DEFAULT_LIMIT: '10000',
      RATE_LIMIT_ADDRESS_LIMIT: '10000',
      RATE_LIMIT_AUTH_LIMIT: '10000',
    });
    token = key.token();
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([auth?.stop(), orders?.stop(), products?.stop()]);
  });

  const authorized = (headers: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    ...headers,
  });

  it('relays method, path (without /api), query, body and headers to the owning service', async () => {
    const body = JSON.stringify({ items: [{ productId: 'p1', quantity: 2 }] });
    const res = await fetch(`${gateway.url}/api/orders/42/items?expand=lines&page=2`, {
      method: 'PATCH',
      headers: authorized({
        'content-type': 'application/json',
        'x-request-id': 'proxy-req-1',
        'x-custom': 'yes',
        'x-forwarded-for': '203.0.113.9',
      }),
      body,
    });
    expect(res.status).toBe(200);
    const seen = orders.calls.at(-1)!;
    expect(seen).toMatchObject({
      method: 'PATCH',
      url: '/orders/42/items?expand=lines&page=2',
      body,
    });
    expect(seen.headers).toMatchObject({
      'content-type': 'application/json',
      'x-custom': 'yes',
      authorization: `Bearer ${token}`,
      'x-request-id': 'proxy-req-1',
      'x-gateway-source': 'gateway',
      // The client's own X-Forwarded-For is not trusted (TRUST_PROXY off): replaced, not extended.
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': new URL(gateway.url).host,
    });
    expect(res.headers.get('x-request-id')).toBe('proxy-req-1');
  });

  it('generates a request id when none is sent and gives the upstream the one the client gets', async () => {
    const res = await fetch(`${gateway.url}/api/orders/mine`, { headers: authorized() });
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(orders.calls.at(-1)!.headers['x-request-id']).toBe(id);
  });

  it('strips hop-by-hop headers in both directions', async () => {
    // node:http lets a test send the headers fetch() forbids (Connection, Keep-Alive, TE, ...).
    const { status, headers } = await rawRequest(`${gateway.url}/api/orders/hop`, {
      ...authorized(),
      connection: 'keep-alive, x-client-hop',
      'keep-alive': 'timeout=30',
      'x-client-hop': 'private',
      te: 'trailers',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      'x-end-to-end': 'kept',
    });
    expect(status).toBe(200);
    const seen = orders.calls.at(-1)!.headers;
    expect(seen['x-end-to-end']).toBe('kept');
    for (const name of ['x-client-hop', 'keep-alive', 'te', 'proxy-authorization', 'upgrade']) {
      expect(seen).not.toHaveProperty(name);
    }
    // The gateway's connection to the upstream is its own (kept alive by undici), never the client's.
    expect(seen.connection ?? 'keep-alive').toBe('keep-alive');

    expect(headers['x-upstream-header']).toBe('kept');
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2']);
    for (const name of ['x-private-hop', 'proxy-authenticate', 'upgrade']) {
      expect(headers).not.toHaveProperty(name);
    }
    expect(headers['keep-alive']).not.toBe('timeout=5');
  });

  it('streams a large body through intact', async () => {
    const big = new StandInUpstream(); // no body limit
    await big.start();
    const gw = await startGateway({
      UPSTREAMS: 'auth,orders',
      AUTH_URL: auth.url,
      ORDERS_URL: big.url,
    });
    try {
      const payload = randomBytes(8 * 1024 * 1024 + 123);
      // Sent chunked from a stream: the gateway never holds it whole.
      const chunks = Array.from({ length: 64 }, (_, i) =>
        payload.subarray(
          Math.floor((i * payload.length) / 64),
          Math.floor(((i + 1) * payload.length) / 64),
        ),
      );
      const res = await fetch(`${gw.url}/api/orders/upload`, {
        method: 'POST',
        headers: authorized({ 'content-type': 'application/octet-stream' }),
        body: Readable.toWeb(Readable.from(chunks)) as ReadableStream,
        duplex: 'half',
      });
      expect(res.status).toBe(200);
      const echoed = (await res.json()) as { bodyLength: number; bodySha256: string };
      expect(echoed.bodyLength).toBe(payload.length);
      expect(echoed.bodySha256).toBe(createHash('sha256').update(payload).digest('hex'));
    } finally {
      await gw.close();
      await big.stop();
    }
  });

  describe('answers of the service', () => {
    const big = randomBytes(1024 * 1024);
    let upstream: StandInUpstream;
    let gw: RunningGateway;
    /** Lets the half-sent streamed answer finish once the client has seen its first bytes. */
    let releaseRest: (() => void) | undefined;

    beforeAll(async () => {
      upstream = await new StandInUpstream()
        .on('GET', '/orders/small', (_req, res) => json(res, 200, { small: true }))
        .on('HEAD', '/orders/small', (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '15' });
          res.end();
        })
        .on('GET', '/orders/unsized', (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' }); // chunked
          res.write('first,');
          res.end('second');
        })
        .on('GET', '/orders/large', (_req, res) => {
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-length': String(big.length),
          });
          const half = big.length / 2;
          res.write(big.subarray(0, half));
          releaseRest = () => res.end(big.subarray(half));
        })
        .on('GET', '/orders/cut', (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
          res.write('{"partial":');
          setImmediate(() => res.destroy());
        })
        .start();
      gw = await startGateway({
        UPSTREAMS: 'auth,orders',
        AUTH_URL: auth.url,
        ORDERS_URL: upstream.url,
      });
    });

    afterAll(async () => {
      await gw?.close();
      await upstream?.stop();
    });

    it('relays a small answer with its length, and a HEAD without a body', async () => {
      const res = await fetch(`${gw.url}/api/orders/small`, { headers: authorized() });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe('14');
      expect(res.headers.get('transfer-encoding')).toBeNull();
      expect(await res.json()).toEqual({ small: true });

      const head = await fetch(`${gw.url}/api/orders/small`, {
        method: 'HEAD',
        headers: authorized(),
      });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe('15');
      expect(await head.text()).toBe('');
    });

    it('relays an answer of unknown length as it comes', async () => {
      const res = await fetch(`${gw.url}/api/orders/unsized`, { headers: authorized() });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('first,second');
    });

    it('streams a large answer: its first bytes arrive before the service has sent the rest', async () => {
      const res = await fetch(`${gw.url}/api/orders/large`, { headers: authorized() });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const received: Uint8Array[] = [];
      // The service holds back its second half until the client has read the first bytes: a
      // gateway that waited for the whole body would never answer (the test would time out).
      const first = await reader.read();
      expect(first.done).toBe(false);
      received.push(first.value as Uint8Array);
      expect(releaseRest).toBeDefined();
      releaseRest?.();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        received.push(chunk.value);
      }
      expect(Buffer.concat(received).equals(big)).toBe(true);
    });

    it('cuts the client off when the service breaks off a small answer mid-body', async () => {
      const res = await fetch(`${gw.url}/api/orders/cut`, { headers: authorized() })
        .then(async (r) => ({ status: r.status, body: await r.text() }))
        .catch((error: unknown) => error);
      // Never a short body passed off as the whole answer: the status may have come, but
      // reading the body fails.
      // (fetch fails with a TypeError: 'terminated' mid-body, 'fetch failed' before headers)
      expect(res).toMatchObject({ name: 'TypeError' });
    });
  });

  it('leaves body validation to the service: its 400 and 413 come back unchanged', async () => {
    const malformed = await fetch(`${gateway.url}/api/orders/validate`, {
      method: 'POST',
      headers: authorized({ 'content-type': 'application/json', 'x-request-id': 'bad-json' }),
      body: '{"items": [',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Request body is not valid JSON',
      code: 'MALFORMED_JSON',
      requestId: 'bad-json',
    });

    const tooLarge = await fetch(`${gateway.url}/api/orders/validate`, {
      method: 'POST',
      headers: authorized({ 'content-type': 'application/json', 'x-request-id': 'too-big' }),
      body: JSON.stringify({ note: 'x'.repeat(200 * 1024) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body exceeds the limit of 65536 bytes',
      code: 'PAYLOAD_TOO_LARGE',
      requestId: 'too-big',
    });
  });

  it('refuses a body declared over the upstream limit itself, without calling the upstream', async () => {
    const before = products.requests.length;
    const res = await fetch(`${gateway.url}/api/products/anything`, {
      method: 'POST',
      headers: authorized({ 'content-type': 'application/json', 'x-request-id': 'edge-413' }),
      body: JSON.stringify({ note: 'x'.repeat(200 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is larger than the limit of 65536 bytes',
      code: 'PAYLOAD_TOO_LARGE',
      requestId: 'edge-413',
    });
    expect(products.requests.length).toBe(before);
  });

  it("passes the service's own 5xx through unchanged", async () => {
    const res = await fetch(`${gateway.url}/api/orders/boom`, {
      headers: authorized({ 'x-request-id': 'boom-1' }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'orders exploded',
      code: 'INTERNAL_ERROR',
      requestId: 'boom-1',
    });
  });

  it('answers 404 for /api/internal and unknown prefixes without calling anything', async () => {
    const before = orders.requests.length + auth.requests.length + products.requests.length;
    for (const path of [
      '/api/internal/orders/1',
      '/api/INTERNAL/x',
      '/api/%69nternal/x',
      '/api/orders/..%2Finternal/x',
      '/api/orders//x',
      '/api/nope',
      '/api/ordersx',
      '/api',
      '/api/',
    ]) {
      const res = await fetch(`${gateway.url}${path}`, { headers: authorized() });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.json()).toMatchObject({ ...errorShape, code: 'NOT_FOUND' });
    }
    // Without a token too: a 404 says nothing about the route needing one.
    const anonymous = await fetch(`${gateway.url}/api/internal/users`);
    expect(anonymous.status).toBe(404);
    expect(orders.requests.length + auth.requests.length + products.requests.length).toBe(before);
  });

  it('answers 504 UPSTREAM_TIMEOUT in the error shape when the service is too slow', async () => {
    const res = await fetch(`${gateway.url}/api/orders/slow`, {
      headers: authorized({ 'x-request-id': 'slow-1' }),
    });
    expect(res.status).toBe(504);
    expect(res.headers.get('x-request-id')).toBe('slow-1');
    expect(await res.json()).toEqual({
      statusCode: 504,
      error: 'Gateway Timeout',
      message: 'The orders service did not answer within 300 ms',
      code: 'UPSTREAM_TIMEOUT',
      requestId: 'slow-1',
    });
    // One slow call is not an outage: the next request is served.
    const next = await fetch(`${gateway.url}/api/orders/mine`, { headers: authorized() });
    expect(next.status).toBe(200);
  });

  it('answers 503 UPSTREAM_UNAVAILABLE when the service refuses connections', async () => {
    const gone = new StandInUpstream();
    await gone.start();
    const deadUrl = gone.url;
    await gone.stop();
    const gw = await startGateway({
      UPSTREAMS: 'auth,orders',
      AUTH_URL: auth.url,
      ORDERS_URL: deadUrl,
    });
    try {
      const res = await fetch(`${gw.url}/api/orders/1`, {
        headers: authorized({ 'x-request-id': 'refused-1' }),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The orders service cannot be reached',
        code: 'UPSTREAM_UNAVAILABLE',
        requestId: 'refused-1',
      });
    } finally {
      await gw.close();
    }
  });

  it('answers 503 UPSTREAM_UNAVAILABLE for a service that is not enabled', async () => {
    const res = await fetch(`${gateway.url}/api/payments/1`, { headers: authorized() });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      ...errorShape,
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'The payments service is not enabled on this gateway',
    });
  });
});

function rawRequest(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
