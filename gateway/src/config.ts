import { JWKS_PATH, ServiceBodyLimit, type ServiceName, ServicePort } from '@commerce/contracts';
import {
  type ConfigOf,
  baseConfigSchema,
  envInt,
  envPort,
  envUrl,
  refuseDevelopmentSecret,
} from '@commerce/nest-kit';
import { z } from 'zod';

/** Every upstream the gateway knows, in the order the docs and health reports list them. */
export const SERVICE_NAMES = Object.keys(ServicePort).filter(
  (name): name is ServiceName => name !== 'gateway',
);

const httpUrl = () => envUrl(['http:', 'https:']);
const upstreamUrl = (service: ServiceName) =>
  httpUrl().default(`http://127.0.0.1:${ServicePort[service]}`);
const millis = (fallback: number, max = 10 * 60 * 1000) =>
  envInt({ min: 1, max }).default(fallback);
const optionalMillis = () => envInt({ min: 1, max: 10 * 60 * 1000 }).optional();
const optionalBytes = () => envInt({ min: 1024 }).optional();

/** `auth,products` -> ['auth', 'products'], rejecting names that are not services. */
const serviceList = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const names = raw
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name.length > 0);
    const unknown = names.filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown service ${unknown.join(', ')} (known: ${SERVICE_NAMES.join(', ')})`,
      });
      return z.NEVER;
    }
    return [...new Set(names)] as ServiceName[];
  });

/** A comma-separated list of origins; `*` allows any origin. */
const originList = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const origins = raw
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0);
    for (const origin of origins) {
      if (origin === '*') continue;
      try {
        const url = new URL(origin);
        if (url.origin !== origin) throw new Error('not an origin');
      } catch {
        ctx.addIssue({ code: 'custom', message: `expected origins like https://shop.example` });
        return z.NEVER;
      }
    }
    return origins;
  });

/** Fastify's trustProxy: `false` (default), `true`, a hop count, or addresses/CIDRs. */
const trustProxy = z
  .string()
  .trim()
  .transform((raw): boolean | number | string => {
    const lower = raw.toLowerCase();
    if (['false', '0', 'no', 'off'].includes(lower)) return false;
    if (['true', 'yes', 'on'].includes(lower)) return true;
    if (/^\d+$/.test(raw)) return Number(raw);
    return raw;
  });

/**
 * The gateway's environment: the shared variables, Redis (rate limits, revoked tokens, health),
 * where each upstream lives and which are enabled, and the edge policies (timeouts, circuit
 * breakers, rate limits, CORS, docs).
 */
export const gatewayConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('gateway'),
  PORT: envPort().default(ServicePort.gateway),
  REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  TRUST_PROXY: trustProxy.default(false),

  /** Upstreams that are deployed: proxied, health-checked and merged into /docs. */
  UPSTREAMS: serviceList.default([
    'auth',
    'products',
    'orders',
    'payments',
    'notifications',
    'workers',
    'analytics',
  ]),
  AUTH_URL: upstreamUrl('auth'),
  PRODUCTS_URL: upstreamUrl('products'),
  ORDERS_URL: upstreamUrl('orders'),
  PAYMENTS_URL: upstreamUrl('payments'),
  NOTIFICATIONS_URL: upstreamUrl('notifications'),
  WORKERS_URL: upstreamUrl('workers'),
  ANALYTICS_URL: upstreamUrl('analytics'),
  /** Time for an upstream to answer with its headers (and between body chunks) -> 504. */
  UPSTREAM_TIMEOUT_MS: millis(5000),
  AUTH_TIMEOUT_MS: optionalMillis(),
  PRODUCTS_TIMEOUT_MS: optionalMillis(),
  ORDERS_TIMEOUT_MS: optionalMillis(),
  PAYMENTS_TIMEOUT_MS: optionalMillis(),
  NOTIFICATIONS_TIMEOUT_MS: optionalMillis(),
  WORKERS_TIMEOUT_MS: optionalMillis(),
  ANALYTICS_TIMEOUT_MS: optionalMillis(),
  UPSTREAM_CONNECT_TIMEOUT_MS: millis(2000),
  /** Per-upstream body limits; default: the service's own default (ServiceBodyLimit). */
  AUTH_BODY_LIMIT_BYTES: optionalBytes(),
  PRODUCTS_BODY_LIMIT_BYTES: optionalBytes(),
  ORDERS_BODY_LIMIT_BYTES: optionalBytes(),
  PAYMENTS_BODY_LIMIT_BYTES: optionalBytes(),
  NOTIFICATIONS_BODY_LIMIT_BYTES: optionalBytes(),
  WORKERS_BODY_LIMIT_BYTES: optionalBytes(),
  ANALYTICS_BODY_LIMIT_BYTES: optionalBytes(),
  /** Kept-alive connections per upstream origin. */
  UPSTREAM_CONNECTIONS: envInt({ min: 1, max: 10_000 }).default(128),

  /** Circuit breaker per upstream (opossum). */
  CIRCUIT_ERROR_PERCENT: envInt({ min: 1, max: 100 }).default(50),
  CIRCUIT_VOLUME_THRESHOLD: envInt({ min: 1, max: 100_000 }).default(5),
  CIRCUIT_WINDOW_MS: millis(10_000),
  CIRCUIT_RESET_MS: millis(10_000),

  /** Edge token check: default `${AUTH_URL}/auth/.well-known/jwks.json`. */
  JWKS_URL: httpUrl().optional(),
  /** Least time between JWKS fetches caused by a `kid` not in the cached key set. */
  JWKS_COOLDOWN_MS: millis(30_000),

  /** Every request per client address, before any token work, across all gateway instances. */
  RATE_LIMIT_ADDRESS_LIMIT: envInt({ min: 1 }).default(1200),
  RATE_LIMIT_ADDRESS_TTL_MS: millis(60_000, 24 * 60 * 60 * 1000),
  /** Every request per verified user, after the token check, across all gateway instances. */
  RATE_LIMIT_DEFAULT_LIMIT: envInt({ min: 1 }).default(600),
  RATE_LIMIT_DEFAULT_TTL_MS: millis(60_000, 24 * 60 * 60 * 1000),
  /** POST /api/auth/login and /api/auth/register, per client address. */
  RATE_LIMIT_AUTH_LIMIT: envInt({ min: 1 }).default(20),
  RATE_LIMIT_AUTH_TTL_MS: millis(60_000, 24 * 60 * 60 * 1000),
  /** Redis key prefix of the counters; instances sharing it share the limits. */
  RATE_LIMIT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,100}$/, 'expected letters, digits and :_.-')
    .default('gateway:rate-limit'),

  /** Browser origins allowed by CORS; default none, or localhost origins in development. */
  CORS_ORIGINS: originList.optional(),

  /** The operator console's build (default: admin/dist of the workspace), served under /admin. */
  CONSOLE_DIR: z.string().trim().min(1).optional(),

  /** How long the merged OpenAPI document is reused before the services are asked again. */
  DOCS_REFRESH_MS: millis(60_000, 24 * 60 * 60 * 1000),
  DOCS_FETCH_TIMEOUT_MS: millis(3000),
  /** Budget of one upstream's readiness ping in GET /health. */
  HEALTH_UPSTREAM_TIMEOUT_MS: millis(1000),
});

