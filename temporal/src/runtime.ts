import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import pino from 'pino';
import type { WorkerConfig } from './config';

/**
 * Installs the SDK's process-wide runtime once, before any connection or worker exists: its logs go
 * through pino (JSON, like every other process here) and its metrics to a Prometheus endpoint.
 */
export function installRuntime(config: WorkerConfig): void {
  const log = pino({ level: config.LOG_LEVEL, base: { service: config.SERVICE_NAME } });
  const level: LogLevel =
    config.LOG_LEVEL === 'trace'
      ? 'TRACE'
      : config.LOG_LEVEL === 'debug'
        ? 'DEBUG'
        : config.LOG_LEVEL === 'info'
          ? 'INFO'
          : config.LOG_LEVEL === 'warn'
            ? 'WARN'
            : 'ERROR';
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const method = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'info');
      log[method]({ ...entry.meta, sdk: 'temporal' }, entry.message);
    }),
    telemetryOptions:
      config.TEMPORAL_METRICS_PORT > 0
        ? {
            metrics: {
              prometheus: { bindAddress: `${config.HOST}:${config.TEMPORAL_METRICS_PORT}` },
            },
          }
        : {},
  });
}
