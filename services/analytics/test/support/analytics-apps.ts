import { createApp, listen, loadConfig } from '@commerce/nest-kit';
import { testEndpoints } from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, analyticsAppOptions } from '../../src/app.module';
import { analyticsConfigSchema, analyticsProcessorsConfigSchema } from '../../src/config';
import { AnalyticsProcessor } from '../../src/processor/analytics.processor';
import { AnalyticsProcessorsModule } from '../../src/processor/analytics-processors.module';
import { analyticsProcessorsAppOptions } from '../../src/processors.app';

/** What the apps of one test file share: its scratch database and its BullMQ prefix. */
export interface AnalyticsTestWorld {
  readonly databaseUrl: string;
  readonly prefix: string;
}

/** The environment every app of the world runs with, in-process or as a child process. */
export function worldEnv(world: AnalyticsTestWorld): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: testEndpoints.redisUrl,
    QUEUE_PREFIX: world.prefix,
    DATABASE_URL: world.databaseUrl,
  };
}

/** Test-sized worker timings: a dead processor's job is taken again within seconds. */
export const FAST_WORKER_ENV = {
  WORKER_LOCK_DURATION_MS: '2000',
  WORKER_STALLED_INTERVAL_MS: '1000',
};

const kitTestOptions = { metrics: { defaultMetrics: false }, shutdownHooks: false } as const;

/** The API as main.ts builds it, in this process, listening on a free port. */
export async function startApi(
  world: AnalyticsTestWorld,
  jwksUrl: string,
): Promise<{ app: NestFastifyApplication; url: string }> {
  const config = loadConfig(analyticsConfigSchema, { ...worldEnv(world), AUTH_JWKS_URL: jwksUrl });
  const app = await createApp(AppModule, {
    ...analyticsAppOptions(config),
    config,
    ...kitTestOptions,
  });
  const { url } = await listen(app, { host: '127.0.0.1', port: 0 });
  return { app, url };
}

/** The processor entrypoint's app as processors.main.ts builds it, in this process, ready. */
export async function startProcessors(
  world: AnalyticsTestWorld,
  env: Record<string, string> = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig(analyticsProcessorsConfigSchema, { ...worldEnv(world), ...env });
  const app = await createApp(AnalyticsProcessorsModule, {
    ...analyticsProcessorsAppOptions(config),
    config,
    ...kitTestOptions,
  });
  await app.get(AnalyticsProcessor).waitUntilReady();
  return app;
}