export type GatewayConfig = ConfigOf<typeof gatewayConfigSchema>;

/** The schema main.ts validates: production refuses the development metrics token. */
export const gatewayRunConfigSchema = gatewayConfigSchema.superRefine((config, ctx) => {
  refuseDevelopmentSecret(ctx, config.NODE_ENV, ['METRICS_TOKEN'], config.METRICS_TOKEN);
});

/** Everything the gateway needs to know about one enabled upstream. */
export interface UpstreamTarget {
  readonly name: ServiceName;
  /** Origin plus optional base path, without a trailing slash. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** Largest request body forwarded: the service's own limit, capped by BODY_LIMIT_BYTES. */
  readonly bodyLimitBytes: number;
}

const URL_KEYS = {
  auth: 'AUTH_URL',
  products: 'PRODUCTS_URL',
  orders: 'ORDERS_URL',
  payments: 'PAYMENTS_URL',
  notifications: 'NOTIFICATIONS_URL',
  workers: 'WORKERS_URL',
  analytics: 'ANALYTICS_URL',
} as const satisfies Record<ServiceName, keyof GatewayConfig>;

const TIMEOUT_KEYS = {
  auth: 'AUTH_TIMEOUT_MS',
  products: 'PRODUCTS_TIMEOUT_MS',
  orders: 'ORDERS_TIMEOUT_MS',
  payments: 'PAYMENTS_TIMEOUT_MS',
  notifications: 'NOTIFICATIONS_TIMEOUT_MS',
  workers: 'WORKERS_TIMEOUT_MS',
  analytics: 'ANALYTICS_TIMEOUT_MS',
} as const satisfies Record<ServiceName, keyof GatewayConfig>;

const BODY_LIMIT_KEYS = {
  auth: 'AUTH_BODY_LIMIT_BYTES',
  products: 'PRODUCTS_BODY_LIMIT_BYTES',
  orders: 'ORDERS_BODY_LIMIT_BYTES',
  payments: 'PAYMENTS_BODY_LIMIT_BYTES',
  notifications: 'NOTIFICATIONS_BODY_LIMIT_BYTES',
  workers: 'WORKERS_BODY_LIMIT_BYTES',
  analytics: 'ANALYTICS_BODY_LIMIT_BYTES',
} as const satisfies Record<ServiceName, keyof GatewayConfig>;

/** The enabled upstreams, in SERVICE_NAMES order. */
export function upstreamTargets(config: GatewayConfig): UpstreamTarget[] {
  return SERVICE_NAMES.filter((name) => config.UPSTREAMS.includes(name)).map((name) => ({
    name,
    baseUrl: config[URL_KEYS[name]].replace(/\/+$/, ''),
    timeoutMs: config[TIMEOUT_KEYS[name]] ?? config.UPSTREAM_TIMEOUT_MS,
    bodyLimitBytes: Math.min(
      config[BODY_LIMIT_KEYS[name]] ?? ServiceBodyLimit[name],
      config.BODY_LIMIT_BYTES,
    ),
  }));
}

export function jwksUrl(config: GatewayConfig): string {
  return config.JWKS_URL ?? `${config.AUTH_URL.replace(/\/+$/, '')}${JWKS_PATH}`;
}

// Any port on the loopback names a developer's own front end.
const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** What @fastify/cors gets as `origin`, or undefined when no origin is allowed. */
export function corsOrigins(config: GatewayConfig): true | (string | RegExp)[] | undefined {
  const configured = config.CORS_ORIGINS;
  if (configured === undefined) {
    return config.NODE_ENV === 'development' ? [LOCALHOST_ORIGIN] : undefined;
  }
  if (configured.includes('*')) return true;
  return configured.length > 0 ? [...configured] : undefined;
}
