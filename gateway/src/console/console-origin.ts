import type { FastifyRequest } from 'fastify';

/**
 * Whether a browser request comes from the gateway's own origin. Browsers send `Origin` on
 * cross-origin requests and on every non-GET fetch, and `Sec-Fetch-Site` on all of them; either
 * naming another origin refuses the request. A request with neither (curl, a test client) is judged
 * by its cookie and CSRF token alone.
 */
export function fromOwnOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return origin === `${request.protocol}://${request.host}`;
}
