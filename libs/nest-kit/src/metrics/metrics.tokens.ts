export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

export interface MetricsOptions {
  readonly serviceName: string;
  /** Node process metrics (CPU, memory, event loop, GC). On by default. */
  readonly defaultMetrics?: boolean;
}
