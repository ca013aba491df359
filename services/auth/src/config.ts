import { ServiceBodyLimit, ServicePort } from '@commerce/contracts';
import {
  type ConfigOf,
  baseConfigSchema,
  envInt,
  envPort,
  envUrl,
  refuseDevelopmentSecret,
} from '@commerce/nest-kit';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { envPostgresUrl } from '@commerce/persistence';
import { z } from 'zod';
import { normaliseEmail } from './users/email';
import { parsePrivateKey, parseRetiredKeys } from './keys/key-ring';
import { parseServiceAccounts } from './service-accounts/service-accounts.parse';

const seconds = (fallback: number, min = 1, max = 365 * 24 * 3600) =>
  envInt({ min, max }).default(fallback);

/**
 * Fastify's `trustProxy`: `false`, `true` (trust every hop: only behind a proxy that overwrites
 * X-Forwarded-For), a hop count, or a comma-separated list of proxy addresses/CIDRs.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((raw): boolean | number | string => {
    const lower = raw.toLowerCase();
    if (['false', 'no', 'off', 'none'].includes(lower)) return false;
    if (['true', 'yes', 'on'].includes(lower)) return true;
    if (/^\d+$/.test(raw)) return Number(raw);
    return raw;
  });

/**
 * `SERVICE_ACCOUNTS=activities:<secret>,workers:<secret>`. Problems are reported under
 * `SERVICE_ACCOUNTS.credentials`, so the kit redacts the value in the start-up error.
 */
const serviceAccounts = z
  .string()
  .transform((raw, ctx) => {
    const parsed = parseServiceAccounts(raw);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.problem, path: ['credentials'] });
      return z.NEVER;
    }
    return parsed.accounts;
  })
  .default([]);

/** The auth service's environment (see services/auth/README.md for each variable). */
export const authConfigSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('auth'),
    PORT: envPort().default(ServicePort.auth),
    // Auth bodies are a few hundred bytes; anything bigger is refused with 413 before it is read.
    BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.auth),
    DATABASE_URL: envPostgresUrl().default('postgres://postgres@127.0.0.1:5432/commerce_auth'),
    DATABASE_POOL_SIZE: envInt({ min: 1, max: 200 }).default(10),
    REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /** Prefix of this service's own Redis keys (login counters). Revoked jtis use the shared key. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'expected letters, digits, ":", "_" or "-"')
      .default('auth:'),
    /** Which peers may set X-Forwarded-For (the gateway). Default: loopback only. */
    TRUST_PROXY: trustProxy.default('127.0.0.1,::1'),

    ACCESS_TOKEN_TTL_SECONDS: seconds(900, 30, 24 * 3600),
    REFRESH_TOKEN_TTL_SECONDS: seconds(30 * 24 * 3600, 60),
    SERVICE_TOKEN_TTL_SECONDS: seconds(900, 30, 24 * 3600),

    /** ES256 private key (PKCS#8 PEM or JWK JSON). Required in production. */
    AUTH_SIGNING_KEY: z
      .string()
      .refine(parses(parsePrivateKey), 'expected an EC P-256 private key (PKCS#8 PEM or JWK)')
      .optional(),
    /** `kid` of AUTH_SIGNING_KEY; default: the JWK's `kid`, else its RFC 7638 thumbprint. */
    AUTH_SIGNING_KEY_ID: z.string().min(1).max(128).optional(),
    /** JSON array of earlier public JWKs (`kid` required, `retiredAt` ISO date optional). */
    AUTH_PREVIOUS_PUBLIC_KEYS: z
      .string()
      .refine(
        parses(parseRetiredKeys),
        'expected a JSON array of EC P-256 public JWKs, each with "kid" (and optional "retiredAt")',
      )
      .optional(),
    /** Where development/test keys are generated and kept (outside the repository). */
    AUTH_KEYS_DIR: z.string().min(1).optional(),
    COMMERCE_DATA_DIR: z.string().min(1).optional(),

    /** Failures per (account, client address) before that pair is locked. */
    LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: envInt({ min: 1, max: 1000 }).default(5),
    /** Failures per client address across accounts before the address is locked. */
    LOGIN_MAX_FAILURES_PER_IP: envInt({ min: 1, max: 100_000 }).default(100),
    /** Failures per account from all addresses before it is slowed down (never locked). */
    LOGIN_ACCOUNT_SLOWDOWN_AFTER: envInt({ min: 1, max: 1_000_000 }).default(50),
    /** While slowed down: one attempt per this many seconds for the account. */
    LOGIN_ACCOUNT_SLOWDOWN_SECONDS: seconds(2, 1, 60),
    LOGIN_FAILURE_WINDOW_SECONDS: seconds(15 * 60),
    LOGIN_LOCKOUT_SECONDS: seconds(15 * 60),

    /** argon2id cost (OWASP's minimum: 19 MiB, 2 passes, 1 lane). */
    ARGON2_MEMORY_KIB: envInt({ min: 1024, max: 4 * 1024 * 1024 }).default(19 * 1024),
    ARGON2_TIME_COST: envInt({ min: 1, max: 50 }).default(2),
    ARGON2_PARALLELISM: envInt({ min: 1, max: 16 }).default(1),

    /** The first SUPER_ADMIN, created (or promoted) at every start. */
    SUPER_ADMIN_EMAIL: z.string().transform(normaliseEmail).pipe(z.email()).optional(),
    SUPER_ADMIN_PASSWORD: z.string().optional(),
    SUPER_ADMIN_NAME: z.string().trim().min(1).max(100).default('Super Admin'),

    SERVICE_ACCOUNTS: serviceAccounts,
  })
  .superRefine((config, ctx) => {
    // Checked here, before anything is opened: production never signs with a generated key.
    if (config.NODE_ENV === 'production' && !config.AUTH_SIGNING_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SIGNING_KEY'],
        message: 'is required in production',
      });
    }
    refuseDevelopmentSecret(
      ctx,
      config.NODE_ENV,
      ['SUPER_ADMIN_PASSWORD'],
      config.SUPER_ADMIN_PASSWORD,
    );
    for (const account of config.SERVICE_ACCOUNTS) {
      // The path ends in `credentials`, so the value is redacted in the message.
      refuseDevelopmentSecret(
        ctx,
        config.NODE_ENV,
        ['SERVICE_ACCOUNTS', account.clientId, 'credentials'],
        account.secret,
      );
    }
  });

export type AuthConfig = ConfigOf<typeof authConfigSchema>;

/** A refinement that holds when `parse` does not throw. */
function parses(parse: (text: string) => unknown): (text: string) => boolean {
  return (text) => {
    try {
      parse(text);
      return true;
    } catch {
      return false;
    }
  };
}

/** The directory holding the development/test key ring. */
export function keysDirectory(config: AuthConfig): string {
  if (config.AUTH_KEYS_DIR) return config.AUTH_KEYS_DIR;
  const dataDir = config.COMMERCE_DATA_DIR ?? join(homedir(), '.local', 'share', 'commerce');
  return join(dataDir, 'auth-keys');
}
