import { createApp, listen, loadConfig } from '@commerce/nest-kit';
import { uniqueName, testEndpoints } from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, gatewayAppOptions } from '../../src/app.module';
import { type GatewayConfig, gatewayConfigSchema } from '../../src/config';

/** The scraper's token in these tests: the gateway's /metrics is never public. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';

export const scrapeMetrics = (url: string): Promise<Response> =>
  fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });

export interface RunningGateway {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly config: GatewayConfig;
  close(): Promise<void>;
}

/**
 * The real gateway (same module and options as main.ts) on a free port against the local Redis,
 * with its own rate-limit key prefix unless the test shares one on purpose.
 */
export async function startGateway(
  env: Record<string, string | undefined>,
): Promise<RunningGateway> {
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: testEndpoints.redisUrl,
    RATE_LIMIT_PREFIX: uniqueName('gw-test'),
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    ...env,
  });
  const options = gatewayAppOptions(config);
  const app = await createApp(AppModule, {
    ...options,
    config,
    metrics: { ...options.metrics, defaultMetrics: false },
    shutdownHooks: false,
  });
  const { url } = await listen(app, { host: '127.0.0.1', port: 0 });
  return { app, url, config, close: () => app.close() };
}

export const errorShape = {
  statusCode: expect.any(Number),
  error: expect.any(String),
  message: expect.any(String),
  code: expect.any(String),
  requestId: expect.any(String),
};
