import type { HealthIndicatorDefinition, PingFunction } from './health.types';

/**
 * The generic indicator: any async function that resolves when the dependency is reachable
 * (an HTTP upstream, a Temporal connection, a Mongo `ping` command, ...).
 */
export function pingHealthIndicator(
  name: string,
  ping: PingFunction,
  options: { readonly timeoutMs?: number } = {},
): HealthIndicatorDefinition {
  return { name, ...options, useFactory: () => ping };
}
