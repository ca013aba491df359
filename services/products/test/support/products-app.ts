import { Role } from '@commerce/contracts';
import type { Env } from '@commerce/nest-kit';
import { RunningService, ServiceTestApp, type TestTokenIssuer } from '@commerce/testing';
import { AppModule, productsAppOptions } from '../../src/app.module';
import { type ProductsConfig, productsConfigSchema } from '../../src/config';
import { OrdersStandIn } from './orders-stand-in';

export { errorShape, type Reply } from '@commerce/testing';

const PRODUCTS_SECRET = 'products-test-secret';

/**
 * One test file's products service; `start()` may run it more than once on one database. The
 * orders service the sweeper asks is a stand-in (every order unknown unless a test says otherwise).
 */
export class ProductsTestEnvironment extends ServiceTestApp<typeof productsConfigSchema> {
  readonly orders = new OrdersStandIn();

  constructor() {
    super({
      schema: productsConfigSchema,
      module: () => AppModule,
      appOptions: productsAppOptions,
      database: 'products',
      env: {
        DATABASE_POOL_SIZE: '30',
        BODY_LIMIT_BYTES: '16384',
        RESERVATION_SWEEP_INTERVAL_MS: '0',
      },
    });
  }

  override async setUp(): Promise<void> {
    await super.setUp();
    await this.orders.start();
    this.onTearDown(() => this.orders.stop());
    // The sweeper's service account; its tokens come from the issuer, as auth's would.
    this.issuer.clients.set('products', PRODUCTS_SECRET);
  }

  override async start(env: Env = {}): Promise<RunningProducts> {
    return new RunningProducts(
      await super.start({
        ORDERS_URL: this.orders.url,
        AUTH_URL: this.issuer.url,
        SERVICE_CLIENT_SECRET: PRODUCTS_SECRET,
        ...env,
      }),
      this.issuer,
    );
  }
}

/** A running app with tokens for each kind of caller. */
export class RunningProducts extends RunningService<ProductsConfig> {
  readonly admin: string;
  readonly customer: string;
  readonly service: string;

  constructor({ app, url, config }: RunningService<ProductsConfig>, issuer: TestTokenIssuer) {
    super(app, url, config);
    this.admin = issuer.token([Role.CUSTOMER, Role.ADMIN]);
    this.customer = issuer.token([Role.CUSTOMER]);
    this.service = issuer.token([Role.SERVICE], 'activities');
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
