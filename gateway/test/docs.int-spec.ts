import { type RunningGateway, startGateway } from './support/gateway';
import { StandInUpstream, standInDocs } from './support/stand-in-upstream';

interface Operation {
  operationId?: string;
  security?: unknown;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface MergedDocument {
  openapi: string;
  info: { title: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown> }>;
    securitySchemes: unknown;
  };
  'x-upstreams': unknown;
}

const errorSchema = {
  type: 'object',
  properties: { statusCode: { type: 'number' }, code: { type: 'string' } },
};

// One public document merged from the services' own /docs-json.
describe('merged OpenAPI document', () => {
  let auth: StandInUpstream;
  let products: StandInUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    auth = await new StandInUpstream({
      docs: standInDocs(
        'auth',
        {
          '/auth/login': {
            post: {
              operationId: 'AuthController_login',
              tags: ['auth'],
              responses: {
                '200': { description: 'ok' },
                '400': {
                  description: 'bad',
                  content: {
                    'application/json': {
                      schema: { $ref: '#/components/schemas/ErrorResponseDto' },
                    },
                  },
                },
              },
            },
          },
          '/auth/me': {
            get: {
              operationId: 'AuthController_me',
              security: [{ bearer: [] }],
              responses: {
                '200': {
                  description: 'me',
                  content: {
                    'application/json': { schema: { $ref: '#/components/schemas/User' } },
                  },
                },
              },
            },
          },
          '/admin/users': {
            get: { operationId: 'list', responses: { '200': { description: 'ok' } } },
          },
          // Not reachable through the gateway: left out.
          '/health': {
            get: { operationId: 'health', responses: { '200': { description: 'ok' } } },
          },
          '/internal/tokens': { post: { responses: { '200': { description: 'ok' } } } },
          '/products': { get: { responses: { '200': { description: 'not auth’s' } } } },
        },
        {
          ErrorResponseDto: errorSchema,
          User: {
            type: 'object',
            properties: { id: { type: 'string' }, email: { type: 'string' } },
          },
        },
      ),
    }).start();
    products = await new StandInUpstream({
      docs: standInDocs(
        'products',
        {
          '/products': {
            get: {
              operationId: 'list',
              tags: ['products'],
              responses: {
                '200': {
                  description: 'ok',
                  content: {
                    'application/json': { schema: { $ref: '#/components/schemas/User' } },
                  },
                },
              },
            },
          },
          '/products/{id}': {
            get: {
              operationId: 'get',
              parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
              responses: {
                '404': {
                  description: 'gone',
                  content: {
                    'application/json': {
                      schema: { $ref: '#/components/schemas/ErrorResponseDto' },
                    },
                  },
                },
              },
            },
          },
        },
        {
          ErrorResponseDto: errorSchema,
          // Same name, another shape: renamed for this service.
          User: { type: 'object', properties: { sku: { type: 'string' } } },
        },
      ),
    }).start();
    const down = await new StandInUpstream().start();
    const downUrl = down.url;
    await down.stop();
    gateway = await startGateway({
      UPSTREAMS: 'auth,products,orders',
      AUTH_URL: auth.url,
      PRODUCTS_URL: products.url,
      ORDERS_URL: downUrl,
      DOCS_FETCH_TIMEOUT_MS: '2000',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([auth?.stop(), products?.stop()]);
  });

  it('contains the services’ routable paths under /api and the gateway’s own', async () => {
    const res = await fetch(`${gateway.url}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as MergedDocument;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Commerce API');
    // The gateway's own: the console session routes and the probes.
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/admin/session',
      '/admin/session/refresh',
      '/api/admin/users',
      '/api/auth/login',
      '/api/auth/me',
      '/api/products',
      '/api/products/{id}',
      '/health',
      '/health/live',
    ]);
    expect(doc.paths['/api/auth/me']?.get?.security).toEqual([{ bearer: [] }]);
  });

  it('shares identical components and renames conflicting ones, refs included', async () => {
    const doc = (await (await fetch(`${gateway.url}/docs-json`)).json()) as MergedDocument;
    const schemas = doc.components.schemas;
    expect(schemas.ErrorResponseDto).toEqual(errorSchema);
    expect(schemas.User?.properties).toHaveProperty('email');
    expect(schemas.ProductsUser?.properties).toHaveProperty('sku');
    expect(
      doc.paths['/api/products']?.get?.responses['200']?.content?.['application/json']?.schema,
    ).toEqual({ $ref: '#/components/schemas/ProductsUser' });
    expect(
      doc.paths['/api/auth/me']?.get?.responses['200']?.content?.['application/json']?.schema,
    ).toEqual({ $ref: '#/components/schemas/User' });
    // operationIds stay unique across services.
    expect(doc.paths['/api/admin/users']?.get?.operationId).toBe('list');
    expect(doc.paths['/api/products']?.get?.operationId).toBe('products_list');
    expect(doc.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      consoleSession: expect.objectContaining({
        type: 'apiKey',
        in: 'cookie',
        name: 'commerce_console',
      }),
    });
  });

  it('skips a service that is down with a note instead of failing', async () => {
    const doc = (await (await fetch(`${gateway.url}/docs-json`)).json()) as MergedDocument;
    expect(doc['x-upstreams']).toMatchObject({
      auth: { included: true, paths: 3 },
      products: { included: true, paths: 2 },
      orders: { included: false, error: expect.stringContaining('ECONNREFUSED') },
    });
    expect(doc.info.description).toContain('orders: not included');
  });

  it('serves Swagger UI at /docs with the merged document', async () => {
    const ui = await fetch(`${gateway.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    const init = await fetch(`${gateway.url}/docs/swagger-ui-init.js`);
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('/api/products/{id}');
  });
});
