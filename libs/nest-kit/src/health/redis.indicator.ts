import type { InjectionToken } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  DEFAULT_HEALTH_TIMEOUT_MS,
  type DependencyProbe,
  type HealthIndicatorDefinition,
} from './health.types';

export interface RedisHealthOptions {
  /** Key in the health report; default `redis`. */
  readonly name?: string;
  readonly timeoutMs?: number;
}

export type RedisHealthSource =
  /** The probe opens (and at shutdown closes) a connection of its own to this URL. */
  | { readonly url: string }
  /** The probe pings an ioredis client the app already provides under this token. */
  | { readonly inject: InjectionToken; readonly imports?: HealthIndicatorDefinition['imports'] };

/** Readiness check for Redis: `PING` must answer `PONG` within the timeout. */
export function redisHealthIndicator(
  source: RedisHealthSource,
  options: RedisHealthOptions = {},
): HealthIndicatorDefinition {
  const name = options.name ?? 'redis';
  const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  if ('url' in source) {
    return { name, timeoutMs, useFactory: () => ownedRedisProbe(source.url, timeoutMs) };
  }
  return {
    name,
    timeoutMs,
    imports: source.imports,
    inject: [source.inject],
    useFactory: (client: Redis) => ({ ping: () => expectPong(client) }),
  };
}

/**
 * A dedicated connection for health checks, tuned to answer fast: no offline queue (a ping while
 * disconnected fails at once instead of waiting for a reconnect) and endless background reconnects,
 * so the check turns green again by itself when Redis comes back.
 */
export function ownedRedisProbe(url: string, timeoutMs: number): DependencyProbe {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    connectionName: 'health-check',
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // ioredis arms this timer on disconnect even when the socket is already gone (Redis was down)
    // and only clears it on a 'close' that then never comes; keep it short so shutdown is prompt.
    disconnectTimeout: 100,
  });
  let lastError: Error | undefined;
  // Without a listener ioredis prints every failed reconnect; the error is reported by the check.
  client.on('error', (error: Error) => {
    lastError = error;
  });
  client.on('ready', () => {
    lastError = undefined;
  });
  let firstConnect: Promise<void> | undefined;

  return {
    ping: async () => {
      if (client.status === 'wait') firstConnect ??= client.connect().catch(() => undefined);
      if (firstConnect) await firstConnect;
      if (client.status !== 'ready') {
        throw new Error(
          lastError ? `not connected: ${lastError.message}` : `not connected (${client.status})`,
        );
      }
      await expectPong(client);
    },
    close: () => client.disconnect(),
  };
}

async function expectPong(client: Redis): Promise<void> {
  const reply = await client.ping();
  if (reply !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
}
