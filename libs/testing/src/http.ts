/** A JSON answer as the service tests read it. */
export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  /** Sent as JSON (a string is sent as it is, still labelled JSON). */
  body?: unknown;
  /** A raw body, sent verbatim as `application/json` (malformed-JSON tests). */
  raw?: string;
  /** Bearer token. */
  token?: string;
  headers?: Record<string, string>;
}

/**
 * One HTTP call against a service under test. The body comes back parsed when it is JSON, as text
 * when it is not (a PDF, an HTML page), and as `{}` when empty.
 */
export async function requestJson<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.raw;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = {};
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}
