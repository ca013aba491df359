import { clientResponseHeaders, upstreamRequestHeaders, withoutHopByHop } from './headers';

describe('hop-by-hop headers', () => {
  it('drops the fixed set and whatever Connection names', () => {
    expect(
      withoutHopByHop({
        connection: 'keep-alive, X-Secret',
        'keep-alive': 'timeout=5',
        'x-secret': '1',
        te: 'trailers',
        trailer: 'x',
        'transfer-encoding': 'chunked',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic x',
        'proxy-authenticate': 'Basic',
        'proxy-connection': 'keep-alive',
        expect: '100-continue',
        'content-type': 'application/json',
        'set-cookie': ['a=1', 'b=2'],
      }),
    ).toEqual({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
  });
});

describe('upstreamRequestHeaders', () => {
  const facts = {
    requestId: 'rid-1',
    remoteAddress: '10.0.0.7',
    protocol: 'https',
    host: 'shop.example',
    trustForwarded: false,
  };

  it('adds the request id, the gateway mark and fresh X-Forwarded-* for an untrusted peer', () => {
    const headers = upstreamRequestHeaders(
      {
        authorization: 'Bearer t',
        'x-request-id': 'spoofed',
        'x-gateway-source': 'me',
        'x-forwarded-for': '1.2.3.4',
        forwarded: 'for=1.2.3.4',
        'x-real-ip': '1.2.3.4',
        'keep-alive': 'timeout=1',
      },
      facts,
    );
    expect(headers).toEqual({
      authorization: 'Bearer t',
      'x-request-id': 'rid-1',
      'x-gateway-source': 'gateway',
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'shop.example',
    });
  });

  it('extends X-Forwarded-For behind a trusted proxy', () => {
    const headers = upstreamRequestHeaders(
      { 'x-forwarded-for': '1.2.3.4, 5.6.7.8' },
      { ...facts, trustForwarded: true },
    );
    expect(headers['x-forwarded-for']).toBe('1.2.3.4, 5.6.7.8, 10.0.0.7');
  });
});

describe('clientResponseHeaders', () => {
  it('keeps end-to-end headers and states the gateway request id', () => {
    expect(
      clientResponseHeaders(
        { 'content-length': '2', connection: 'close', 'x-request-id': 'other', etag: '"1"' },
        'rid-2',
      ),
    ).toEqual({ 'content-length': '2', 'x-request-id': 'rid-2', etag: '"1"' });
  });
});
