import { ServiceCallError } from './errors';

/** The part of the global `fetch` the clients use; tests may pass their own. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Exchange {
  fetch: FetchLike;
  service: string;
  method: HttpMethod;
  /** For messages: the path relative to the service. */
  path: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The caller's own cancellation (e.g. the activity's); its reason is rethrown as is. */
  signal?: AbortSignal;
  /** The request id sent, named in network and timeout errors. */
  requestId?: string;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One HTTP round trip, body included, under one timeout. No answer becomes a retryable
 * `ServiceCallError` (`network` or `timeout`); a cancellation by the caller rethrows its reason.
 */
export async function exchange(x: Exchange): Promise<RawAnswer> {
  x.signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(x.timeoutMs);
  const signal = x.signal ? AbortSignal.any([timeout, x.signal]) : timeout;
  try {
    const response = await x.fetch(x.url, {
      method: x.method,
      headers: x.headers,
      ...(x.body === undefined ? {} : { body: x.body }),
      signal,
      // Internal calls never follow a redirect: a 3xx is answered to the caller as an error.
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (x.signal?.aborted) throw x.signal.reason;
    if (timeout.aborted) {
      throw new ServiceCallError({
        kind: 'timeout',
        service: x.service,
        method: x.method,
        path: x.path,
        timeoutMs: x.timeoutMs,
        ...(x.requestId === undefined ? {} : { requestId: x.requestId }),
      });
    }
    throw new ServiceCallError({
      kind: 'network',
      service: x.service,
      method: x.method,
      path: x.path,
      cause: error,
      ...(x.requestId === undefined ? {} : { requestId: x.requestId }),
    });
  }
}

/** `base` + `path` with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
