import { AppError } from '@commerce/nest-kit';

/** Codes of the gateway's own answers about its upstreams (in the kit's error shape). */
export const GatewayErrorCode = {
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
} as const;

/** How a proxied call ended, for the breaker, the metrics and the client's answer. */
export type UpstreamOutcome =
  | 'ok' // any status below 500, the upstream's own 4xx included
  | 'server_error' // the upstream answered 5xx (passed through unchanged)
  | 'timeout'
  | 'unavailable' // could not connect
  | 'broken' // the connection failed mid-exchange
  | 'rejected' // circuit open: not attempted
  | 'disabled' // upstream not enabled on this gateway
  | 'client_abort' // the client went away; says nothing about the upstream
  | 'body_refused'; // the upstream hung up before taking the whole body; not its ill health

const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUTS = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
  'FST_REPLY_FROM_TIMEOUT',
]);

/**
 * Error codes on `error` and its causes, outermost first (reply-from wraps undici's errors).
 * Duck-typed: errors raised by Node's internals may come from another realm (e.g. under Jest),
 * where `instanceof Error` is false.
 */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, errors, cause } = current as {
      code?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') codes.push(code);
    // Happy eyeballs: an AggregateError of the per-address attempts.
    if (Array.isArray(errors)) codes.push(...errors.flatMap((inner) => errorCodes(inner)));
    current = cause;
  }
  return codes;
}

/** A short reason for logs and notes: the innermost error code, else the message. */
export function describeError(error: unknown): string {
  const codes = errorCodes(error);
  if (codes.includes('ABORT_ERR') || (error as { name?: unknown })?.name === 'TimeoutError') {
    return 'timed out';
  }
  const innermost = codes.at(-1);
  if (innermost) return innermost;
  const message = (error as { message?: unknown })?.message;
  return typeof message === 'string' ? message : String(error);
}

export function classifyTransportError(error: unknown): 'timeout' | 'unavailable' | 'broken' {
  const codes = errorCodes(error);
  if (codes.some((code) => TIMEOUTS.has(code))) return 'timeout';
  if (codes.some((code) => CONNECT_FAILURES.has(code))) return 'unavailable';
  return 'broken';
}

/** The client's answer when a call failed before any upstream response was relayed. */
export function upstreamError(
  outcome: 'timeout' | 'unavailable' | 'broken' | 'rejected' | 'disabled',
  service: string,
  detail: { timeoutMs?: number; retryAfterSeconds?: number; cause?: unknown } = {},
): AppError {
  switch (outcome) {
    case 'timeout':
      return new AppError({
        status: 504,
        code: GatewayErrorCode.UPSTREAM_TIMEOUT,
        message: `The ${service} service did not answer within ${detail.timeoutMs ?? '?'} ms`,
        cause: detail.cause,
      });
    case 'unavailable':
      return new AppError({
        status: 503,
        code: GatewayErrorCode.UPSTREAM_UNAVAILABLE,
        message: `The ${service} service cannot be reached`,
        cause: detail.cause,
      });
    case 'broken':
      return new AppError({
        status: 502,
        code: GatewayErrorCode.UPSTREAM_UNAVAILABLE,
        message: `The connection to the ${service} service failed`,
        cause: detail.cause,
      });
    case 'rejected':
      return new AppError({
        status: 503,
        code: GatewayErrorCode.UPSTREAM_UNAVAILABLE,
        message: `The ${service} service is failing; requests are paused (circuit open)`,
      });
    case 'disabled':
      return new AppError({
        status: 503,
        code: GatewayErrorCode.UPSTREAM_UNAVAILABLE,
        message: `The ${service} service is not enabled on this gateway`,
      });
  }
}
