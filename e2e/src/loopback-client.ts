import { Agent, request } from 'undici';

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
  /** The raw body text (for checks on what a response must never contain). */
  text: string;
}

export type AddressedCall = <T = Record<string, unknown>>(
  method: string,
  path: string,
  options?: {
    body?: unknown;
    rawBody?: string;
    token?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  },
) => Promise<ApiResponse<T>>;

const agents = new Map<string, Agent>();

/**
 * A client whose connections leave from `localAddress` (any of 127.0.0.0/8 works on loopback),
 * so each simulated client has its own address and per-address limits run as in production.
 */
export function clientFrom(base: string, localAddress: string): AddressedCall {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new Agent({ localAddress, keepAliveTimeout: 1000 });
    agents.set(localAddress, agent);
  }
  const dispatcher = agent;
  return async function call<T>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      rawBody?: string;
      token?: string;
      headers?: Record<string, string>;
      timeoutMs?: number;
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await request(`${base}${path}`, {
      method: method as 'GET',
      headers,
      body,
      dispatcher,
      headersTimeout: options.timeoutMs ?? 15_000,
      bodyTimeout: options.timeoutMs ?? 15_000,
    });
    const text = await res.body.text();
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
    }
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.statusCode, body: parsed as T, headers: out, text };
  };
}

/** Closes the agents (keep-alive sockets) opened by `clientFrom`. */
export async function closeClients(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((agent) => agent.close()));
}
