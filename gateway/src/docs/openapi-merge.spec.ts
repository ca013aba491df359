import { type OpenApiDocument, mergeOpenApi } from './openapi-merge';

const doc = (
  paths: OpenApiDocument['paths'],
  components: OpenApiDocument['components'] = {},
  extra: Partial<OpenApiDocument> = {},
): OpenApiDocument => ({
  openapi: '3.0.0',
  info: { title: 'svc', version: '1' },
  paths,
  components,
  ...extra,
});
const ref = (name: string, type = 'schemas') => ({ $ref: `#/components/${type}/${name}` });
const ok = (schema: unknown) => ({
  '200': { description: 'ok', content: { 'application/json': { schema } } },
});

const merge = (upstreams: Parameters<typeof mergeOpenApi>[0]['upstreams']) =>
  mergeOpenApi({
    base: doc(
      { '/health': { get: { operationId: 'health', responses: {} } } },
      {},
      {
        info: { title: 'Gateway', version: '1', description: 'Own.' },
        tags: [{ name: 'health' }],
      },
    ),
    upstreams,
    pathPrefix: '/api',
    routes: (service, path) => path.startsWith(`/api/${service}`),
  });

describe('mergeOpenApi', () => {
  it('prefixes routable paths, drops the others and sorts them', () => {
    const merged = merge([
      {
        service: 'b',
        document: doc({
          '/b/2': { get: { responses: {} } },
          '/b/1': { post: { responses: {} } },
          '/health': { get: { responses: {} } },
          '/a/stolen': { get: { responses: {} } },
        }),
      },
    ]);
    expect(Object.keys(merged.paths)).toEqual(['/api/b/1', '/api/b/2', '/health']);
    expect(merged['x-upstreams']).toEqual({ b: { included: true, paths: 2 } });
    expect(merged.info).toEqual({ title: 'Gateway', version: '1', description: 'Own.' });
  });

  it('renames clashing components per service and follows every reference, transitively', () => {
    const merged = merge([
      {
        service: 'a',
        document: doc(
          { '/a': { get: { responses: ok(ref('Order')) } } },
          {
            schemas: {
              Money: { type: 'integer' },
              Line: { type: 'object', properties: { price: ref('Money') } },
              Order: { type: 'object', properties: { lines: { items: ref('Line') } } },
            },
          },
        ),
      },
      {
        service: 'b',
        document: doc(
          {
            '/b': { get: { responses: ok(ref('Order')) } },
            '/b/same': { get: { responses: ok(ref('Same')) } },
          },
          {
            schemas: {
              // Clashes: renamed. Line is written the same but now points at BMoney: renamed too,
              // and so is Order, which points at Line.
              Money: { type: 'string' },
              Line: { type: 'object', properties: { price: ref('Money') } },
              Order: { type: 'object', properties: { lines: { items: ref('Line') } } },
              Same: { type: 'boolean' },
            },
          },
        ),
      },
      {
        service: 'c',
        document: doc(
          { '/c': { get: { responses: ok({ items: [ref('Money'), ref('Same')] }) } } },
          { schemas: { Money: { type: 'integer' }, Same: { type: 'boolean' } } },
        ),
      },
    ]);
    const schemas = merged.components!.schemas!;
    expect(Object.keys(schemas).sort()).toEqual(
      ['BLine', 'BMoney', 'BOrder', 'Line', 'Money', 'Order', 'Same'].sort(),
    );
    expect(schemas.BMoney).toEqual({ type: 'string' });
    expect(schemas.BLine).toEqual({ type: 'object', properties: { price: ref('BMoney') } });
    expect(schemas.BOrder).toEqual({
      type: 'object',
      properties: { lines: { items: ref('BLine') } },
    });
    expect(schemas.Order).toEqual({
      type: 'object',
      properties: { lines: { items: ref('Line') } },
    });
    const schemaOf = (path: string) =>
      (
        merged.paths[path]!.get as {
          responses: Record<string, { content: Record<string, { schema: unknown }> }>;
        }
      ).responses['200']!.content['application/json']!.schema;
    expect(schemaOf('/api/a')).toEqual(ref('Order'));
    expect(schemaOf('/api/b')).toEqual(ref('BOrder'));
  });

  it('is deterministic', () => {
    const upstreams = [
      {
        service: 'a',
        document: doc(
          { '/a': { get: { responses: ok(ref('X')) } } },
          { schemas: { X: { type: 'integer' } } },
        ),
      },
      {
        service: 'b',
        document: doc(
          { '/b': { get: { responses: ok({ oneOf: [ref('X'), ref('BX')] }) } } },
          { schemas: { X: { type: 'string' }, BX: { type: 'null' } } },
        ),
      },
    ];
    const first = merge(upstreams);
    expect(merge(upstreams)).toEqual(first);
    // B's own BX keeps its name; its clashing X becomes BX2.
    expect(first.components!.schemas).toEqual({
      X: { type: 'integer' },
      BX: { type: 'null' },
      BX2: { type: 'string' },
    });
  });

  it('leaves out components only unrouted paths use', () => {
    const merged = merge([
      {
        service: 'a',
        document: doc(
          {
            '/a': { get: { responses: ok(ref('Public')) } },
            '/internal/a': { get: { responses: ok(ref('Secret')) } },
          },
          {
            schemas: {
              Public: { properties: { nested: ref('Nested') } },
              Nested: { type: 'string' },
              Secret: { type: 'object' },
              Unused: { type: 'object' },
            },
            responses: { Unused: { description: 'x' } },
            securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
          },
        ),
      },
    ]);
    expect(Object.keys(merged.components!.schemas!).sort()).toEqual(['Nested', 'Public']);
    expect(merged.components!.responses).toBeUndefined();
    expect(merged.components!.securitySchemes).toHaveProperty('bearer');
  });

  it('renames security schemes in security requirements and dedupes operationIds', () => {
    const merged = merge([
      {
        service: 'a',
        document: doc(
          { '/a': { get: { operationId: 'list', security: [{ bearer: [] }], responses: {} } } },
          { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        ),
      },
      {
        service: 'b',
        document: doc(
          { '/b': { get: { operationId: 'list', security: [{ bearer: [] }], responses: {} } } },
          { securitySchemes: { bearer: { type: 'apiKey', in: 'header', name: 'x-key' } } },
        ),
      },
    ]);
    expect(Object.keys(merged.components!.securitySchemes!)).toEqual(['bearer', 'BBearer']);
    expect(merged.paths['/api/a']!.get).toMatchObject({
      operationId: 'list',
      security: [{ bearer: [] }],
    });
    expect(merged.paths['/api/b']!.get).toMatchObject({
      operationId: 'b_list',
      security: [{ BBearer: [] }],
    });
  });

  it('notes services without a document instead of failing', () => {
    const merged = merge([
      { service: 'a', error: 'GET http://a/docs-json failed: ECONNREFUSED' },
      {
        service: 'b',
        document: doc(
          { '/b': { get: { responses: {} } } },
          {},
          { tags: [{ name: 'b' }, { name: 'health', description: 'dup' }] },
        ),
      },
    ]);
    expect(merged['x-upstreams']).toEqual({
      a: { included: false, error: 'GET http://a/docs-json failed: ECONNREFUSED' },
      b: { included: true, paths: 1 },
    });
    expect(merged.info.description).toBe(
      'Own.\n\nSome services are missing from this document:\n- a: not included (GET http://a/docs-json failed: ECONNREFUSED)',
    );
    expect(merged.tags).toEqual([{ name: 'health' }, { name: 'b' }]);
  });
});
