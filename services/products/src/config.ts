import { analyticsPublisherEnv } from '@commerce/analytics-publisher';
import { JWKS_PATH, ServiceBodyLimit, ServicePort } from '@commerce/contracts';
import {
  type ConfigOf,
  baseConfigSchema,
  envBool,
  envInt,
  envPort,
  envUrl,
  refuseDevelopmentSecret,
} from '@commerce/nest-kit';
import { envPostgresUrl } from '@commerce/persistence';
import { z } from 'zod';

/** Development default of SERVICE_CLIENT_SECRET; production refuses to start with it. */
export const DEV_SERVICE_CLIENT_SECRET = 'dev-products-secret';

/** The products service's environment (see services/products/README.md for each variable). */
export const productsEnvSchema = baseConfigSchema.extend({
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('products'),
  PORT: envPort().default(ServicePort.products),
  BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.products),
  DATABASE_URL: envPostgresUrl().default('postgres://postgres@127.0.0.1:5432/commerce_products'),
  DATABASE_POOL_SIZE: envInt({ min: 1, max: 200 }).default(20),
  /** Redis holding the revoked access-token ids the auth service writes. */
  REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** QUEUE_PREFIX and the ANALYTICS_* variables of the `analytics` queue's producers. */
  ...analyticsPublisherEnv,
  /** The auth service's JWKS, which verifies access tokens. */
  AUTH_JWKS_URL: envUrl(['http:', 'https:']).default(
    `http://127.0.0.1:${ServicePort.auth}${JWKS_PATH}`,
  ),
  /**
   * Search totals are counted exactly up to this many matches; a broader search answers an
   * estimate with `totalIsEstimate: true` (counting thousands of matches costs more than the page).
   */
  SEARCH_EXACT_TOTAL_UP_TO: envInt({ min: 0, max: 1_000_000 }).default(200),
  /** Load the default catalog at start when the products table is empty. */
  SEED_CATALOG: envBool().default(false),
  /**
   * How long a reservation holds stock before the sweeper may release it: a safety net for a
   * checkout that vanished. It must outlast the checkout's longest wait (review timeout plus the
   * payment-action timeout, 30 minutes by default), since the workflow releases or commits itself.
   */
  RESERVATION_TTL_SECONDS: envInt({ min: 1, max: 7 * 24 * 3600 }).default(2 * 3600),
  /** How often the sweeper looks for expired reservations; 0 turns it off. */
  RESERVATION_SWEEP_INTERVAL_MS: envInt({ min: 0, max: 24 * 3600 * 1000 }).default(30_000),
  /**
   * Orders service the sweeper asks which orders ended (`POST /internal/orders/statuses`): an
   * expired reservation is released only when its order is CANCELLED, FAILED or unknown there.
   */
  ORDERS_URL: envUrl(['http:', 'https:']).default(`http://127.0.0.1:${ServicePort.orders}`),
  ORDERS_TIMEOUT_MS: envInt({ min: 50, max: 60_000 }).default(5000),
  /** Auth service issuing this service's SERVICE token (`POST /auth/token`). */
  AUTH_URL: envUrl(['http:', 'https:']).default(`http://127.0.0.1:${ServicePort.auth}`),
  SERVICE_CLIENT_ID: z.string().min(1).max(64).default('products'),
  SERVICE_CLIENT_SECRET: z.string().min(1).max(512).default(DEV_SERVICE_CLIENT_SECRET),
});

/** The service's configuration: the variables above, production refusing development secrets. */
export const productsConfigSchema = productsEnvSchema.superRefine((config, ctx) => {
  refuseDevelopmentSecret(
    ctx,
    config.NODE_ENV,
    ['SERVICE_CLIENT_SECRET'],
    config.SERVICE_CLIENT_SECRET,
  );
});

export type ProductsConfig = ConfigOf<typeof productsConfigSchema>;
