import type { ServiceName } from '@commerce/contracts';
import { InjectConfig, MetricsService, ROOT_LOGGER } from '@commerce/nest-kit';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import { Gauge, Histogram } from 'prom-client';
import { Agent } from 'undici';
import { type GatewayConfig, type UpstreamTarget, upstreamTargets } from '../config';
import type { UpstreamOutcome } from './upstream-errors';

export type CircuitState = 'closed' | 'half-open' | 'open';
const STATE_VALUE: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** What the breaker's action resolves with: anything else is a failure it counts. */
/**
 * How a relay ended without the upstream being at fault: 'body_refused' is an upstream that hung
 * up before taking the whole request body (over its own size limit, typically); the client gets a
 * 502, but it says nothing about the upstream's health, so a client sending oversized bodies
 * cannot open the circuit for everyone.
 */
export type RelayResult = 'ok' | 'client_abort' | 'body_refused';

/** A relay that failed in a way that counts against the upstream (5xx, timeout, connection). */
export class UpstreamFailure extends Error {
  override readonly name = 'UpstreamFailure';

  constructor(
    readonly outcome: 'server_error' | 'timeout' | 'unavailable' | 'broken',
    options?: ErrorOptions & { status?: number },
  ) {
    super(options?.status ? `upstream answered ${options.status}` : `upstream ${outcome}`, options);
  }
}

export interface Upstream extends UpstreamTarget {
  readonly breaker: CircuitBreaker<[() => Promise<RelayResult>], RelayResult>;
  /** When the breaker last opened (ms since the epoch), for Retry-After. */
  openedAt: number | undefined;
}

const DURATION_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

/**
 * The enabled upstreams, each with its circuit breaker, and the connection pool they share.
 *
 * A breaker counts connection errors, timeouts and 5xx answers as failures (4xx are the client's
 * business and count as successes). When at least CIRCUIT_VOLUME_THRESHOLD calls in the last
 * CIRCUIT_WINDOW_MS include more than CIRCUIT_ERROR_PERCENT % failures it opens: calls are refused
 * without touching the upstream until CIRCUIT_RESET_MS have passed, then one trial call is let
 * through (half-open); its success closes the breaker, its failure opens it again.
 */
@Injectable()
export class UpstreamsService implements OnApplicationShutdown {
  /** Kept-alive connections to every upstream (one pool per origin). */
  readonly agent: Agent;
  private readonly upstreams = new Map<ServiceName, Upstream>();
  private readonly stateGauge: Gauge<'upstream' | 'service'>;
  private readonly duration: Histogram<'upstream' | 'outcome' | 'service'>;
  private readonly durationSeries = new Map<string, { observe(value: number): void }>();

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    metrics: MetricsService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.agent = new Agent({
      connections: config.UPSTREAM_CONNECTIONS,
      pipelining: 1,
      connect: { timeout: config.UPSTREAM_CONNECT_TIMEOUT_MS },
    });
    this.stateGauge = new Gauge({
      name: 'gateway_circuit_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream', 'service'],
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'gateway_upstream_request_duration_ms',
      help: 'Proxied calls per upstream until the response headers (or the failure), by outcome',
      labelNames: ['upstream', 'outcome', 'service'],
      buckets: DURATION_BUCKETS_MS,
      registers: [metrics.registry],
    });
    for (const target of upstreamTargets(config)) {
      this.upstreams.set(target.name, this.createUpstream(target));
    }
  }

  get(name: ServiceName): Upstream | undefined {
    return this.upstreams.get(name);
  }

  list(): Upstream[] {
    return [...this.upstreams.values()];
  }

  state(name: ServiceName): CircuitState | undefined {
    const breaker = this.upstreams.get(name)?.breaker;
    if (!breaker) return undefined;
    return breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Seconds until an open breaker lets a trial call through (at least 1). */
  retryAfterSeconds(upstream: Upstream): number {
    const elapsed = upstream.openedAt === undefined ? 0 : Date.now() - upstream.openedAt;
    return Math.max(1, Math.ceil((this.config.CIRCUIT_RESET_MS - elapsed) / 1000));
  }

  observe(name: ServiceName, outcome: UpstreamOutcome, durationMs: number): void {
    // prom-client hashes a label object on every observe; the series are few and fixed, so each
    // is looked up once and kept.
    const key = `${name}:${outcome}`;
    let series = this.durationSeries.get(key);
    if (!series) {
      series = this.duration.labels({ upstream: name, outcome, service: this.config.SERVICE_NAME });
      this.durationSeries.set(key, series);
    }
    series.observe(durationMs);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const upstream of this.upstreams.values()) upstream.breaker.shutdown();
    await this.agent.close().catch(() => this.agent.destroy());
  }

  private createUpstream(target: UpstreamTarget): Upstream {
    const config = this.config;
    const breaker = new CircuitBreaker((relay: () => Promise<RelayResult>) => relay(), {
      name: target.name,
      // The relay has its own timeout (UPSTREAM_TIMEOUT_MS, as a 504); the breaker must not race it.
      timeout: false,
      errorThresholdPercentage: config.CIRCUIT_ERROR_PERCENT,
      volumeThreshold: config.CIRCUIT_VOLUME_THRESHOLD,
      rollingCountTimeout: config.CIRCUIT_WINDOW_MS,
      rollingCountBuckets: 10,
      resetTimeout: config.CIRCUIT_RESET_MS,
      // Percentiles are computed by Prometheus from the histogram; skip opossum's own.
      rollingPercentilesEnabled: false,
    });
    const upstream: Upstream = { ...target, breaker, openedAt: undefined };
    const labels = { upstream: target.name, service: config.SERVICE_NAME };
    this.stateGauge.set(labels, STATE_VALUE.closed);
    breaker.on('open', () => {
      upstream.openedAt = Date.now();
      this.stateGauge.set(labels, STATE_VALUE.open);
      this.logger.warn(
        { upstream: target.name, circuit: 'open', resetMs: config.CIRCUIT_RESET_MS },
        `circuit for ${target.name} opened: calls are refused for ${config.CIRCUIT_RESET_MS} ms`,
      );
    });
    breaker.on('halfOpen', () => {
      this.stateGauge.set(labels, STATE_VALUE['half-open']);
      this.logger.info(
        { upstream: target.name, circuit: 'half-open' },
        `circuit for ${target.name} half-open: letting a trial call through`,
      );
    });
    breaker.on('close', () => {
      upstream.openedAt = undefined;
      this.stateGauge.set(labels, STATE_VALUE.closed);
      this.logger.info(
        { upstream: target.name, circuit: 'closed' },
        `circuit for ${target.name} closed`,
      );
    });
    return upstream;
  }
}
