import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import type { BaseConfig } from '../config/base-config';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { installHttpMetrics } from '../metrics/http-metrics.hook';
import { MetricsService } from '../metrics/metrics.service';
import { NestKitModule, type NestKitOptions } from '../nest-kit.module';
import { KitFastifyAdapter, type KitFastifyAdapterOptions } from './fastify-adapter';
import { type OpenApiOptions, setupOpenApi } from './openapi';

export interface ConfigureAppOptions {
  readonly config: BaseConfig;
  /** Default: titled after SERVICE_NAME. `false` serves no document. */
  readonly openApi?: OpenApiOptions | false;
  /** SIGTERM/SIGINT run Nest's shutdown (default true). */
  readonly shutdownHooks?: boolean;
}

export interface CreateAppOptions
  extends
    ConfigureAppOptions,
    Omit<NestKitOptions, 'config'>,
    Pick<KitFastifyAdapterOptions, 'trustProxy'> {}

@Module({})
class KitRootModule {}

/** The adapter with the config's body limit, the shared request id and error translation. */
export function createFastifyAdapter(
  config: BaseConfig,
  options: Pick<KitFastifyAdapterOptions, 'trustProxy'> = {},
): KitFastifyAdapter {
  return new KitFastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy,
  });
}

/**
 * Builds an initialised, not yet listening app: `appModule` next to NestKitModule, on the kit's
 * Fastify adapter. Tests call `app.inject()` on it; `main.ts` then calls `listen()`.
 */
export async function createApp(
  appModule: Type<unknown> | DynamicModule,
  options: CreateAppOptions,
): Promise<NestFastifyApplication> {
  const root: DynamicModule = {
    module: KitRootModule,
    imports: [NestKitModule.forRoot(options), appModule],
  };
  const app = await NestFactory.create<NestFastifyApplication>(
    root,
    createFastifyAdapter(options.config, options),
    // Errors during DI reject instead of Nest's default process.abort(), so the caller can report.
    { bufferLogs: true, abortOnError: false },
  );
  try {
    await configureApp(app, options);
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

/**
 * The part of `createApp` after the app object exists; for tests that build the app themselves
 * (`Test.createTestingModule(...).createNestApplication(createFastifyAdapter(config))`) with
 * `NestKitModule.forRoot()` among their imports.
 */
export async function configureApp(
  app: NestFastifyApplication,
  options: ConfigureAppOptions,
): Promise<void> {
  const { config } = options;
  let metrics: MetricsService;
  try {
    metrics = app.get(MetricsService);
  } catch {
    throw new Error('configureApp: NestKitModule.forRoot() is not imported by the app module');
  }
  app.useLogger(app.get(Logger));
  app.flushLogs();
  // Before app.init() registers the routes and the not-found handler, so the hook covers them all.
  installHttpMetrics(app.getHttpAdapter().getInstance(), metrics, app.get<PinoLogger>(ROOT_LOGGER));
  if (options.openApi !== false) {
    setupOpenApi(app, options.openApi ?? { title: `${config.SERVICE_NAME} API` });
  }
  if (options.shutdownHooks !== false) {
    // process.exit after the hooks, so pino flushes its buffers (see Nest's ShutdownHooksOptions).
    app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  }
  await app.init();
}
