import { describeEdge } from './edge-security';

describe('describeEdge', () => {
  it('states the server and each operation’s security as the edge enforces it', () => {
    const out = describeEdge({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      servers: [],
      paths: {
        '/health': { get: { responses: {} } },
        '/api/auth/login': { post: { responses: {} } },
        '/api/products/{id}': { get: { responses: {} }, patch: { responses: {} } },
        '/api/orders': { get: { responses: {}, security: [{ bearer: [] }] } },
      },
    });
    expect(out.servers).toEqual([{ url: '/', description: 'This gateway' }]);
    expect(out.paths['/health']?.get).toMatchObject({ security: [] });
    expect(out.paths['/api/auth/login']?.post).toMatchObject({ security: [] });
    expect(out.paths['/api/products/{id}']?.get).toMatchObject({ security: [] });
    expect(out.paths['/api/products/{id}']?.patch).toMatchObject({ security: [{ bearer: [] }] });
    expect(out.paths['/api/orders']?.get).toMatchObject({ security: [{ bearer: [] }] });
  });
});
