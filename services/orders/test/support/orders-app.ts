import { type Role } from '@commerce/contracts';
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
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppModule, ordersAppOptions } from '../../src/app.module';
import { type OrdersConfig, ordersConfigSchema } from '../../src/config';
import { StandInServices } from './stand-ins';

export type { Reply } from '@commerce/testing';

export const errorShape = (statusCode: number, code: string) => ({
  statusCode,
  error: expect.any(String),
  message: expect.any(String),
  code,
  requestId: expect.any(String),
});

export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

/**
 * One test file's orders service: a scratch database, stand-ins for the products service and the
 * JWKS, the app as main.ts builds it on a free port, and a small fetch client.
 */
export class OrdersTestEnvironment {
  readonly stand = new StandInServices();
  readonly issuer = new TestTokenIssuer();
  db!: ScratchDatabase;
  sql!: Client;
  app!: NestFastifyApplication;
  url!: string;
  config!: OrdersConfig;

  async setUp(env: Record<string, string> = {}): Promise<void> {
    await this.stand.start();
    this.stand.jwks.keys.push(this.issuer.jwk);
    this.db = await createScratchDatabase('orders');
    this.config = loadConfig(ordersConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: this.db.url,
      DATABASE_POOL_SIZE: '20',
      REDIS_URL: testEndpoints.redisUrl,
      AUTH_JWKS_URL: this.stand.jwksUrl,
      PRODUCTS_URL: this.stand.url,
      PRODUCTS_TIMEOUT_MS: '500',
      MAX_CART_LINES: '5',
      ...env,
    });
    this.app = await createApp(AppModule, {
      ...ordersAppOptions(this.config),
      config: this.config,
      metrics: { defaultMetrics: false },
      shutdownHooks: false,
    });
    ({ url: this.url } = await listen(this.app, { host: '127.0.0.1', port: 0 }));
    this.sql = new Client({ connectionString: this.db.url });
    await this.sql.connect();
  }

  async tearDown(): Promise<void> {
    await this.sql?.end().catch(() => undefined);
    await this.app?.close().catch(() => undefined);
    await this.stand.stop();
    await this.db?.drop();
  }

  token(sub: string, roles: Role[] = ['CUSTOMER']): string {
    return this.issuer.token(roles, sub);
  }

  /** A fresh customer with a token. */
  customer(): { id: string; token: string } {
    const id = randomUUID();
    return { id, token: this.token(id) };
  }

  /** A SERVICE token of `clientId` (the internal routes grant each caller by its client id). */
  serviceToken(clientId = 'activities'): string {
    return this.token(clientId, ['SERVICE']);
  }

  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    return requestJson<T>(this.url, method, path, options);
  }

  async count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
    const res = await this.sql.query<{ n: string }>(
      `select count(*) as n from ${table} where ${where}`,
      params,
    );
    return Number(res.rows[0]?.n ?? 0);
  }

  /** Puts products in the customer's cart through the API. */
  async fillCart(token: string, lines: { productId: string; quantity: number }[]): Promise<void> {
    for (const line of lines) {
      const res = await this.request('POST', '/cart/items', { token, body: line });
      expect(res.status).toBe(201);
    }
  }

  createOrder(customerId: string, idempotencyKey: string = randomUUID()) {
    return this.request<Record<string, unknown> & { id: string; status: string }>(
      'POST',
      '/internal/orders',
      {
        token: this.serviceToken(),
        body: {
          customerId,
          shippingAddress: ADDRESS,
          paymentMethodId: 'pm_card_visa',
          idempotencyKey,
        },
      },
    );
  }
}
