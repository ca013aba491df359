import fc from 'fast-check';

/** The parts of an OpenAPI 3 document the fuzzer reads. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}
export interface OpenApiOperation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Record<string, unknown>[];
}
export interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  maxLength?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

/** One hostile request: every one carries at least one defect the API must refuse. */
export interface HostileRequest {
  method: string;
  path: string;
  body?: unknown;
  rawBody?: string;
  /** 'valid': the caller's token; otherwise a garbage token replaces it. */
  token: 'valid' | { garbage: string };
  defect: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Ids that are never valid: not UUIDs, hostile to parsers, routers and databases. */
export const badId = fc.constantFrom(
  'not-a-uuid',
  '0',
  '-1',
  '99999999999999999999999',
  "1' OR '1'='1",
  '{"$gt":""}',
  '$where',
  '😀😀😀',
  'ｆｕｌｌｗｉｄｔｈ',
  '\u202e\u0000',
  'a'.repeat(2048),
  '00000000-0000-0000-0000-00000000000g',
  '%00',
  '[object Object]',
);

/** Values of the wrong type or at the edges of what any field could accept. */
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    -1,
    0,
    2 ** 31,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    -1e308,
    '',
    ' ',
    'a'.repeat(70_000),
    '😀'.repeat(5000),
    '\u0000',
    '<script>alert(1)</script>',
    "'; DROP TABLE users; --",
    { $gt: '' },
    { $ne: null },
    { $where: 'sleep(1000)' },
    [],
    [{ $gt: '' }],
    {},
  ),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.integer(),
  fc.double(),
);

/** Query values that no integer parameter accepts. */
const notAnInteger = fc.constantFrom(
  'abc',
  '-1',
  '1e309',
  '1.5',
  '99999999999999999999',
  '[object Object]',
  '0x10',
);
const hostileQueryValue = fc.oneof(notAnInteger, fc.string({ unit: 'binary', maxLength: 32 }));

const garbageToken = fc.constantFrom(
  'x',
  'a.b.c',
  `eyJhbGciOiJub25lIn0.${Buffer.from('{"sub":"x","roles":["SUPER_ADMIN"]}').toString('base64url')}.`,
  'é'.repeat(3000),
  'Bearer Bearer',
  '.'.repeat(50),
);

function resolve(doc: OpenApiDoc, schema: Schema | undefined, depth = 0): Schema | undefined {
  if (!schema || depth > 5) return schema;
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return resolve(doc, doc.components?.schemas?.[name], depth + 1);
  }
  if (schema.allOf?.length) {
    const parts = schema.allOf.map((s) => resolve(doc, s, depth + 1) ?? {});
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<
        string,
        Schema
      >,
      required: parts.flatMap((p) => p.required ?? []),
    };
  }
  return schema;
}

/** A plausible value for `schema`, so the defects, not a missing field, are what gets refused. */
function plausible(doc: OpenApiDoc, schema: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (!s || depth > 3) return 'x';
  if (s.enum?.length) return s.enum[0];
  switch (s.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [plausible(doc, s.items, depth + 1)];
    case 'object':
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([k, v]) => [k, plausible(doc, v, depth + 1)]),
      );
    default:
      return 'x';
  }
}

function wrongTypeFor(doc: OpenApiDoc, schema: Schema | undefined): unknown {
  const type = resolve(doc, schema)?.type;
  if (type === 'string') return { $gt: '' };
  if (type === 'integer' || type === 'number') return 'NaN';
  if (type === 'boolean') return 'yes';
  if (type === 'array') return { $in: [] };
  return 12345;
}

/** The operations of the merged document, with an arbitrary of hostile requests for each. */
export function hostileRequests(
  doc: OpenApiDoc,
  prefix: string,
): {
  operation: string;
  arbitrary: fc.Arbitrary<HostileRequest> | undefined;
}[] {
  const out: { operation: string; arbitrary: fc.Arbitrary<HostileRequest> | undefined }[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    if (!template.startsWith(prefix)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      out.push({
        operation: `${method.toUpperCase()} ${template}`,
        arbitrary: forOperation(doc, template, method.toUpperCase(), op),
      });
    }
  }
  return out;
}

