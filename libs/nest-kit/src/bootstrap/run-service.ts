import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { BaseConfig } from '../config/base-config';
import { type ConfigOf, ConfigValidationError, type Env, loadConfig } from '../config/load-config';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { type CreateAppOptions, createApp } from './create-app';
import { PortInUseError, listen } from './listen';
import { collectStartupGarbage } from './startup-garbage';

export interface RunServiceOptions<S extends z.ZodObject> {
  /** The app's config schema: `baseConfigSchema.extend({...})`. */
  readonly schema: S;
  readonly module: Type<unknown> | DynamicModule;
  /** Everything createApp takes besides the config, derived from it (health indicators, ...). */
  readonly setup?: (config: ConfigOf<S>) => Omit<CreateAppOptions, 'config'>;
  readonly env?: Env;
}

/**
 * The whole of a `main.ts`: validate config, build the app, listen. Any failure prints one line
 * (one per bad variable) to stderr and sets exit code 1 instead of an unhandled rejection with a
 * Nest stack.
 */
export async function runService<S extends z.ZodObject>(
  options: RunServiceOptions<S>,
): Promise<NestFastifyApplication | undefined> {
  let app: NestFastifyApplication | undefined;
  let service: string | undefined;
  try {
    const config = loadConfig(options.schema, options.env) as ConfigOf<S> & BaseConfig;
    service = config.SERVICE_NAME;
    app = await createApp(options.module, { ...options.setup?.(config), config });
    const { url } = await listen(app, config);
    app.get<Logger>(ROOT_LOGGER).info({ url }, `${config.SERVICE_NAME} listening on ${url}`);
    collectStartupGarbage();
    return app;
  } catch (error) {
    const prefix = service ? `${service}: ` : '';
    // One line per bad variable, so each one shows on its own in logs.
    const lines =
      error instanceof ConfigValidationError
        ? error.issues.map((i) => `Invalid configuration: ${i.variable}: ${i.reason}`)
        : [describeFailure(error)];
    process.stderr.write(lines.map((line) => `${prefix}failed to start: ${line}\n`).join(''));
    process.exitCode = 1;
    await app?.close().catch(() => undefined);
    return undefined;
  }
}

// Expected failures are fully described by their message; anything else needs its stack.
function describeFailure(error: unknown): string {
  if (error instanceof ConfigValidationError || error instanceof PortInUseError)
    return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
