import {
  GATEWAY_HIDDEN_PATHS,
  INTERNAL_PREFIX,
  PUBLIC_ROUTES,
  ROUTE_OWNERS,
  type ServiceName,
} from '@commerce/contracts';

/** The public prefix the gateway serves the services' APIs under. */
export const API_PREFIX = '/api';

/** Where a request under /api goes. */
export type RouteResolution =
  | {
      readonly kind: 'upstream';
      readonly service: ServiceName;
      /** The path to request from the service: the client's, still percent-encoded, minus /api. */
      readonly upstreamPath: string;
      /** The decoded path used for matching, e.g. `/auth/login`. */
      readonly path: string;
      /** No access token needed at the edge (PUBLIC_ROUTES). */
      readonly isPublic: boolean;
      /** POST /auth/login or /auth/register: the stricter rate limit applies. */
      readonly isCredentialAttempt: boolean;
    }
  | { readonly kind: 'not-found'; readonly reason: 'internal' | 'unknown' | 'malformed' };

// Longest prefix first, so a nested prefix can never be shadowed by a shorter one.
const OWNERS = [...ROUTE_OWNERS].sort((a, b) => b.prefix.length - a.prefix.length);
const CREDENTIAL_PATHS = new Set(['/auth/login', '/auth/register']);

/**
 * Decides which service owns `rawUrl` (the request target as received, with /api and the query).
 *
 * Matching runs on the decoded path, as the services' routers see it, so `%2e%2e`, `%2F` or an
 * encoded `internal` cannot smuggle a request past the prefix checks; a path with empty, `.` or
 * `..` segments, or an encoded slash or backslash, is refused outright rather than normalised.
 */
export function resolveRoute(method: string, rawUrl: string): RouteResolution {
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  if (rawPath !== API_PREFIX && !rawPath.startsWith(`${API_PREFIX}/`)) {
    return { kind: 'not-found', reason: 'unknown' };
  }
  const upstreamPath = rawPath.slice(API_PREFIX.length);
  const path = decodePath(upstreamPath);
  if (path === undefined) return { kind: 'not-found', reason: 'malformed' };

  const lower = path.toLowerCase();
  if (lower === INTERNAL_PREFIX || lower.startsWith(`${INTERNAL_PREFIX}/`)) {
    return { kind: 'not-found', reason: 'internal' };
  }
  // Compared case-insensitively and without a trailing slash, however the service's router is set.
  if (GATEWAY_HIDDEN_PATHS.includes(lower.replace(/\/+$/, ''))) {
    return { kind: 'not-found', reason: 'internal' };
  }
  const owner = OWNERS.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`));
  if (!owner) return { kind: 'not-found', reason: 'unknown' };

  // HEAD is a GET without the body: the same routes are public.
  const effectiveMethod = method === 'HEAD' ? 'GET' : method;
  return {
    kind: 'upstream',
    service: owner.service,
    upstreamPath,
    path,
    isPublic: PUBLIC_ROUTES.some(
      (route) =>
        (route.method === '*' || route.method === effectiveMethod) && route.pattern.test(path),
    ),
    isCredentialAttempt: method === 'POST' && CREDENTIAL_PATHS.has(path),
  };
}

/** Percent-decodes each segment; undefined when the path is not one we are willing to route. */
function decodePath(rawPath: string): string | undefined {
  if (!rawPath.startsWith('/')) return undefined;
  const segments = rawPath.slice(1).split('/');
  const decoded: string[] = [];
  for (const [index, segment] of segments.entries()) {
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    // A trailing slash leaves one empty last segment; anywhere else it is a `//`.
    const isTrailing = index === segments.length - 1 && index > 0;
    if ((value === '' && !isTrailing) || value === '.' || value === '..') return undefined;
    if (value.includes('/') || value.includes('\\') || value.includes('\0')) return undefined;
    decoded.push(value);
  }
  return `/${decoded.join('/')}`;
}
