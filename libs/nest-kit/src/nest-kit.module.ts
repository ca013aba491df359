import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { GracefulShutdownService } from './bootstrap/graceful-shutdown.service';
import type { BaseConfig } from './config/base-config';
import { APP_CONFIG } from './config/config.tokens';
import { KitExceptionFilter } from './errors/exception.filter';
import { HealthModule, type HealthModuleOptions } from './health/health.module';
import { createLoggerModuleParams, createRootLogger, type LoggerSettings } from './logging/logging';
import { ROOT_LOGGER } from './logging/logging.tokens';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { METRICS_OPTIONS, type MetricsOptions } from './metrics/metrics.tokens';
import { createValidationPipe } from './validation/validation';

export interface NestKitOptions {
  /** The validated config (from `loadConfig`), injectable with `@InjectConfig()`. */
  readonly config: BaseConfig;
  readonly health?: HealthModuleOptions;
  readonly logger?: LoggerSettings;
  readonly metrics?: Omit<MetricsOptions, 'serviceName'>;
}

/**
 * Everything an app shares with the others, as one global module: typed config, pino logging,
 * metrics (`GET /metrics`), health (`GET /health`, `GET /health/live`), the global validation pipe
 * and exception filter, and the bounded graceful shutdown. `createApp` imports it for you.
 */
@Module({})
export class NestKitModule {
  static forRoot(options: NestKitOptions): DynamicModule {
    const { config } = options;
    const logger = createRootLogger(config, options.logger);
    const metricsOptions: MetricsOptions = { ...options.metrics, serviceName: config.SERVICE_NAME };
    return {
      module: NestKitModule,
      global: true,
      imports: [
        LoggerModule.forRoot(createLoggerModuleParams(logger, options.logger)),
        HealthModule.forRoot(options.health),
      ],
      controllers: [MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: METRICS_OPTIONS, useValue: metricsOptions },
        MetricsService,
        GracefulShutdownService,
        { provide: APP_FILTER, useClass: KitExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [APP_CONFIG, ROOT_LOGGER, MetricsService, HealthModule],
    };
  }
}