function forOperation(
  doc: OpenApiDoc,
  template: string,
  method: string,
  op: OpenApiOperation,
): fc.Arbitrary<HostileRequest> | undefined {
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
  const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
  const intQuery = queryParams.filter((p) => {
    const type = resolve(doc, p.schema)?.type;
    return type === 'integer' || type === 'number';
  });
  const bodySchema = resolve(doc, op.requestBody?.content?.['application/json']?.schema);
  const needsToken = (op.security ?? []).some((r) => Object.keys(r).length > 0);

  const fillPath = (ids: string[]) => {
    let i = 0;
    return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(ids[i++] ?? 'x'));
  };
  const plainPath = () => template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
  const query = (pairs: [string, string][]) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;

  const variants: fc.Arbitrary<HostileRequest>[] = [];

  if (pathParams.length > 0) {
    variants.push(
      fc
        .array(badId, { minLength: pathParams.length, maxLength: pathParams.length })
        .map((ids) => ({
          method,
          path: fillPath(ids),
          ...(bodySchema ? { body: plausible(doc, bodySchema) } : {}),
          token: 'valid' as const,
          defect: `bad ids ${JSON.stringify(ids).slice(0, 80)}`,
        })),
    );
  }
  if (bodySchema && bodySchema.type === 'object') {
    const props = Object.keys(bodySchema.properties ?? {});
    const required = bodySchema.required ?? [];
    variants.push(
      fc
        .record({
          extra: fc.constantFrom('$where', 'isAdmin', 'roles', '__proto__x', 'constructor'),
          extraValue: hostileValue,
          wrong: props.length ? fc.constantFrom(...props) : fc.constant(undefined),
          drop: required.length ? fc.option(fc.constantFrom(...required)) : fc.constant(null),
          hostile: fc.dictionary(
            props.length ? fc.constantFrom(...props) : fc.constant('x'),
            hostileValue,
            { maxKeys: 3 },
          ),
        })
        .map(({ extra, extraValue, wrong, drop, hostile }) => {
          const body = {
            ...(plausible(doc, bodySchema) as Record<string, unknown>),
            ...hostile,
          } as Record<string, unknown>;
          if (wrong) body[wrong] = wrongTypeFor(doc, bodySchema.properties?.[wrong]);
          if (drop) delete body[drop];
          // The guaranteed defect: a field the API does not know.
          body[extra] = extraValue;
          return {
            method,
            path: plainPath(),
            body,
            token: 'valid' as const,
            defect: `body: unknown ${extra}, wrong ${wrong ?? '-'}, missing ${drop ?? '-'}`,
          };
        }),
    );
    variants.push(
      fc
        .constantFrom('', 'null', '[]', '"x"', '{', '{"a":', '1e999', '{"__proto__":{"x":1}}')
        .map((rawBody) => ({
          method,
          path: plainPath(),
          rawBody,
          token: 'valid' as const,
          defect: `malformed body ${rawBody}`,
        })),
    );
  }
  if (!bodySchema && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
    // No JSON schema to follow (a webhook's raw body, an action without a body): junk bytes.
    variants.push(
      fc
        .constantFrom('{', 'null', '{"type":{"$gt":""}}', '\u0000', 'x'.repeat(100_000))
        .map((rawBody) => ({
          method,
          path: plainPath(),
          rawBody,
          token: 'valid' as const,
          defect: `junk body ${rawBody.slice(0, 20)}`,
        })),
    );
  }
  if (intQuery.length > 0) {
    variants.push(
      fc
        .record({
          bad: fc.constantFrom(...intQuery.map((p) => p.name)),
          value: notAnInteger,
          others: fc.array(
            fc.tuple(fc.constantFrom(...queryParams.map((p) => p.name)), hostileQueryValue),
            { maxLength: 3 },
          ),
        })
        .map(({ bad, value, others }) => ({
          method,
          path: `${plainPath()}${query([...others.filter(([k]) => k !== bad), [bad, value]])}`,
          token: 'valid' as const,
          defect: `query ${bad}=${value}`,
        })),
    );
  }
  if (needsToken) {
    variants.push(
      garbageToken.map((garbage) => ({
        method,
        path: plainPath(),
        ...(bodySchema ? { body: plausible(doc, bodySchema) } : {}),
        token: { garbage },
        defect: `garbage token ${garbage.slice(0, 20)}`,
      })),
    );
  }
  return variants.length > 0 ? fc.oneof(...variants) : undefined;
}
