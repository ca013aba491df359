import { JWKS_PATH, ServiceBodyLimit, ServicePort } from '@commerce/contracts';
import {
  type ConfigOf,
  baseConfigSchema,
  envInt,
  envPort,
  envUrl,
  refuseDevelopmentSecret,
} from '@commerce/nest-kit';
import { envPostgresUrl } from '@commerce/persistence';
import { z } from 'zod';
import { DEV_WEBHOOK_SECRET } from './webhooks/signed-events';

export { DEV_WEBHOOK_SECRET };

/** Development and test defaults; production refuses to start without real values. */
export const DEV_STRIPE_SECRET_KEY = 'sk_test_123';
export const DEV_SERVICE_CLIENT_SECRET = 'dev-payments-secret';
/** stripe-mock, where the Stripe adapter goes outside production unless told otherwise. */
export const DEV_STRIPE_API_URL = 'http://127.0.0.1:12111';

export const PAYMENT_PROVIDERS = ['stripe', 'test'] as const;
export type ProviderKind = (typeof PAYMENT_PROVIDERS)[number];

const ms = (fallback: number, min: number, max: number) => envInt({ min, max }).default(fallback);

/** The payments service's environment (see services/payments/README.md for each variable). */
export const paymentsConfigSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('payments'),
    PORT: envPort().default(ServicePort.payments),
    BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.payments),
    DATABASE_URL: envPostgresUrl().default('postgres://postgres@127.0.0.1:5432/commerce_payments'),
    DATABASE_POOL_SIZE: envInt({ min: 1, max: 200 }).default(10),
    /** Revoked access tokens are looked up here (the kit's verifier). */
    REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    AUTH_JWKS_URL: envUrl(['http:', 'https:']).default(
      `http://127.0.0.1:${ServicePort.auth}${JWKS_PATH}`,
    ),

    /** `stripe` or `test`; default `test` outside production, `stripe` in production. */
    PAYMENT_PROVIDER: z.enum(PAYMENT_PROVIDERS).optional(),
    /** Stripe's API; default stripe-mock outside production, api.stripe.com in production. */
    STRIPE_API_URL: envUrl(['http:', 'https:']).optional(),
    /** Required in production when the provider is `stripe`. */
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    /** Signing secret of the webhook endpoint; required in production. */
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    /** How old a webhook signature may be. */
    STRIPE_WEBHOOK_TOLERANCE_SECONDS: envInt({ min: 1, max: 24 * 3600 }).default(300),
    /** One Stripe HTTP request. */
    STRIPE_TIMEOUT_MS: ms(10_000, 100, 120_000),
    /** The SDK's own retries of a failed request (same idempotency key). */
    STRIPE_MAX_NETWORK_RETRIES: envInt({ min: 0, max: 5 }).default(1),

    /** Circuit breaker around every provider call (opossum). */
    BREAKER_TIMEOUT_MS: ms(25_000, 100, 300_000),
    BREAKER_ERROR_THRESHOLD_PERCENT: envInt({ min: 1, max: 100 }).default(50),
    /** Calls within the rolling window before the breaker may open at all. */
    BREAKER_VOLUME_THRESHOLD: envInt({ min: 1, max: 10_000 }).default(5),
    BREAKER_ROLLING_WINDOW_MS: ms(10_000, 100, 600_000),
    /** How long the breaker stays open before one trial call. */
    BREAKER_RESET_TIMEOUT_MS: ms(15_000, 100, 600_000),

    /** How long a caller that finds the order's charge in flight waits for its outcome. */
    CHARGE_WAIT_MS: ms(30_000, 0, 300_000),
    /** How long a charge in flight holds its claim; after it a retry may take over. */
    CHARGE_CLAIM_TTL_MS: ms(60_000, 1000, 600_000),

    /**
     * Orders service that receives PaymentSettledEvents (`POST /internal/orders/:id/payment-events`);
     * `none` only logs them.
     */
    ORDERS_URL: z
      .union([z.literal('none'), envUrl(['http:', 'https:'])])
      .default(`http://127.0.0.1:${ServicePort.orders}`),
    PAYMENT_EVENTS_TIMEOUT_MS: ms(5000, 50, 60_000),
    /** Auth service issuing this service's SERVICE token (`POST /auth/token`). */
    AUTH_URL: envUrl(['http:', 'https:']).default(`http://127.0.0.1:${ServicePort.auth}`),
    SERVICE_CLIENT_ID: z.string().min(1).max(64).default('payments'),
    /** Required in production. */
    SERVICE_CLIENT_SECRET: z.string().min(1).max(512).optional(),
  })
  .superRefine((config, ctx) => {
    // A claim that expired while its provider call could still be running would let a second
    // caller call the provider at the same time (harmless with one idempotency key, but wasteful).
    if (config.CHARGE_CLAIM_TTL_MS <= config.BREAKER_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['CHARGE_CLAIM_TTL_MS'],
        message: `must be longer than BREAKER_TIMEOUT_MS (${config.BREAKER_TIMEOUT_MS})`,
      });
    }
    if (config.NODE_ENV !== 'production') return;
    const missing = (variable: string, why = 'is required in production') =>
      ctx.addIssue({ code: 'custom', path: [variable], message: why });
    if (config.PAYMENT_PROVIDER === 'test') {
      missing('PAYMENT_PROVIDER', 'must not be "test" in production');
    }
    if (config.PAYMENT_PROVIDER !== 'test' && !config.STRIPE_SECRET_KEY) {
      missing('STRIPE_SECRET_KEY');
    }
    if (!config.STRIPE_WEBHOOK_SECRET) missing('STRIPE_WEBHOOK_SECRET');
    if (config.ORDERS_URL !== 'none' && !config.SERVICE_CLIENT_SECRET) {
      missing('SERVICE_CLIENT_SECRET');
    }
    for (const variable of [
      'STRIPE_WEBHOOK_SECRET',
      'STRIPE_SECRET_KEY',
      'SERVICE_CLIENT_SECRET',
    ] as const) {
      refuseDevelopmentSecret(ctx, config.NODE_ENV, [variable], config[variable]);
    }
  });

export type PaymentsConfig = ConfigOf<typeof paymentsConfigSchema>;

const production = (config: PaymentsConfig) => config.NODE_ENV === 'production';

/** Which adapter serves provider calls. */
export function providerKind(config: PaymentsConfig): ProviderKind {
  return config.PAYMENT_PROVIDER ?? (production(config) ? 'stripe' : 'test');
}

/** Stripe's API address, or undefined for the SDK's own (api.stripe.com). */
export function stripeApiUrl(config: PaymentsConfig): string | undefined {
  return config.STRIPE_API_URL ?? (production(config) ? undefined : DEV_STRIPE_API_URL);
}

export function stripeSecretKey(config: PaymentsConfig): string {
  return config.STRIPE_SECRET_KEY ?? DEV_STRIPE_SECRET_KEY;
}

export function webhookSecret(config: PaymentsConfig): string {
  return config.STRIPE_WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET;
}

export function serviceClientSecret(config: PaymentsConfig): string {
  return config.SERVICE_CLIENT_SECRET ?? DEV_SERVICE_CLIENT_SECRET;
}
