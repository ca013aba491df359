import type { ModuleMetadata, FactoryProvider } from '@nestjs/common';

/** Resolves when the dependency answers; rejects (or throws) when it does not. */
export type PingFunction = () => Promise<unknown>;

/** A ping plus, for connections the probe opened itself, how to close them at shutdown. */
export interface DependencyProbe {
  readonly ping: PingFunction;
  readonly close?: () => Promise<unknown> | void;
}

export type ProbeFactoryResult =
  PingFunction | DependencyProbe | Promise<PingFunction | DependencyProbe>;

/**
 * One dependency the readiness check (`GET /health`) pings. Built like a Nest factory provider,
 * so a probe can use the app's own clients:
 *
 *   { name: 'postgres', inject: [DataSource], useFactory: (ds: DataSource) => () => ds.query('select 1') }
 */
export interface HealthIndicatorDefinition {
  /** Key in the health report, e.g. `redis`, `postgres`, `temporal`. Unique per app. */
  readonly name: string;
  /** How long a ping may take before the dependency counts as down. Default 1000 ms. */
  readonly timeoutMs?: number;
  /** Modules exporting what `inject` refers to, unless those providers are global. */
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: (...deps: never[]) => ProbeFactoryResult;
}

export const DEFAULT_HEALTH_TIMEOUT_MS = 1000;

export interface HealthModuleOptions {
  /** Dependencies `GET /health` pings; `GET /health/live` never consults them. */
  readonly indicators?: readonly HealthIndicatorDefinition[];
  /**
   * Answer with each dependency's up/down only, never its messages (which may name internal
   * URLs or addresses): for an app whose /health is public, such as the gateway.
   */
  readonly redact?: boolean;
}

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
