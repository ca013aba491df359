/** The parts of an OpenAPI 3 document the merge reads; everything else is carried as is. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [key: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown> | undefined>;
  tags?: { name: string; [key: string]: unknown }[];
  security?: Record<string, unknown>[];
  [key: string]: unknown;
}

/** One service's contribution: its document, or why there is none. */
export type UpstreamDocument =
  | { readonly service: string; readonly document: OpenApiDocument }
  | { readonly service: string; readonly error: string };

export interface MergeOptions {
  /** The gateway's own document: its paths, components, tags and info come first. */
  readonly base: OpenApiDocument;
  /** In a fixed order (the merge is deterministic for a given order). */
  readonly upstreams: readonly UpstreamDocument[];
  /** Prefix of the public paths, e.g. `/api`. */
  readonly pathPrefix: string;
  /** Whether the gateway routes `publicPath` (with the prefix) to `service`; others are dropped. */
  readonly routes: (service: string, publicPath: string) => boolean;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * One document out of the gateway's own and the services' (`/docs-json`):
 * - a service's paths appear under the prefix, and only those the gateway routes to that service
 *   (its /health, /metrics or /internal endpoints are not reachable through the gateway);
 * - components with the same name and the same definition are shared; a different definition
 *   under a taken name is renamed `<Service><Name>` (then `<Service><Name>2`, ...), and every
 *   `$ref` (and, for security schemes, every security requirement) of that service follows;
 * - operationIds that another service already uses get a `<service>_` prefix;
 * - tags are merged by name, first definition wins;
 * - a service without a document is listed in `x-upstreams` and in the description.
 *
 * Why not a library (measured): `openapi-merge` 2.0.2, the maintained merger, does prefixing,
 * pruning, tags, operationIds and security-scheme renames, but shares a component whose name and
 * text match while a component it references was renamed: with Money integer/string, Line ->
 * Money and Order -> Line in two services, it renames BMoney and BLine yet points the second
 * service's Order at the first's (its equality check caches every reference pair it has seen as
 * equal, per component type), so that service's document silently describes the other's payload.
 * The transitive case in openapi-merge.spec.ts fails with it. Redocly's `join` is an experimental CLI command that
 * prefixes every component or reports conflicts; it does not dedupe identical ones.
 */
export function mergeOpenApi(options: MergeOptions): OpenApiDocument {
  const merged: OpenApiDocument = cloneJson(options.base);
  merged.paths ??= {};
  merged.components ??= {};
  merged.tags = [...(merged.tags ?? [])];
  const operationIds = new Set(collectOperationIds(merged.paths));
  const notes: string[] = [];
  const status: Record<string, { included: boolean; paths?: number; error?: string }> = {};

  for (const upstream of options.upstreams) {
    if ('error' in upstream) {
      status[upstream.service] = { included: false, error: upstream.error };
      notes.push(`- ${upstream.service}: not included (${upstream.error})`);
      continue;
    }
    const source = cloneJson(upstream.document);
    const routed = Object.entries(source.paths ?? {}).filter(([path]) =>
      options.routes(upstream.service, `${options.pathPrefix}${path}`),
    );
    // Only what the routed paths use: schemas of a service's internal endpoints stay out.
    source.components = reachableComponents(source.components ?? {}, routed);
    const renames = planRenames(merged.components, source.components, upstream.service);
    const rewrite = <T>(value: T): T => rewriteRefs(value, renames);

    for (const [type, entries] of Object.entries(source.components ?? {})) {
      if (!isRecord(entries)) continue;
      const target = (merged.components[type] ??= {});
      for (const [name, definition] of Object.entries(entries)) {
        const finalName = renames.get(refOf(type, name))?.name ?? name;
        target[finalName] ??= rewrite(definition);
      }
    }

    let included = 0;
    for (const [path, item] of routed) {
      const publicPath = `${options.pathPrefix}${path}`;
      if (merged.paths[publicPath]) continue;
      const rewritten = rewrite(item);
      for (const [method, operation] of Object.entries(rewritten)) {
        if (!HTTP_METHODS.has(method) || !isRecord(operation)) continue;
        renameSecurity(operation, renames);
        const id = operation.operationId;
        if (typeof id === 'string') {
          const unique = uniqueName(`${upstream.service}_${id}`, operationIds, id);
          operation.operationId = unique;
          operationIds.add(unique);
        }
      }
      merged.paths[publicPath] = rewritten;
      included += 1;
    }

    for (const tag of source.tags ?? []) {
      if (!merged.tags.some((existing) => existing.name === tag.name)) merged.tags.push(tag);
    }
    status[upstream.service] = { included: true, paths: included };
  }

  merged.paths = Object.fromEntries(
    Object.entries(merged.paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  merged['x-upstreams'] = status;
  if (notes.length > 0) {
    const description = merged.info.description ? `${merged.info.description}\n\n` : '';
    merged.info = {
      ...merged.info,
      description: `${description}Some services are missing from this document:\n${notes.join('\n')}`,
    };
  }
  if (merged.tags.length === 0) delete merged.tags;
  return merged;
}

interface Rename {
  readonly type: string;
  readonly name: string;
}

function refOf(type: string, name: string): string {
  return `#/components/${type}/${escapePointer(name)}`;
}

/**
 * Which of `incoming`'s components need a new name. Iterates to a fixed point: renaming one
 * component changes the definitions that reference it, which may then clash in turn.
 */
function planRenames(
  existing: Record<string, Record<string, unknown> | undefined>,
  incoming: Record<string, Record<string, unknown> | undefined>,
  service: string,
): Map<string, Rename> {
  const renames = new Map<string, Rename>();
  const prefix = pascalCase(service);
  for (let changed = true; changed;) {
    changed = false;
    for (const [type, entries] of Object.entries(incoming)) {
      if (!isRecord(entries)) continue;
      const taken = new Set([
        ...Object.keys(existing[type] ?? {}),
        ...Object.keys(entries),
        ...[...renames.values()].filter((r) => r.type === type).map((r) => r.name),
      ]);
      for (const [name, definition] of Object.entries(entries)) {
        const ref = refOf(type, name);
        if (renames.has(ref)) continue;
        const current = existing[type]?.[name];
        if (current === undefined || sameJson(current, rewriteRefs(definition, renames))) {
          continue;
        }
        const newName = uniqueName(
          `${prefix}${name.charAt(0).toUpperCase()}${name.slice(1)}`,
          taken,
        );
        taken.add(newName);
        renames.set(ref, { type, name: newName });
        changed = true;
      }
    }
  }
  return renames;
}

/**
 * The components the given paths reference, directly or through other components. Security
 * schemes are named by security requirements rather than `$ref`s and are always kept.
 */
function reachableComponents(
  components: Record<string, Record<string, unknown> | undefined>,
  paths: readonly [string, unknown][],
): Record<string, Record<string, unknown> | undefined> {
  const reached = new Set<string>();
  const pending: unknown[] = paths.map(([, item]) => item);
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...(node as unknown[]));
    } else if (isRecord(node)) {
      for (const [key, child] of Object.entries(node)) {
        if (key !== '$ref' || typeof child !== 'string') {
          pending.push(child);
          continue;
        }
        const match = /^#\/components\/([^/]+)\/(.+)$/.exec(child);
        if (!match || reached.has(child)) continue;
        reached.add(child);
        const [, type = '', escaped = ''] = match;
        pending.push(components[type]?.[unescapePointer(escaped)]);
      }
    }
  }
  const kept: Record<string, Record<string, unknown>> = {};
  for (const [type, entries] of Object.entries(components)) {
    if (!isRecord(entries)) continue;
    const names = Object.keys(entries).filter(
      (name) => type === 'securitySchemes' || reached.has(refOf(type, name)),
    );
    if (names.length > 0) kept[type] = Object.fromEntries(names.map((n) => [n, entries[n]]));
  }
  return kept;
}

