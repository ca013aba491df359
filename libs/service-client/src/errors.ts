/**
 * The one error type of a failed service call, and the pure rules that decide whether trying again
 * can help. Messages name the service, method, path, status and the service's own code and message;
 * never a header, a token or a credential.
 */

/** Why a call failed: the service answered with an error status, or no usable answer arrived. */
export type ServiceCallFailureKind =
  /** The service answered with a non-2xx status. */
  | 'http'
  /** The connection failed (refused, reset, DNS, TLS...). */
  | 'network'
  /** No complete answer within the timeout. */
  | 'timeout'
  /** A 2xx answer whose body is not the JSON it should be. */
  | 'invalid-response';

/** The error body every service answers with (DESIGN §5); fields may be missing on a foreign body. */
export interface ServiceErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  code?: string;
  details?: unknown;
  requestId?: string;
}

export interface ServiceCallErrorInit {
  kind: ServiceCallFailureKind;
  service: string;
  method: string;
  path: string;
  /** HTTP status; undefined when no answer arrived (network error, timeout). */
  status?: number;
  code?: string;
  serviceMessage?: string;
  details?: unknown;
  /** The request id the service answered with (or the one that was sent). */
  requestId?: string;
  timeoutMs?: number;
  cause?: unknown;
}

export class ServiceCallError extends Error {
  override readonly name = 'ServiceCallError';
  readonly kind: ServiceCallFailureKind;
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** The service's own `message` (the error's `message` is a full sentence built around it). */
  readonly serviceMessage: string | undefined;
  readonly details: unknown;
  readonly requestId: string | undefined;
  /** Whether the same call may succeed later: network errors, timeouts, 408, 429 and 5xx. */
  readonly retryable: boolean;

  constructor(init: ServiceCallErrorInit) {
    super(describeFailure(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.service = init.service;
    this.method = init.method;
    this.path = stripQuery(init.path);
    this.status = init.status;
    this.code = init.code;
    this.serviceMessage = init.serviceMessage;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryable = isRetryableFailure(init.kind, init.status);
  }

  /** A plain object for logs and failure details (no cause, no stack). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      service: this.service,
      method: this.method,
      path: this.path,
      status: this.status,
      code: this.code,
      details: this.details,
      requestId: this.requestId,
      retryable: this.retryable,
    };
  }
}

export function isServiceCallError(error: unknown): error is ServiceCallError {
  return error instanceof ServiceCallError;
}

/** Statuses worth another try: the request timed out, was throttled, or the server failed. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function isRetryableFailure(kind: ServiceCallFailureKind, status?: number): boolean {
  switch (kind) {
    // A 2xx whose body cannot be read is most likely a proxy or a truncated answer; the calls are
    // idempotent, so asking again is safe.
    case 'network':
    case 'timeout':
    case 'invalid-response':
      return true;
    case 'http':
      return status !== undefined && isRetryableStatus(status);
  }
}

/**
 * Reads a service's error body. Anything that is not the JSON error shape (an HTML page from a
 * proxy, an empty body) yields `{}` rather than failing: the status still tells what happened.
 */
export function parseServiceErrorBody(text: string): ServiceErrorBody {
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(parsed)) return {};
  const body: ServiceErrorBody = {};
  if (typeof parsed.statusCode === 'number') body.statusCode = parsed.statusCode;
  if (typeof parsed.error === 'string') body.error = parsed.error;
  if (typeof parsed.message === 'string') body.message = parsed.message;
  else if (Array.isArray(parsed.message)) body.message = parsed.message.map(String).join('; ');
  if (typeof parsed.code === 'string') body.code = parsed.code;
  if (parsed.details !== undefined) body.details = parsed.details;
  if (typeof parsed.requestId === 'string') body.requestId = parsed.requestId;
  return body;
}

function describeFailure(init: ServiceCallErrorInit): string {
  const call = `${init.service} ${init.method} ${stripQuery(init.path)}`;
  switch (init.kind) {
    case 'timeout':
      return `${call} timed out${init.timeoutMs === undefined ? '' : ` after ${init.timeoutMs} ms`}`;
    case 'network':
      return `${call} failed: ${networkReason(init.cause)}`;
    case 'invalid-response':
      return `${call} answered${init.status === undefined ? '' : ` ${init.status}`} with a body that is not the expected JSON`;
    case 'http': {
      const code = init.code ? ` ${init.code}` : '';
      const message = init.serviceMessage ? `: ${truncate(init.serviceMessage, 300)}` : '';
      return `${call} answered ${init.status}${code}${message}`;
    }
  }
}

/**
 * The most specific reason Node's fetch gives (it wraps the socket error in `cause`). Duck-typed:
 * undici's errors may come from another realm (e.g. under Jest), where `instanceof Error` fails.
 */
function networkReason(cause: unknown): string {
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const {
      code,
      message,
      cause: inner,
    } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') return code;
    if (inner === undefined) return typeof message === 'string' ? message : 'connection failed';
    current = inner;
  }
  return 'connection failed';
}

/** Query strings may carry data; error messages keep the path only. */
function stripQuery(path: string): string {
  const at = path.indexOf('?');
  return at === -1 ? path : path.slice(0, at);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
