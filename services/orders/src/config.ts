import { analyticsPublisherEnv } from '@commerce/analytics-publisher';
import { JWKS_PATH, ServiceBodyLimit, ServicePort } from '@commerce/contracts';
import {
  type ConfigOf,
  baseConfigSchema,
  checkTemporalConnection,
  envInt,
  envPort,
  envTaskQueuePrefix,
  envUrl,
  temporalConnectionEnv,
} from '@commerce/nest-kit';
import { envPostgresUrl } from '@commerce/persistence';

/** The orders service's environment (see services/orders/README.md for each variable). */
export const ordersEnvSchema = baseConfigSchema.extend({
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('orders'),
  PORT: envPort().default(ServicePort.orders),
  // Cart and order bodies are small; anything bigger is refused with 413 before it is read.
  BODY_LIMIT_BYTES: envInt({ min: 1024 }).default(ServiceBodyLimit.orders),
  DATABASE_URL: envPostgresUrl().default('postgres://postgres@127.0.0.1:5432/commerce_orders'),
  DATABASE_POOL_SIZE: envInt({ min: 1, max: 200 }).default(10),
  /** Revoked access tokens are looked up here (the kit's verifier). */
  REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** QUEUE_PREFIX and the ANALYTICS_* variables of the `analytics` queue's producers. */
  ...analyticsPublisherEnv,
  AUTH_JWKS_URL: envUrl(['http:', 'https:']).default(
    `http://127.0.0.1:${ServicePort.auth}${JWKS_PATH}`,
  ),
  /** Base URL of the products service (`GET /products/:id`). */
  PRODUCTS_URL: envUrl(['http:', 'https:']).default(`http://127.0.0.1:${ServicePort.products}`),
  /** Timeout of one call to the products service. */
  PRODUCTS_TIMEOUT_MS: envInt({ min: 50, max: 60_000 }).default(2000),
  MAX_QUANTITY_PER_ITEM: envInt({ min: 1, max: 100_000 }).default(99),
  MAX_CART_LINES: envInt({ min: 1, max: 1000 }).default(50),

  /** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS/mTLS, API key, gRPC metadata (docs/deploy.md). */
  ...temporalConnectionEnv,
  /** Prefix of the task queues; the same on the workers of this deployment (temporal/README.md). */
  TEMPORAL_TASK_QUEUE_PREFIX: envTaskQueuePrefix(),
  /** Deadline of one start or signal; past it the caller gets 503 CHECKOUT_UNAVAILABLE. */
  TEMPORAL_CALL_TIMEOUT_MS: envInt({ min: 100, max: 60_000 }).default(5000),
  /**
   * How long an operator's approve/reject waits for the checkout to record it (an Update needs a
   * checkout worker to answer); past it the call is a 503 and nothing was recorded.
   */
  TEMPORAL_UPDATE_TIMEOUT_MS: envInt({ min: 100, max: 60_000 }).default(10_000),
  /** Deadline of the live-status query behind GET /orders/:id (the stored status is shown anyway). */
  TEMPORAL_QUERY_TIMEOUT_MS: envInt({ min: 100, max: 60_000 }).default(1500),
  /**
   * How long GET /orders/:id reuses a checkout's live state while the order's stored status has not
   * moved (one query per order per period, however often clients poll); 0 asks on every request.
   */
  CHECKOUT_LIVE_STATUS_TTL_MS: envInt({ min: 0, max: 60_000 }).default(1000),
  /**
   * Longest hold of `GET /orders/:id?waitWhile=<status>` before it answers with the unchanged
   * order. The hold, the order read and the live-status query (TEMPORAL_QUERY_TIMEOUT_MS) must
   * together stay below the gateway's upstream timeout (UPSTREAM_TIMEOUT_MS, 5 s), or the client
   * gets a 504 instead of the order: measured under load, a 4 s hold did.
   */
  ORDER_WAIT_MAX_MS: envInt({ min: 100, max: 60_000 }).default(2000),
  /** How often held requests re-read their orders, for moves stored by another instance. */
  ORDER_WAIT_RECHECK_MS: envInt({ min: 50, max: 60_000 }).default(500),
  /** Orders whose total (minor units) is at or above this wait for an operator's approval. */
  CHECKOUT_REVIEW_THRESHOLD: envInt({ min: 0 }).default(100_000),
  /**
   * Checkouts of one customer that may wait for review at once (unfinished orders at or above the
   * threshold); one more is a 409, so nobody holds stock in many large orders at a time.
   */
  CHECKOUT_MAX_PENDING_REVIEWS: envInt({ min: 1, max: 1000 }).default(3),
  /** How long a review may wait before the order is rejected. */
  CHECKOUT_REVIEW_TIMEOUT_MS: envInt({ min: 1000 }).default(30 * 60 * 1000),
  /** How long a payment needing customer action (3-D Secure) may wait for the provider. */
  CHECKOUT_PAYMENT_ACTION_TIMEOUT_MS: envInt({ min: 1000 }).default(15 * 60 * 1000),
  /**
   * Seconds a checkout's reservation is held at a time (renewed every third of it); unset: the
   * waits above plus ten minutes, at least an hour. Shorter only to watch renewals (fault run).
   */
  CHECKOUT_RESERVATION_HOLD_SECONDS: envInt({ min: 10, max: 30 * 24 * 3600 }).optional(),
  /**
   * An order whose checkout could not be started (Temporal unreachable) is started again by a
   * sweeper this often; 0 turns the sweeper off.
   */
  CHECKOUT_START_RETRY_INTERVAL_MS: envInt({ min: 0 }).default(10_000),
  /** After this long without a started checkout, the order is failed instead of left dangling. */
  CHECKOUT_START_DEADLINE_MS: envInt({ min: 1000 }).default(15 * 60 * 1000),
});

/** The service's configuration: the variables above and the Temporal connection's rules. */
export const ordersConfigSchema = ordersEnvSchema.superRefine(checkTemporalConnection);

export type OrdersConfig = ConfigOf<typeof ordersConfigSchema>;