/** `value` with every `$ref` to a renamed component pointing at its new name. */
function rewriteRefs<T>(value: T, renames: ReadonlyMap<string, Rename>): T {
  if (renames.size === 0) return value;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref' && typeof child === 'string') {
        const rename = renames.get(child);
        out[key] = rename ? refOf(rename.type, rename.name) : child;
      } else {
        out[key] = visit(child);
      }
    }
    return out;
  };
  return visit(value) as T;
}

/** Security requirements name their schemes directly, not through `$ref`. */
function renameSecurity(operation: Record<string, unknown>, renames: ReadonlyMap<string, Rename>) {
  if (!Array.isArray(operation.security)) return;
  operation.security = operation.security.map((requirement: unknown) => {
    if (!isRecord(requirement)) return requirement;
    return Object.fromEntries(
      Object.entries(requirement).map(([scheme, scopes]) => [
        renames.get(refOf('securitySchemes', scheme))?.name ?? scheme,
        scopes,
      ]),
    );
  });
}

function collectOperationIds(paths: OpenApiDocument['paths']): string[] {
  const ids: string[] = [];
  for (const item of Object.values(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (HTTP_METHODS.has(method) && isRecord(operation)) {
        if (typeof operation.operationId === 'string') ids.push(operation.operationId);
      }
    }
  }
  return ids;
}

/** `preferred` if free, else `candidate`, `candidate2`, `candidate3`, ... */
function uniqueName(candidate: string, taken: ReadonlySet<string>, preferred?: string): string {
  if (preferred !== undefined && !taken.has(preferred)) return preferred;
  if (!taken.has(candidate)) return candidate;
  for (let n = 2; ; n += 1) if (!taken.has(`${candidate}${n}`)) return `${candidate}${n}`;
}

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

// JSON pointer escaping (RFC 6901) for component names in `$ref`s.
function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

// Documents are JSON: compared and copied as JSON (key order ignored), whatever their prototypes.
function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, child: unknown) =>
    isRecord(child)
      ? Object.fromEntries(Object.entries(child).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : child,
  );
}

function unescapePointer(escaped: string): string {
  return escaped.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
