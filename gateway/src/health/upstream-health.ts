import {
  type HealthIndicatorDefinition,
  pingHealthIndicator,
  redisHealthIndicator,
} from '@commerce/nest-kit';
import { type GatewayConfig, upstreamTargets } from '../config';
import { describeError } from '../proxy/upstream-errors';

/**
 * Readiness of the gateway: its own Redis and the liveness endpoint of every enabled service.
 * A service that is not enabled (UPSTREAMS) is not consulted, so one that is not deployed yet
 * cannot hold the gateway out of a load balancer.
 */
export function gatewayHealthIndicators(config: GatewayConfig): HealthIndicatorDefinition[] {
  const timeoutMs = config.HEALTH_UPSTREAM_TIMEOUT_MS;
  return [
    redisHealthIndicator({ url: config.REDIS_URL }),
    ...upstreamTargets(config).map((target) =>
      pingHealthIndicator(target.name, () => pingLive(`${target.baseUrl}/health/live`, timeoutMs), {
        timeoutMs,
      }),
    ),
  ];
}

async function pingLive(url: string, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(`GET ${url} failed: ${describeError(error)}`, { cause: error });
  }
  await res.body?.cancel();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
}
