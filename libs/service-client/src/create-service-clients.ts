import type { FetchLike } from './http';
import { ServiceClient } from './service-client';
import { ServiceTokenProvider } from './token-provider';

export interface ServiceClientsOptions<Name extends string> {
  auth: { url: string; clientId: string; clientSecret: string; timeoutMs?: number };
  /** Base URL of each service, or its URL and its own default timeout. */
  services: Record<Name, string | { baseUrl: string; timeoutMs?: number }>;
  /** Default timeout of a call to any service. Default 10 s. */
  timeoutMs?: number;
  userAgent?: string;
  fetch?: FetchLike;
}

/**
 * One client per service, all sharing one token provider (so one process holds one service token,
 * whatever the number of services it calls).
 */
export function createServiceClients<Name extends string>(
  options: ServiceClientsOptions<Name>,
): { tokens: ServiceTokenProvider; clients: Record<Name, ServiceClient> } {
  const tokens = new ServiceTokenProvider({
    authUrl: options.auth.url,
    clientId: options.auth.clientId,
    clientSecret: options.auth.clientSecret,
    ...(options.auth.timeoutMs === undefined ? {} : { timeoutMs: options.auth.timeoutMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const clients = {} as Record<Name, ServiceClient>;
  for (const name of Object.keys(options.services) as Name[]) {
    const target = options.services[name];
    const { baseUrl, timeoutMs } = typeof target === 'string' ? { baseUrl: target } : target;
    const timeout = timeoutMs ?? options.timeoutMs;
    clients[name] = new ServiceClient({
      service: name,
      baseUrl,
      tokens,
      ...(timeout === undefined ? {} : { timeoutMs: timeout }),
      ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  }
  return { tokens, clients };
}
