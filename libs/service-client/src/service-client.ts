import { randomUUID } from 'node:crypto';
import { ServiceCallError, parseServiceErrorBody } from './errors';
import {
  type FetchLike,
  type HttpMethod,
  type RawAnswer,
  exchange,
  isSuccess,
  joinUrl,
} from './http';
import type { TokenSource } from './token-provider';

export interface ServiceRequest {
  method: HttpMethod;
  /** Path on the service, e.g. `/internal/orders/42/confirm`. */
  path: string;
  /** Sent as JSON when present. */
  body?: unknown;
  /** Sent as `x-request-id`; a fresh UUID when absent. */
  requestId?: string;
  /** Sent as `idempotency-key` when present. */
  idempotencyKey?: string;
  /** More headers for this call (e.g. `x-analytics: off`); they cannot replace the client's own. */
  headers?: Record<string, string>;
  /** Overrides the client's default timeout for this call (one attempt, body included). */
  timeoutMs?: number;
  /** The caller's cancellation (e.g. an activity's); its reason is rethrown as is. */
  signal?: AbortSignal;
}

export interface ServiceResponse<T> {
  status: number;
  /** The parsed JSON body; undefined for an empty body (204). */
  body: T;
  /** The `x-request-id` the service answered with. */
  requestId?: string;
}

/** What code that calls a service depends on; `ServiceClient` in production, stubs in tests. */
export interface ServiceCaller {
  /** The service's name, used in errors and logs. */
  readonly service: string;
  request<T>(request: ServiceRequest): Promise<ServiceResponse<T>>;
}

export interface ServiceClientOptions {
  /** Name of the service, e.g. `products`; it appears in errors and logs. */
  service: string;
  /** e.g. `http://127.0.0.1:3002`. */
  baseUrl: string;
  /** Where the bearer token comes from; absent, calls carry none (a service's public routes). */
  tokens?: TokenSource;
  /** Default timeout of one call. Default 10 s. */
  timeoutMs?: number;
  fetch?: FetchLike;
  /** Sent as `user-agent`. */
  userAgent?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A JSON client of one service's API, with a service token unless it calls public routes. A 2xx
 * answers `{status, body}`; anything else throws a `ServiceCallError` that says whether trying again can
 * help. A 401 renews the token and tries once more. It never retries otherwise: the caller (a
 * Temporal activity's retry policy) decides that.
 */
export class ServiceClient implements ServiceCaller {
  readonly service: string;
  private readonly baseUrl: string;
  private readonly tokens: TokenSource | undefined;
  private readonly timeoutMs: number;
  private readonly fetch: FetchLike;
  private readonly userAgent: string | undefined;

  constructor(options: ServiceClientOptions) {
    if (!options.baseUrl) throw new Error(`ServiceClient(${options.service}): baseUrl is required`);
    this.service = options.service;
    this.baseUrl = options.baseUrl;
    this.tokens = options.tokens;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.userAgent = options.userAgent;
  }

  async request<T>(request: ServiceRequest): Promise<ServiceResponse<T>> {
    const requestId = request.requestId ?? randomUUID();
    const tokens = this.tokens;
    let token = await tokens?.getToken();
    let answer = await this.send(request, requestId, token);
    if (answer.status === 401 && tokens) {
      // The token was revoked, expired early or signed with a rotated key: one fresh token, one
      // more try. A 401 is answered before anything is done, so repeating the call is safe.
      tokens.invalidate(token);
      token = await tokens.getToken();
      answer = await this.send(request, requestId, token);
    }
    const answeredId = answer.headers.get(REQUEST_ID_HEADER) ?? undefined;
    if (!isSuccess(answer.status)) {
      const body = parseServiceErrorBody(answer.text);
      throw new ServiceCallError({
        kind: 'http',
        service: this.service,
        method: request.method,
        path: request.path,
        status: answer.status,
        ...(body.code === undefined ? {} : { code: body.code }),
        ...(body.message === undefined ? {} : { serviceMessage: body.message }),
        ...(body.details === undefined ? {} : { details: body.details }),
        requestId: body.requestId ?? answeredId ?? requestId,
      });
    }
    return {
      status: answer.status,
      body: this.parseBody<T>(request, answer),
      ...(answeredId === undefined ? {} : { requestId: answeredId }),
    };
  }

  private send(
    request: ServiceRequest,
    requestId: string,
    token: string | undefined,
  ): Promise<RawAnswer> {
    const headers: Record<string, string> = {};
    // Lower-cased, so that the client's own headers below replace a caller's in any spelling.
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      headers[name.toLowerCase()] = value;
    }
    headers.accept = 'application/json';
    headers[REQUEST_ID_HEADER] = requestId;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
    if (this.userAgent !== undefined) headers['user-agent'] = this.userAgent;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    return exchange({
      fetch: this.fetch,
      service: this.service,
      method: request.method,
      path: request.path,
      url: joinUrl(this.baseUrl, request.path),
      headers,
      ...(body === undefined ? {} : { body }),
      timeoutMs: request.timeoutMs ?? this.timeoutMs,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
      requestId,
    });
  }

  private parseBody<T>(request: ServiceRequest, answer: RawAnswer): T {
    if (!answer.text.trim()) return undefined as T;
    try {
      return JSON.parse(answer.text) as T;
    } catch (error) {
      throw new ServiceCallError({
        kind: 'invalid-response',
        service: this.service,
        method: request.method,
        path: request.path,
        status: answer.status,
        cause: error,
      });
    }
  }
}
