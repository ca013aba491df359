import { Role } from '@commerce/contracts';
import { createApp, listen, loadConfig } from '@commerce/nest-kit';
import {
  type ScratchDatabase,
  TestTokenIssuer,
  createScratchDatabase,
  testEndpoints,
  type Reply,
  type RequestOptions,
  requestJson,
} from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { AppModule, productsAppOptions } from '../../src/app.module';
import { type ProductsConfig, productsConfigSchema } from '../../src/config';
import { OrdersStandIn } from './orders-stand-in';

export type { Reply } from '@commerce/testing';

/**
 * One test file's infrastructure: a scratch database, a JWKS issuer, a stand-in for the orders
 * service the sweeper asks (every order unknown unless a test says otherwise), the app(s) started.
 */
export class ProductsTestEnvironment {
  readonly issuer = new TestTokenIssuer();
  readonly orders = new OrdersStandIn();
  db!: ScratchDatabase;
  /** A direct connection to the scratch database, for arranging and checking rows. */
  pg!: Client;
  private readonly apps: NestFastifyApplication[] = [];

  async setUp(): Promise<void> {
    this.db = await createScratchDatabase('products');
    await this.issuer.start();
    await this.orders.start();
  }

  /** The service as main.ts builds it, on a free port, with test settings plus `env`. */
  async start(env: Record<string, string> = {}): Promise<RunningProducts> {
    const config = loadConfig(productsConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: this.db.url,
      DATABASE_POOL_SIZE: '30',
      REDIS_URL: testEndpoints.redisUrl,
      AUTH_JWKS_URL: this.issuer.jwksUrl,
      BODY_LIMIT_BYTES: '16384',
      RESERVATION_SWEEP_INTERVAL_MS: '0',
      ORDERS_URL: this.orders.url,
      AUTH_URL: this.orders.url,
      ...env,
    });
    const app = await createApp(AppModule, {
      ...productsAppOptions(config),
      config,
      metrics: { defaultMetrics: false },
      shutdownHooks: false,
    });
    this.apps.push(app);
    const { url } = await listen(app, { host: '127.0.0.1', port: 0 });
    if (!this.pg) {
      this.pg = new Client({ connectionString: this.db.url });
      await this.pg.connect();
    }
    return new RunningProducts(app, url, config, this.issuer);
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled(this.apps.map((app) => app.close()));
    await this.pg?.end().catch(() => undefined);
    await this.issuer.stop();
    await this.orders.stop();
    await this.db?.drop();
  }
}

/** A running app, a small HTTP client for it and tokens for each kind of caller. */
export class RunningProducts {
  readonly admin: string;
  readonly customer: string;
  readonly service: string;

  constructor(
    readonly app: NestFastifyApplication,
    readonly url: string,
    readonly config: ProductsConfig,
    issuer: TestTokenIssuer,
  ) {
    this.admin = issuer.token([Role.CUSTOMER, Role.ADMIN]);
    this.customer = issuer.token([Role.CUSTOMER]);
    this.service = issuer.token([Role.SERVICE], 'activities');
  }

  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    return requestJson<T>(this.url, method, path, options);
  }

  /** Creates a product with `onHand` units (as an admin); fails the test otherwise. */
  async product(
    onHand: number,
    fields: Record<string, unknown> = {},
  ): Promise<{ id: string; sku: string }> {
    const sku = `T-${Math.random().toString(36).slice(2, 12)}`;
    const created = await this.request<{ id: string; sku: string }>('POST', '/products', {
      token: this.admin,
      body: { sku, name: `Test product ${sku}`, price: 1000, currency: 'USD', ...fields },
    });
    expect(created.status).toBe(201);
    const stock = await this.request('PUT', `/inventory/${created.body.id}`, {
      token: this.admin,
      body: { onHand },
    });
    expect(stock.status).toBe(200);
    return created.body;
  }

  reserve(orderId: string, items: { productId: string; quantity: number }[]) {
    return this.request<Record<string, unknown>>('POST', '/internal/inventory/reservations', {
      token: this.service,
      body: { orderId, items },
    });
  }

  release(orderId: string) {
    return this.request('POST', `/internal/inventory/reservations/${orderId}/release`, {
      token: this.service,
    });
  }

  commit(orderId: string) {
    return this.request('POST', `/internal/inventory/reservations/${orderId}/commit`, {
      token: this.service,
    });
  }

  async stock(productId: string) {
    const res = await this.request<{
      productId: string;
      onHand: number;
      reserved: number;
      available: number;
    }>('GET', `/inventory/${productId}`, { token: this.customer });
    expect(res.status).toBe(200);
    return res.body;
  }
}

export const errorShape = (statusCode: number, code: string) => ({
  statusCode,
  error: expect.any(String),
  message: expect.any(String),
  code,
  requestId: expect.any(String),
});
