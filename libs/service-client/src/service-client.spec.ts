import { ServiceCallError } from './errors';
import { type FakeAnswer, type FakeCall, fakeFetch } from './fake-fetch.test-helpers';
import { ServiceClient } from './service-client';
import type { TokenSource } from './token-provider';

/** Hands out t1, t2, ... and counts invalidations. */
class CountingTokens implements TokenSource {
  issued = 0;
  invalidated: (string | undefined)[] = [];
  private current: string | undefined;
  getToken(): Promise<string> {
    this.current ??= `t${++this.issued}`;
    return Promise.resolve(this.current);
  }
  invalidate(token?: string): void {
    this.invalidated.push(token);
    if (token === undefined || token === this.current) this.current = undefined;
  }
}

function setup(answer: (call: FakeCall, index: number) => FakeAnswer, timeoutMs = 1_000) {
  const fake = fakeFetch(answer);
  const tokens = new CountingTokens();
  const client = new ServiceClient({
    service: 'orders',
    baseUrl: 'http://orders.test/',
    tokens,
    timeoutMs,
    fetch: fake.fetch,
    userAgent: 'commerce-activities',
  });
  return { client, tokens, calls: fake.calls };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as ServiceCallError,
  );

describe('ServiceClient', () => {
  it('sends JSON with the bearer token, request id and idempotency key', async () => {
    const { client, calls } = setup(() => ({
      status: 201,
      body: { id: 'o1' },
      headers: { 'x-request-id': 'req-1' },
    }));
    const response = await client.request<{ id: string }>({
      method: 'POST',
      path: '/internal/orders/o1/confirm',
      body: { reason: 'ok' },
      requestId: 'req-1',
      idempotencyKey: 'confirm-o1',
    });
    expect(response).toEqual({ status: 201, body: { id: 'o1' }, requestId: 'req-1' });
    expect(calls[0]).toMatchObject({
      url: 'http://orders.test/internal/orders/o1/confirm',
      method: 'POST',
      body: { reason: 'ok' },
      headers: {
        authorization: 'Bearer t1',
        'x-request-id': 'req-1',
        'idempotency-key': 'confirm-o1',
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': 'commerce-activities',
      },
    });
  });

  it('makes up a request id when none is given, and sends no body or key when none is given', async () => {
    const { client, calls } = setup(() => ({ status: 200, body: {} }));
    await client.request({ method: 'GET', path: '/internal/payments/by-order/o1' });
    const headers = calls[0]?.headers ?? {};
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['idempotency-key']).toBeUndefined();
    expect(headers['content-type']).toBeUndefined();
    expect(calls[0]?.body).toBeUndefined();
  });

  it('answers an empty 2xx body as undefined', async () => {
    const { client } = setup(() => ({ status: 204 }));
    await expect(client.request({ method: 'POST', path: '/x' })).resolves.toEqual({
      status: 204,
      body: undefined,
    });
  });

  it('renews the token once after a 401 and repeats the call', async () => {
    const { client, tokens, calls } = setup((call) =>
      call.headers.authorization === 'Bearer t1'
        ? { status: 401, body: { code: 'TOKEN_REVOKED' } }
        : { status: 200, body: { ok: true } },
    );
    await expect(
      client.request({ method: 'POST', path: '/x', requestId: 'r' }),
    ).resolves.toMatchObject({
      status: 200,
    });
    expect(tokens.invalidated).toEqual(['t1']);
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    // The same request id on both attempts: it is one logical call.
    expect(calls.map((c) => c.headers['x-request-id'])).toEqual(['r', 'r']);
  });

  it('gives up after a second 401, as not retryable', async () => {
    const { client, calls } = setup(() => ({
      status: 401,
      body: { statusCode: 401, code: 'TOKEN_INVALID', message: 'bad signature' },
    }));
    const error = await failure(client.request({ method: 'GET', path: '/x' }));
    expect(error).toMatchObject({ status: 401, code: 'TOKEN_INVALID', retryable: false });
    expect(calls).toHaveLength(2);
    expect(error.message).not.toContain('Bearer');
  });

  it('turns the service error body into a typed, non-retryable error for a 4xx', async () => {
    const { client } = setup(() => ({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'Order is COMPLETED, a final status; it cannot move to FAILED',
        code: 'ILLEGAL_TRANSITION',
        details: [{ orderId: 'o1', currentStatus: 'COMPLETED', requestedStatus: 'FAILED' }],
        requestId: 'svc-r',
      },
    }));
    const error = await failure(
      client.request({ method: 'POST', path: '/internal/orders/o1/fail' }),
    );
    expect(error).toBeInstanceOf(ServiceCallError);
    expect(error).toMatchObject({
      kind: 'http',
      service: 'orders',
      method: 'POST',
      path: '/internal/orders/o1/fail',
      status: 409,
      code: 'ILLEGAL_TRANSITION',
      serviceMessage: 'Order is COMPLETED, a final status; it cannot move to FAILED',
      details: [{ orderId: 'o1', currentStatus: 'COMPLETED', requestedStatus: 'FAILED' }],
      requestId: 'svc-r',
      retryable: false,
    });
  });

  it.each([408, 429, 500, 502, 503, 504])('marks %i as retryable', async (status) => {
    const { client } = setup(() => ({ status, body: '<html>oops</html>' }));
    const error = await failure(client.request({ method: 'GET', path: '/x', requestId: 'mine' }));
    expect(error).toMatchObject({ status, retryable: true, code: undefined, requestId: 'mine' });
  });

  it('reports a refused connection as a retryable network error', async () => {
    const { client } = setup(
      () =>
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        }),
    );
    const error = await failure(client.request({ method: 'GET', path: '/x' }));
    expect(error).toMatchObject({ kind: 'network', status: undefined, retryable: true });
    expect(error.message).toBe('orders GET /x failed: ECONNREFUSED');
  });

  it('times out a call that does not answer, as retryable', async () => {
    const { client } = setup(() => 'hang');
    const error = await failure(client.request({ method: 'GET', path: '/slow', timeoutMs: 20 }));
    expect(error).toMatchObject({ kind: 'timeout', status: undefined, retryable: true });
    expect(error.message).toBe('orders GET /slow timed out after 20 ms');
  });

  it("rethrows the caller's own cancellation as it is", async () => {
    const { client } = setup(() => 'hang');
    const controller = new AbortController();
    const cancelled = new Error('activity cancelled');
    const call = client.request({ method: 'GET', path: '/slow', signal: controller.signal });
    controller.abort(cancelled);
    await expect(call).rejects.toBe(cancelled);
  });

  it('reports a 2xx body that is not JSON as a retryable invalid response', async () => {
    const { client } = setup(() => ({ status: 200, body: '<html>proxy</html>' }));
    await expect(client.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      kind: 'invalid-response',
      status: 200,
      retryable: true,
    });
  });

  it('treats a redirect as a refusal, never following it', async () => {
    const { client, calls } = setup(() => ({
      status: 302,
      headers: { location: 'http://elsewhere.test/' },
    }));
    await expect(client.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      status: 302,
      retryable: false,
    });
    expect(calls).toHaveLength(1);
  });

  it('passes token errors through (auth down is retryable)', async () => {
    const tokens: TokenSource = {
      getToken: () =>
        Promise.reject(
          new ServiceCallError({
            kind: 'network',
            service: 'auth',
            method: 'POST',
            path: '/auth/token',
          }),
        ),
      invalidate: () => undefined,
    };
    const client = new ServiceClient({ service: 'orders', baseUrl: 'http://o', tokens });
    await expect(client.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      service: 'auth',
      retryable: true,
    });
  });

  it('calls public routes without a token when it has no token source, and sends extra headers', async () => {
    const fake = fakeFetch(() => ({ status: 401, body: { code: 'TOKEN_MISSING' } }));
    const client = new ServiceClient({
      service: 'products',
      baseUrl: 'http://p',
      fetch: fake.fetch,
    });
    const error = await failure(
      client.request({
        method: 'GET',
        path: '/products/p1',
        headers: { 'X-Analytics': 'off', 'X-Request-Id': 'not-this-one' },
        requestId: 'r-1',
      }),
    );
    // No token to renew: the 401 is the answer.
    expect(error).toMatchObject({ status: 401, code: 'TOKEN_MISSING', retryable: false });
    expect(fake.calls).toHaveLength(1);
    // No authorization; the client's own request id wins over the caller's header.
    expect(fake.calls[0]?.headers).toEqual({
      accept: 'application/json',
      'x-analytics': 'off',
      'x-request-id': 'r-1',
    });
  });
});
