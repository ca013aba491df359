import type { FastifyRequest } from 'fastify';
import { type RouteResolution, resolveRoute } from './route-table';

export type UpstreamRoute = Extract<RouteResolution, { kind: 'upstream' }>;

// Memoised per request: the route guard, the auth check and the rate limiter all ask.
const RESOLVED = new WeakMap<object, RouteResolution>();

/** Where `request` (under /api) goes; computed once per request. */
export function routeOf(request: FastifyRequest): RouteResolution {
  let route = RESOLVED.get(request);
  if (!route) {
    route = resolveRoute(request.method, request.raw.url ?? request.url);
    RESOLVED.set(request, route);
  }
  return route;
}

/** The upstream route of a proxied request, or undefined for the gateway's own routes. */
export function upstreamRouteOf(request: FastifyRequest): UpstreamRoute | undefined {
  const route = routeOf(request);
  return route.kind === 'upstream' ? route : undefined;
}
