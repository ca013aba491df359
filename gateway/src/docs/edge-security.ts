import type { OpenApiDocument } from './openapi-merge';
import { resolveRoute } from '../routing/route-table';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * What the edge adds to the merged document: the server (this gateway, at its own origin) and
 * each operation's security requirement as the gateway enforces it. An operation the services
 * left without one is public at the edge (PUBLIC_ROUTES, the gateway's own health and document:
 * `security: []`) or needs a bearer token (everything else under /api). Clients and generators
 * then read what the gateway really does.
 */
export function describeEdge(document: OpenApiDocument): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [template, item] of Object.entries(document.paths)) {
    const sample = template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
    const next: Record<string, unknown> = { ...item };
    for (const method of METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (!operation || Array.isArray(operation.security)) continue;
      const route = resolveRoute(method.toUpperCase(), sample);
      const isPublic = route.kind !== 'upstream' || route.isPublic;
      next[method] = { ...operation, security: isPublic ? [] : [{ bearer: [] }] };
    }
    paths[template] = next;
  }
  return { ...document, servers: [{ url: '/', description: 'This gateway' }], paths };
}
