import {
  classifyTransportError,
  describeError,
  errorCodes,
  upstreamError,
} from './upstream-errors';

const withCode = (code: string, cause?: unknown) =>
  Object.assign(new Error(code), { code }, cause ? { cause } : {});

describe('upstream transport errors', () => {
  it('reads codes through causes and aggregate errors', () => {
    const inner = new AggregateError([withCode('ECONNREFUSED'), withCode('ETIMEDOUT')]);
    expect(errorCodes(withCode('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', inner))).toEqual([
      'FST_REPLY_FROM_INTERNAL_SERVER_ERROR',
      'ECONNREFUSED',
      'ETIMEDOUT',
    ]);
    // Errors from another realm (no instanceof Error) are read too.
    expect(errorCodes({ code: 'A', cause: { code: 'B' } })).toEqual(['A', 'B']);
  });

  it('classifies timeouts, failed connects and broken connections', () => {
    expect(classifyTransportError(withCode('FST_REPLY_FROM_GATEWAY_TIMEOUT'))).toBe('timeout');
    expect(classifyTransportError(withCode('X', withCode('UND_ERR_HEADERS_TIMEOUT')))).toBe(
      'timeout',
    );
    expect(classifyTransportError(withCode('X', withCode('ECONNREFUSED')))).toBe('unavailable');
    expect(classifyTransportError(withCode('UND_ERR_CONNECT_TIMEOUT'))).toBe('unavailable');
    expect(classifyTransportError(withCode('X', withCode('ENOTFOUND')))).toBe('unavailable');
    expect(classifyTransportError(withCode('UND_ERR_SOCKET'))).toBe('broken');
    expect(classifyTransportError(new Error('weird'))).toBe('broken');
  });

  it('maps outcomes to the shared error shape with gateway codes', () => {
    expect(upstreamError('timeout', 'orders', { timeoutMs: 250 }).getResponse()).toMatchObject({
      statusCode: 504,
      code: 'UPSTREAM_TIMEOUT',
      message: 'The orders service did not answer within 250 ms',
    });
    expect(upstreamError('unavailable', 'orders').getStatus()).toBe(503);
    expect(upstreamError('broken', 'orders').getStatus()).toBe(502);
    expect(upstreamError('rejected', 'orders').code).toBe('UPSTREAM_UNAVAILABLE');
    expect(upstreamError('disabled', 'orders').getStatus()).toBe(503);
  });

  it('describes errors briefly', () => {
    expect(describeError(withCode('X', withCode('ECONNREFUSED')))).toBe('ECONNREFUSED');
    expect(describeError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe(
      'timed out',
    );
    expect(describeError(new Error('plain'))).toBe('plain');
  });
});
