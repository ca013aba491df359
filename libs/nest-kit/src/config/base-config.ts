import { z } from 'zod';
import { envInt, envPort } from './env';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * Variables every app has. Apps `.extend()` it with their own and usually give PORT and
 * SERVICE_NAME defaults. NODE_ENV defaults to production so that a forgotten variable in a
 * deployment errs on the side of not leaking error details and of machine-readable logs.
 */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(NODE_ENVS).default('production'),
  SERVICE_NAME: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a lowercase name such as "orders"'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: envPort(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  BODY_LIMIT_BYTES: envInt({ min: 1 }).default(1024 * 1024),
  SHUTDOWN_GRACE_MS: envInt({ min: 0, max: 10 * 60 * 1000 }).default(10_000),
  /** Bearer token the Prometheus scraper presents to `GET /metrics` (required by the gateway). */
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
});

export type BaseConfig = z.output<typeof baseConfigSchema>;
