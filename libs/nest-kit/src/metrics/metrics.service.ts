import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { METRICS_OPTIONS, type MetricsOptions } from './metrics.tokens';

/** Route label of requests no route matched (404s); keeps the label set bounded. */
export const UNMATCHED_ROUTE = 'UNMATCHED';

// Milliseconds, from a cache hit to a slow checkout step.
const DURATION_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export interface HttpObservation {
  readonly method: string;
  /** The matched route template (`/orders/:id`), never the raw URL. */
  readonly route: string | undefined;
  readonly statusCode: number;
  readonly durationMs: number;
}

/**
 * Owns this application's Prometheus registry. Each app gets its own rather than prom-client's
 * global one, so several apps can boot in one process (tests) without "already registered" errors
 * or mixed-up series. Apps create extra metrics with `registers: [metrics.registry]`.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly serviceName: string;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code' | 'service'>;
  private readonly businessOperations: Counter<'operation' | 'service' | 'status'>;

  constructor(@Inject(METRICS_OPTIONS) options: MetricsOptions) {
    this.serviceName = options.serviceName;
    if (options.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, labels: { service: options.serviceName } });
    }
    this.httpDuration = new Histogram({
      name: 'http_request_duration_ms',
      help: 'Duration of HTTP requests in milliseconds, by matched route template',
      labelNames: ['method', 'route', 'status_code', 'service'],
      buckets: DURATION_BUCKETS_MS,
      registers: [this.registry],
    });
    this.businessOperations = new Counter({
      name: 'business_operations_total',
      help: 'Business operations by name and outcome',
      labelNames: ['operation', 'service', 'status'],
      registers: [this.registry],
    });
  }

  observeHttpRequest({ method, route, statusCode, durationMs }: HttpObservation): void {
    this.httpDuration.observe(
      {
        method,
        route: route ?? UNMATCHED_ROUTE,
        status_code: String(statusCode),
        service: this.serviceName,
      },
      durationMs,
    );
  }

  /**
   * Counts one business outcome, e.g. `recordBusinessOperation('order.create', 'success')`.
   * Use a small fixed set of operation names and statuses: each pair is a time series.
   */
  recordBusinessOperation(operation: string, status: string): void {
    this.businessOperations.inc({ operation, status, service: this.serviceName });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric in this app's registry. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
