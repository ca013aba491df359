import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import {
  DEFAULT_HEALTH_TIMEOUT_MS,
  HEALTH_OPTIONS,
  type HealthModuleOptions,
  type HealthIndicatorDefinition,
  type ProbeFactoryResult,
} from './health.types';
import { DependencyHealthService, HEALTH_PROBES, type ResolvedProbe } from './health.service';

export type { HealthModuleOptions };

/** `GET /health` (readiness) and `GET /health/live` (liveness). */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    const indicators = options.indicators ?? [];
    const seen = new Set<string>();
    for (const { name } of indicators) {
      if (seen.has(name)) throw new Error(`Health indicator "${name}" is registered twice`);
      seen.add(name);
    }
    return {
      module: HealthModule,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        ...indicators.flatMap((indicator) => indicator.imports ?? []),
      ],
      controllers: [HealthController],
      providers: [
        probesProvider(indicators),
        DependencyHealthService,
        { provide: HEALTH_OPTIONS, useValue: options },
      ],
      exports: [DependencyHealthService],
    };
  }
}

// All definitions become one provider whose `inject` is the concatenation of theirs; each factory
// then gets its own slice of the resolved dependencies.
function probesProvider(indicators: readonly HealthIndicatorDefinition[]): Provider {
  return {
    provide: HEALTH_PROBES,
    inject: indicators.flatMap((indicator) => indicator.inject ?? []),
    useFactory: async (...deps: unknown[]): Promise<ResolvedProbe[]> => {
      let offset = 0;
      const probes: ResolvedProbe[] = [];
      for (const indicator of indicators) {
        const count = indicator.inject?.length ?? 0;
        const args = deps.slice(offset, offset + count);
        offset += count;
        // Each factory declares its own parameter types; Nest resolved them from `inject`.
        const factory = indicator.useFactory as (...args: unknown[]) => ProbeFactoryResult;
        const made = await factory(...args);
        const probe = typeof made === 'function' ? { ping: made } : made;
        probes.push({
          name: indicator.name,
          timeoutMs: indicator.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS,
          ping: probe.ping,
          close: probe.close,
        });
      }
      return probes;
    },
  };
}
