import {
  createScratchDatabase,
  testEndpoints,
  uniqueName,
  type ScratchDatabase,
} from '@commerce/testing';
import { generateKeyPairSync } from 'node:crypto';
import { AppProcess, freePort } from './stack';

export interface ShopStack {
  api: string;
  auth: AppProcess;
  products: AppProcess;
  orders: AppProcess;
  gateway: AppProcess;
  superAdmin: { email: string; password: string };
  serviceAccount: { clientId: string; clientSecret: string };
  stop(): Promise<void>;
}

/**
 * Auth, products (with the seed catalog), orders and the gateway, each its own process from its
 * build, each service with its own scratch database: the shop as a customer reaches it.
 */
export async function startShopStack(): Promise<ShopStack> {
  const dbs: ScratchDatabase[] = [];
  const db = async (name: string) => {
    const d = await createScratchDatabase(`e2e_${name}`);
    dbs.push(d);
    return d.url;
  };
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const superAdmin = { email: `${uniqueName('root')}@example.test`, password: 'Sup3r-admin-pass!' };
  // The tests call internal routes as the activities would, so they use that account.
  const serviceAccount = { clientId: 'activities', clientSecret: uniqueName('secret') };
  const ports = {
    auth: await freePort(),
    products: await freePort(),
    orders: await freePort(),
    gateway: await freePort(),
  };
  const authUrl = `http://127.0.0.1:${ports.auth}`;
  const jwks = `${authUrl}/auth/.well-known/jwks.json`;

  const auth = new AppProcess('auth', 'services/auth', ports.auth, {
    DATABASE_URL: await db('auth'),
    REDIS_URL: testEndpoints.redisUrl,
    REDIS_KEY_PREFIX: `${uniqueName('e2e')}:`,
    AUTH_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    SUPER_ADMIN_EMAIL: superAdmin.email,
    SUPER_ADMIN_PASSWORD: superAdmin.password,
    SERVICE_ACCOUNTS: `${serviceAccount.clientId}:${serviceAccount.clientSecret}`,
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
  });
  const products = new AppProcess('products', 'services/products', ports.products, {
    DATABASE_URL: await db('products'),
    REDIS_URL: testEndpoints.redisUrl,
    AUTH_JWKS_URL: jwks,
    SEED_CATALOG: 'true',
  });
  const orders = new AppProcess('orders', 'services/orders', ports.orders, {
    DATABASE_URL: await db('orders'),
    REDIS_URL: testEndpoints.redisUrl,
    AUTH_JWKS_URL: jwks,
    PRODUCTS_URL: `http://127.0.0.1:${ports.products}`,
  });
  const gateway = new AppProcess('gateway', 'gateway', ports.gateway, {
    REDIS_URL: testEndpoints.redisUrl,
    UPSTREAMS: 'auth,products,orders',
    AUTH_URL: authUrl,
    PRODUCTS_URL: `http://127.0.0.1:${ports.products}`,
    ORDERS_URL: `http://127.0.0.1:${ports.orders}`,
    RATE_LIMIT_PREFIX: `${uniqueName('e2e-rl')}:`,
    RATE_LIMIT_DEFAULT_LIMIT: '100000',
    RATE_LIMIT_ADDRESS_LIMIT: '100000',
    RATE_LIMIT_AUTH_LIMIT: '100000',
  });
  const apps = [auth, products, orders, gateway];
  const stop = async () => {
    for (const app of [...apps].reverse()) await app.stop();
    for (const d of dbs) await d.drop();
  };
  try {
    await auth.start();
    // Seeding 1,000+ products takes a few seconds on first start.
    await Promise.all([products.start(60_000), orders.start()]);
    await gateway.start();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    api: `${gateway.url}/api`,
    auth,
    products,
    orders,
    gateway,
    superAdmin,
    serviceAccount,
    stop,
  };
}
