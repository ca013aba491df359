import { resolveRoute } from './route-table';

describe('resolveRoute', () => {
  it('finds the owning service and strips /api, keeping the encoding', () => {
    expect(resolveRoute('GET', '/api/orders/42?x=1')).toEqual({
      kind: 'upstream',
      service: 'orders',
      upstreamPath: '/orders/42',
      path: '/orders/42',
      isPublic: false,
      isCredentialAttempt: false,
    });
    expect(resolveRoute('GET', '/api/products/caf%C3%A9')).toMatchObject({
      service: 'products',
      upstreamPath: '/products/caf%C3%A9',
      path: '/products/café',
    });
  });

  it('prefers the longest prefix and matches whole segments only', () => {
    expect(resolveRoute('GET', '/api/admin/orders/1')).toMatchObject({ service: 'orders' });
    expect(resolveRoute('GET', '/api/admin/users')).toMatchObject({ service: 'auth' });
    expect(resolveRoute('GET', '/api/admin/campaigns/7')).toMatchObject({
      service: 'notifications',
    });
    expect(resolveRoute('GET', '/api/admin/analytics/summary')).toMatchObject({
      service: 'analytics',
    });
    expect(resolveRoute('GET', '/api/admin/queues/api/queues')).toMatchObject({
      service: 'workers',
    });
    expect(resolveRoute('GET', '/api/ordersx')).toEqual({ kind: 'not-found', reason: 'unknown' });
    expect(resolveRoute('GET', '/api/admin')).toEqual({ kind: 'not-found', reason: 'unknown' });
  });

  it('never routes /api/internal, however it is spelled', () => {
    for (const url of [
      '/api/internal',
      '/api/internal/orders/1',
      '/api/Internal/x',
      '/api/%69nternal/x',
      '/api/%49NTERNAL',
    ]) {
      expect(resolveRoute('GET', url)).toEqual({ kind: 'not-found', reason: 'internal' });
    }
  });

  it('never relays the client-credentials grant, however it is spelled', () => {
    for (const url of [
      '/api/auth/token',
      '/api/auth/token/',
      '/api/AUTH/Token',
      '/api/auth/%74oken',
    ]) {
      expect(resolveRoute('POST', url)).toEqual({ kind: 'not-found', reason: 'internal' });
    }
  });

  it('refuses paths that a router might normalise differently', () => {
    for (const url of [
      '/api/orders/../internal/x',
      '/api/orders/%2e%2e/internal',
      '/api/orders/.',
      '/api/orders//1',
      '/api/orders%2Finternal',
      '/api/orders/a%5Cb',
      '/api/orders/%00',
      '/api/orders/%E0%A4%A',
      '/api',
      '/api/',
    ]) {
      expect({ url, route: resolveRoute('GET', url) }).toEqual({
        url,
        route: { kind: 'not-found', reason: 'malformed' },
      });
    }
    expect(resolveRoute('GET', '/apix/orders')).toEqual({ kind: 'not-found', reason: 'unknown' });
  });

  it('knows the public routes, HEAD like GET', () => {
    const isPublic = (method: string, url: string) =>
      (resolveRoute(method, url) as { isPublic?: boolean }).isPublic;
    expect(isPublic('POST', '/api/auth/login')).toBe(true);
    expect(isPublic('POST', '/api/auth/register')).toBe(true);
    expect(isPublic('POST', '/api/auth/refresh')).toBe(true);
    expect(isPublic('GET', '/api/auth/.well-known/jwks.json')).toBe(true);
    expect(isPublic('GET', '/api/products?q=x')).toBe(true);
    expect(isPublic('HEAD', '/api/products/1')).toBe(true);
    expect(isPublic('GET', '/api/categories')).toBe(true);
    expect(isPublic('POST', '/api/payments/webhooks/stripe')).toBe(true);

    expect(isPublic('POST', '/api/auth/logout')).toBe(false);
    expect(isPublic('GET', '/api/auth/me')).toBe(false);
    expect(isPublic('GET', '/api/auth/login')).toBe(false);
    expect(isPublic('POST', '/api/products')).toBe(false);
    expect(isPublic('GET', '/api/products/1/secret')).toBe(false);
    expect(isPublic('GET', '/api/orders')).toBe(false);
  });

  it('marks sign-in and sign-up attempts for the stricter limit', () => {
    const attempt = (method: string, url: string) =>
      (resolveRoute(method, url) as { isCredentialAttempt?: boolean }).isCredentialAttempt;
    expect(attempt('POST', '/api/auth/login')).toBe(true);
    expect(attempt('POST', '/api/auth/register?x=1')).toBe(true);
    expect(attempt('POST', '/api/auth/refresh')).toBe(false);
    expect(attempt('GET', '/api/auth/login')).toBe(false);
  });
});
