import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Headers that describe one connection rather than the message (RFC 9110 §7.6.1), plus `expect`
 * (the gateway answers `100-continue` itself and streams the body on) and `http2-settings`.
 * They never cross the gateway in either direction; neither do the headers a `Connection` header
 * names.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
]);

export const GATEWAY_SOURCE_HEADER = 'x-gateway-source';
export const GATEWAY_SOURCE = 'gateway';

type Headers = IncomingHttpHeaders | OutgoingHttpHeaders;

/** A copy of `headers` without hop-by-hop headers and without those `Connection` lists. */
export function withoutHopByHop<T extends Headers>(headers: T): T {
  // Runs twice per proxied request: no Set for the usual message whose Connection names only
  // headers that go anyway (keep-alive).
  const tokens = connectionTokens(headers.connection);
  const listed = tokens.some((token) => !HOP_BY_HOP_HEADERS.has(token))
    ? new Set(tokens)
    : undefined;
  const kept: Record<string, unknown> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(lower) || listed?.has(lower)) continue;
    kept[name] = value;
  }
  return kept as T;
}

function connectionTokens(value: unknown): string[] {
  const joined = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  if (joined === '') return [];
  return joined
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token.length > 0);
}

export interface ForwardingFacts {
  readonly requestId: string;
  /** The peer the gateway's socket talks to. */
  readonly remoteAddress: string | undefined;
  /** Client scheme and host as Fastify resolved them (trust-proxy aware). */
  readonly protocol: string;
  readonly host: string;
  /** Whether the peer is a proxy we trust, so its X-Forwarded-* may be extended rather than reset. */
  readonly trustForwarded: boolean;
}

/**
 * The request headers an upstream receives: the client's, minus hop-by-hop headers, plus the
 * request id (the one the client gets back), `X-Gateway-Source` and the X-Forwarded-* trio.
 * Forwarding headers from an untrusted client are replaced, never extended, so a client cannot
 * pose as another address to the services' own per-address limits.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  facts: ForwardingFacts,
): IncomingHttpHeaders {
  const headers = withoutHopByHop(incoming);
  const priorFor = facts.trustForwarded ? single(incoming['x-forwarded-for']) : undefined;
  if (!facts.trustForwarded) {
    delete headers.forwarded;
    delete headers['x-real-ip'];
  }
  const peer = facts.remoteAddress ?? 'unknown';
  headers['x-forwarded-for'] = priorFor ? `${priorFor}, ${peer}` : peer;
  headers['x-forwarded-proto'] = facts.protocol;
  headers['x-forwarded-host'] = facts.host;
  headers['x-request-id'] = facts.requestId;
  headers[GATEWAY_SOURCE_HEADER] = GATEWAY_SOURCE;
  return headers;
}

/** The upstream's response headers as the client gets them: hop-by-hop gone, our request id. */
export function clientResponseHeaders(
  upstream: IncomingHttpHeaders,
  requestId: string,
): IncomingHttpHeaders {
  const headers = withoutHopByHop(upstream);
  headers['x-request-id'] = requestId;
  return headers;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
