import type { Env } from '@commerce/nest-kit';
import { type RunningService, ServiceTestApp, uniqueName } from '@commerce/testing';
import { AppModule, gatewayAppOptions } from '../../src/app.module';
import { type GatewayConfig, gatewayConfigSchema } from '../../src/config';

export { errorShape } from '@commerce/testing';

/** The scraper's token in these tests: the gateway's /metrics is never public. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';

export const scrapeMetrics = (url: string): Promise<Response> =>
  fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });

export type RunningGateway = RunningService<GatewayConfig>;

// No database and no issuer of its own: each test stands in for the auth service itself.
const gateway = new ServiceTestApp({
  schema: gatewayConfigSchema,
  module: () => AppModule,
  appOptions: gatewayAppOptions,
  env: { METRICS_TOKEN: TEST_METRICS_TOKEN },
});

/**
 * The real gateway (same module and options as main.ts) on a free port against the local Redis,
 * with its own rate-limit key prefix unless the test shares one on purpose; the test closes it.
 */
export function startGateway(env: Env): Promise<RunningGateway> {
  return gateway.start({ RATE_LIMIT_PREFIX: uniqueName('gw-test'), ...env });
}
