export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

export interface MetricsOptions {
  readonly serviceName: string;
  /** Node process metrics (CPU, memory, event loop, GC). On by default. */
  readonly defaultMetrics?: boolean;
  /**
   * `GET /metrics` only with `Authorization: Bearer <METRICS_TOKEN>`; without METRICS_TOKEN it
   * is a 404 (the public gateway sets this). Elsewhere METRICS_TOKEN, when set, is required too.
   */
  readonly requireToken?: boolean;
}
