import {
  ServiceCallError,
  isRetryableFailure,
  isRetryableStatus,
  parseServiceErrorBody,
} from './errors';

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504])('%i is worth another try', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([300, 400, 401, 403, 404, 409, 410, 413, 422])('%i is not', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('isRetryableFailure', () => {
  it('retries what never got an answer, and unreadable answers', () => {
    expect(isRetryableFailure('network')).toBe(true);
    expect(isRetryableFailure('timeout')).toBe(true);
    expect(isRetryableFailure('invalid-response', 200)).toBe(true);
  });

  it('follows the status for HTTP answers', () => {
    expect(isRetryableFailure('http', 503)).toBe(true);
    expect(isRetryableFailure('http', 409)).toBe(false);
  });
});

describe('parseServiceErrorBody', () => {
  it('reads the error shape every service answers with', () => {
    const body = parseServiceErrorBody(
      JSON.stringify({
        statusCode: 409,
        error: 'Conflict',
        message: 'Not enough stock for: p1',
        code: 'OUT_OF_STOCK',
        details: [{ productId: 'p1', requested: 3, available: 1 }],
        requestId: 'r-1',
      }),
    );
    expect(body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'Not enough stock for: p1',
      code: 'OUT_OF_STOCK',
      details: [{ productId: 'p1', requested: 3, available: 1 }],
      requestId: 'r-1',
    });
  });

  it('joins a list of messages', () => {
    expect(parseServiceErrorBody('{"message":["a","b"]}').message).toBe('a; b');
  });

  it('ignores fields of the wrong type', () => {
    expect(parseServiceErrorBody('{"code":42,"message":{"x":1},"statusCode":"409"}')).toEqual({});
  });

  it.each(['', '   ', '<html>Bad Gateway</html>', '[1,2]', 'null', '"text"'])(
    'answers {} for a body that is not the error shape: %p',
    (text) => {
      expect(parseServiceErrorBody(text)).toEqual({});
    },
  );
});

describe('ServiceCallError', () => {
  it('describes an HTTP refusal with the service, call, status, code and message', () => {
    const error = new ServiceCallError({
      kind: 'http',
      service: 'products',
      method: 'POST',
      path: '/internal/inventory/reservations',
      status: 409,
      code: 'OUT_OF_STOCK',
      serviceMessage: 'Not enough stock for: p1',
      details: [{ productId: 'p1' }],
      requestId: 'r-1',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ServiceCallError');
    expect(error.message).toBe(
      'products POST /internal/inventory/reservations answered 409 OUT_OF_STOCK: Not enough stock for: p1',
    );
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual([{ productId: 'p1' }]);
  });

  it('is retryable for 5xx, 429 and 408', () => {
    for (const status of [500, 503, 429, 408]) {
      const error = new ServiceCallError({
        kind: 'http',
        service: 's',
        method: 'GET',
        path: '/',
        status,
      });
      expect(error.retryable).toBe(true);
    }
  });

  it('describes a timeout and a network failure without a status, as retryable', () => {
    const timeout = new ServiceCallError({
      kind: 'timeout',
      service: 'payments',
      method: 'POST',
      path: '/internal/payments/charges',
      timeoutMs: 250,
    });
    expect(timeout.message).toBe('payments POST /internal/payments/charges timed out after 250 ms');
    expect(timeout.status).toBeUndefined();
    expect(timeout.retryable).toBe(true);

    const socketError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const network = new ServiceCallError({
      kind: 'network',
      service: 'orders',
      method: 'GET',
      path: '/x',
      cause: new TypeError('fetch failed', { cause: socketError }),
    });
    expect(network.message).toBe('orders GET /x failed: ECONNREFUSED');
    expect(network.retryable).toBe(true);
    expect(network.cause).toBeInstanceOf(TypeError);
  });

  it('keeps query strings out of the message and the path', () => {
    const error = new ServiceCallError({
      kind: 'http',
      service: 's',
      method: 'GET',
      path: '/things?email=someone@example.com',
      status: 400,
    });
    expect(error.message).not.toContain('someone@example.com');
    expect(error.path).toBe('/things');
  });

  it('serialises to a plain object for logs', () => {
    const error = new ServiceCallError({
      kind: 'http',
      service: 's',
      method: 'GET',
      path: '/x',
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'ServiceCallError',
      service: 's',
      status: 404,
      code: 'NOT_FOUND',
      retryable: false,
    });
  });
});
