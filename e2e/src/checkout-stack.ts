import { generateKeyPairSync } from 'node:crypto';
import {
  createScratchDatabase,
  startScratchMailpit,
  startScratchRedis,
  testEndpoints,
  uniqueName,
  type ScratchDatabase,
  type ScratchServer,
} from '@commerce/testing';
import { apiClient, type Tokens } from './auth-stack';
import { AppProcess, freePort } from './stack';

export interface CheckoutStackOptions {
  /** Orders at or above this total (minor units) wait for approval. */
  reviewThreshold?: number;
  /** Extra environment per app name. */
  env?: Partial<Record<string, Record<string, string>>>;
  /**
   * A Redis and a mailpit of the stack's own instead of the machine's shared ones, so a fault
   * test may stop and start them (`CheckoutStack.servers`).
   */
  ownServers?: boolean;
}

export interface CheckoutStack {
  api: string;
  apps: Record<
    | 'auth'
    | 'products'
    | 'orders'
    | 'payments'
    | 'notifications'
    | 'workers'
    | 'analytics'
    | 'checkoutWorker'
    | 'paymentsWorker'
    | 'domainWorker'
    | 'gateway',
    AppProcess
  >;
  superAdmin: { email: string; password: string };
  /** Prefix of this stack's BullMQ keys (email, campaign-email, analytics). */
  queuePrefix: string;
  /** The scratch PostgreSQL database of each service, for checks straight from the rows. */
  databases: Record<'auth' | 'products' | 'orders' | 'payments' | 'analytics', string>;
  /** With `ownServers`: the stack's own Redis and SMTP sink, which a test may stop and start. */
  servers?: { redis: ScratchServer; smtp: ScratchServer };
  /** The activities' SERVICE token, for internal routes (not reachable through the gateway). */
  serviceToken(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The whole shop as separate processes, each from its build: the seven services, the gateway and
 * the Temporal workers split as production splits them (the checkout workflows; the payments
 * activities alone, so a fault test can kill them; the other activity queues together). Each
 * service gets its own scratch database, Mongo database and Redis prefixes.
 */
export async function startCheckoutStack(
  options: CheckoutStackOptions = {},
): Promise<CheckoutStack> {
  const dbs: ScratchDatabase[] = [];
  const databases = {} as CheckoutStack['databases'];
  const db = async (name: keyof CheckoutStack['databases']) => {
    const d = await createScratchDatabase(`e2e_${name}`);
    dbs.push(d);
    databases[name] = d.url;
    return d.url;
  };
  const own = options.ownServers
    ? { redis: await startScratchRedis(), mailpit: await startScratchMailpit() }
    : undefined;
  const redisUrl = own?.redis.url ?? testEndpoints.redisUrl;
  const smtp = own?.mailpit.smtp ?? testEndpoints.smtp;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const superAdmin = { email: `${uniqueName('root')}@example.test`, password: 'Sup3r-admin-pass!' };
  const secrets = {
    activities: uniqueName('activities-secret'),
    payments: uniqueName('payments-secret'),
    workers: uniqueName('workers-secret'),
    notifications: uniqueName('notifications-secret'),
    products: uniqueName('products-secret'),
  };
  // Distinct ports: the kernel can hand a port it just released to the next ask (payments and the
  // payments worker once got the same one, and the worker's failed start went unnoticed).
  const taken = new Set<number>();
  const port = async (): Promise<number> => {
    for (;;) {
      const candidate = await freePort();
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  };
  const ports = {
    auth: await port(),
    products: await port(),
    orders: await port(),
    payments: await port(),
    notifications: await port(),
    workers: await port(),
    analytics: await port(),
    checkoutWorker: await port(),
    paymentsWorker: await port(),
    domainWorker: await port(),
    gateway: await port(),
  };
  const url = (name: keyof typeof ports) => `http://127.0.0.1:${ports[name]}`;
  const jwks = `${url('auth')}/auth/.well-known/jwks.json`;
  const mongoUrl = testEndpoints.mongoUrl(uniqueName('e2e_notifications').replace(/-/g, '_'));
  const queuePrefix = uniqueName('e2e-q');
  // This stack's own task queues: workflows another stack (or a developer's) left running on the
  // shared dev server never reach these workers, nor these workflows theirs.
  const taskQueuePrefix = `${uniqueName('e2e')}.`;
  const extra = (name: string) => options.env?.[name] ?? {};

  const auth = new AppProcess('auth', 'services/auth', ports.auth, {
    DATABASE_URL: await db('auth'),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `${uniqueName('e2e')}:`,
    AUTH_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    SUPER_ADMIN_EMAIL: superAdmin.email,
    SUPER_ADMIN_PASSWORD: superAdmin.password,
    SERVICE_ACCOUNTS: Object.entries(secrets)
      .map(([id, secret]) => `${id}:${secret}`)
      .join(','),
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    // A hundred customers register from one address in the race test.
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    ...extra('auth'),
  });
  const products = new AppProcess('products', 'services/products', ports.products, {
    DATABASE_URL: await db('products'),
    REDIS_URL: redisUrl,
    AUTH_JWKS_URL: jwks,
    QUEUE_PREFIX: queuePrefix,
    // The reservation sweeper asks the orders service which orders ended.
    ORDERS_URL: url('orders'),
    AUTH_URL: url('auth'),
    SERVICE_CLIENT_SECRET: secrets.products,
    ...extra('products'),
  });
  const orders = new AppProcess('orders', 'services/orders', ports.orders, {
    DATABASE_URL: await db('orders'),
    REDIS_URL: redisUrl,
    AUTH_JWKS_URL: jwks,
    PRODUCTS_URL: url('products'),
    QUEUE_PREFIX: queuePrefix,
    TEMPORAL_ADDRESS: testEndpoints.temporalAddress,
    TEMPORAL_TASK_QUEUE_PREFIX: taskQueuePrefix,
    CHECKOUT_REVIEW_THRESHOLD: String(options.reviewThreshold ?? 1_000_000),
    CHECKOUT_REVIEW_TIMEOUT_MS: '300000',
    CHECKOUT_PAYMENT_ACTION_TIMEOUT_MS: '300000',
    ...extra('orders'),
  });
  const payments = new AppProcess('payments', 'services/payments', ports.payments, {
    DATABASE_URL: await db('payments'),
    REDIS_URL: redisUrl,
    AUTH_JWKS_URL: jwks,
    PAYMENT_PROVIDER: 'test',
    ORDERS_URL: url('orders'),
    AUTH_URL: url('auth'),
    SERVICE_CLIENT_ID: 'payments',
    SERVICE_CLIENT_SECRET: secrets.payments,
    ...extra('payments'),
  });
  const notifications = new AppProcess(
    'notifications',
    'services/notifications',
    ports.notifications,
    {
      MONGO_URL: mongoUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      AUTH_JWKS_URL: jwks,
      AUTH_URL: url('auth'),
      SERVICE_CLIENT_ID: 'notifications',
      SERVICE_CLIENT_SECRET: secrets.notifications,
      PUBLIC_BASE_URL: `${url('gateway')}/api`,
      EMAIL_BACKOFF_MS: '500',
      ...extra('notifications'),
    },
  );
  // The analytics read model: the workers process hosts its processor, the analytics API reads it.
  const analyticsDb = await db('analytics');
  const workers = new AppProcess('workers', 'services/workers', ports.workers, {
    MONGO_URL: mongoUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    DATABASE_URL: analyticsDb,
    AUTH_JWKS_URL: jwks,
    SMTP_URL: `smtp://${smtp.host}:${smtp.port}`,
    ...extra('workers'),
  });
  const analytics = new AppProcess('analytics', 'services/analytics', ports.analytics, {
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    DATABASE_URL: analyticsDb,
    AUTH_JWKS_URL: jwks,
    ...extra('analytics'),
  });
  const temporalWorker = (name: string, workerPort: number, roles: string) =>
    new AppProcess(name, 'temporal', workerPort, {
      WORKER_ROLES: roles,
      TEMPORAL_ADDRESS: testEndpoints.temporalAddress,
      TEMPORAL_TASK_QUEUE_PREFIX: taskQueuePrefix,
      AUTH_URL: url('auth'),
      PRODUCTS_URL: url('products'),
      ORDERS_URL: url('orders'),
      PAYMENTS_URL: url('payments'),
      NOTIFICATIONS_URL: url('notifications'),
      ANALYTICS_URL: url('analytics'),
      SERVICE_CLIENT_ID: 'activities',
      SERVICE_CLIENT_SECRET: secrets.activities,
      WORKER_SHUTDOWN_GRACE_MS: '2000',
      ...extra('temporal'),
      ...extra(name),
    });
  const checkoutWorker = temporalWorker('checkoutWorker', ports.checkoutWorker, 'checkout');
  const paymentsWorker = temporalWorker('paymentsWorker', ports.paymentsWorker, 'payments');
  const domainWorker = temporalWorker(
    'domainWorker',
    ports.domainWorker,
    'inventory,orders,notifications,analytics',
  );
  const gateway = new AppProcess('gateway', 'gateway', ports.gateway, {
    REDIS_URL: redisUrl,
    UPSTREAMS: 'auth,products,orders,payments,notifications,workers,analytics',
    AUTH_URL: url('auth'),
    PRODUCTS_URL: url('products'),
    ORDERS_URL: url('orders'),
    PAYMENTS_URL: url('payments'),
    NOTIFICATIONS_URL: url('notifications'),
    WORKERS_URL: url('workers'),
    ANALYTICS_URL: url('analytics'),
    RATE_LIMIT_PREFIX: `${uniqueName('e2e-rl')}:`,
    RATE_LIMIT_DEFAULT_LIMIT: '1000000',
    RATE_LIMIT_ADDRESS_LIMIT: '1000000',
    RATE_LIMIT_AUTH_LIMIT: '1000000',
    ...extra('gateway'),
  });

  const apps = {
    auth,
    products,
    orders,
    payments,
    notifications,
    workers,
    analytics,
    checkoutWorker,
    paymentsWorker,
    domainWorker,
    gateway,
  };
  const stop = async () => {
    for (const app of Object.values(apps).reverse()) await app.stop();
    for (const d of dbs) await d.drop();
    await own?.redis.server.dispose();
    await own?.mailpit.server.dispose();
  };
  try {
    await auth.start();
    await Promise.all([products.start(), orders.start(), payments.start(), notifications.start()]);
    await Promise.all([
      workers.start(),
      analytics.start(),
      checkoutWorker.start(60_000),
      paymentsWorker.start(),
      domainWorker.start(),
    ]);
    await gateway.start();
  } catch (err) {
    await stop();
    throw err;
  }
  const serviceToken = async () => {
    const res = await apiClient(auth.url)<Tokens>('POST', '/auth/token', {
      body: { clientId: 'activities', clientSecret: secrets.activities },
    });
    if (res.status !== 200) throw new Error(`service token: ${res.status}`);
    return res.body.accessToken;
  };
  return {
    api: `${gateway.url}/api`,
    apps,
    superAdmin,
    queuePrefix,
    databases,
    ...(own ? { servers: { redis: own.redis.server, smtp: own.mailpit.server } } : {}),
    serviceToken,
    stop,
  };
}
