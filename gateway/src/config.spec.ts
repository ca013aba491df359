import { loadConfig } from '@commerce/nest-kit';
import { corsOrigins, gatewayConfigSchema, jwksUrl, upstreamTargets } from './config';

const load = (env: Record<string, string> = {}) => loadConfig(gatewayConfigSchema, env);

describe('gateway config', () => {
  it('defaults to the services that exist, on their local ports', () => {
    const config = load();
    expect(config.PORT).toBe(3000);
    expect(upstreamTargets(config)).toEqual([
      { name: 'auth', baseUrl: 'http://127.0.0.1:3001', timeoutMs: 5000, bodyLimitBytes: 65536 },
      {
        name: 'products',
        baseUrl: 'http://127.0.0.1:3002',
        timeoutMs: 5000,
        bodyLimitBytes: 262144,
      },
      { name: 'orders', baseUrl: 'http://127.0.0.1:3003', timeoutMs: 5000, bodyLimitBytes: 65536 },
      {
        name: 'payments',
        baseUrl: 'http://127.0.0.1:3004',
        timeoutMs: 5000,
        bodyLimitBytes: 1048576,
      },
      {
        name: 'notifications',
        baseUrl: 'http://127.0.0.1:3005',
        timeoutMs: 5000,
        bodyLimitBytes: 1048576,
      },
      {
        name: 'workers',
        baseUrl: 'http://127.0.0.1:3006',
        timeoutMs: 5000,
        bodyLimitBytes: 1048576,
      },
      {
        name: 'analytics',
        baseUrl: 'http://127.0.0.1:3008',
        timeoutMs: 5000,
        bodyLimitBytes: 1048576,
      },
    ]);
    expect(jwksUrl(config)).toBe('http://127.0.0.1:3001/auth/.well-known/jwks.json');
  });

  it('enables listed upstreams in a fixed order with per-upstream timeouts and body limits', () => {
    const config = load({
      UPSTREAMS: 'orders, auth,products,orders',
      ORDERS_URL: 'http://orders:8080/',
      ORDERS_TIMEOUT_MS: '12000',
      UPSTREAM_TIMEOUT_MS: '2000',
      ORDERS_BODY_LIMIT_BYTES: '2048',
      // The gateway's own limit caps every upstream's.
      BODY_LIMIT_BYTES: '100000',
    });
    expect(upstreamTargets(config)).toEqual([
      { name: 'auth', baseUrl: 'http://127.0.0.1:3001', timeoutMs: 2000, bodyLimitBytes: 65536 },
      {
        name: 'products',
        baseUrl: 'http://127.0.0.1:3002',
        timeoutMs: 2000,
        bodyLimitBytes: 100000,
      },
      { name: 'orders', baseUrl: 'http://orders:8080', timeoutMs: 12000, bodyLimitBytes: 2048 },
    ]);
  });

  it('names every bad variable', () => {
    expect(() =>
      load({ UPSTREAMS: 'auth,billing', ORDERS_URL: 'ftp://x', CORS_ORIGINS: 'shop.example' }),
    ).toThrow(
      /UPSTREAMS: unknown service billing.*ORDERS_URL: expected a http:\/\/ or https:\/\/ URL.*CORS_ORIGINS/,
    );
  });

  it('allows CORS origins from config, localhost in development, none otherwise', () => {
    expect(corsOrigins(load())).toBeUndefined();
    expect(corsOrigins(load({ NODE_ENV: 'test' }))).toBeUndefined();
    const dev = corsOrigins(load({ NODE_ENV: 'development' })) as RegExp[];
    expect(dev[0]?.test('http://localhost:5173')).toBe(true);
    expect(dev[0]?.test('https://evil.example')).toBe(false);
    expect(corsOrigins(load({ CORS_ORIGINS: 'https://a.example, https://b.example' }))).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(corsOrigins(load({ CORS_ORIGINS: '*' }))).toBe(true);
  });

  it('reads TRUST_PROXY as Fastify does', () => {
    expect(load().TRUST_PROXY).toBe(false);
    expect(load({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(load({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(load({ TRUST_PROXY: '10.0.0.0/8' }).TRUST_PROXY).toBe('10.0.0.0/8');
  });
});
