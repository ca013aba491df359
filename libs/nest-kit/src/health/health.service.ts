import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  HealthIndicatorService,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { withTimeout } from './with-timeout';

export const HEALTH_PROBES = Symbol('HEALTH_PROBES');

export interface ResolvedProbe {
  readonly name: string;
  readonly timeoutMs: number;
  readonly ping: () => Promise<unknown>;
  readonly close?: () => Promise<unknown> | void;
}

/** Runs the registered probes as terminus indicators; a probe can report down but never throw. */
@Injectable()
export class DependencyHealthService implements OnApplicationShutdown {
  constructor(
    @Inject(HEALTH_PROBES) private readonly probes: readonly ResolvedProbe[],
    private readonly indicator: HealthIndicatorService,
  ) {}

  get names(): string[] {
    return this.probes.map((probe) => probe.name);
  }

  indicators(): HealthIndicatorFunction[] {
    return this.probes.map((probe) => () => this.check(probe));
  }

  private async check(probe: ResolvedProbe): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(probe.name);
    const started = performance.now();
    try {
      await withTimeout(probe.ping, probe.timeoutMs);
      return session.up({ responseTimeMs: Math.round(performance.now() - started) });
    } catch (error) {
      // Anything but a HealthCheckError thrown from an indicator makes terminus answer 500, so
      // every failure is turned into a "down" result here.
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  // After the HTTP server has closed (Nest closes it before this hook), so no check is running.
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.probes.map(async (probe) => probe.close?.()));
  }
}
