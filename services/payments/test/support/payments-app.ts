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
import { AppModule, paymentsAppOptions } from '../../src/app.module';
import { type PaymentsConfig, paymentsConfigSchema } from '../../src/config';
import {
  DEV_WEBHOOK_SECRET,
  type IntentEventOptions,
  intentEvent,
  signatureHeader,
} from '../../src/webhooks/signed-events';
import { StandInServices } from './stand-ins';

export type { Reply } from '@commerce/testing';

export interface Payment {
  id: string;
  orderId: string;
  customerId: string;
  status: string;
  amount: number;
  currency: string;
  provider: string;
  providerPaymentId: string | null;
  refundedAmount: number;
  failureCode: string | null;
  failureMessage: string | null;
  invoiceNumber: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Refund {
  id: string;
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  status: string;
  kind: string;
  reason: string;
}

export interface ProviderCall {
  operation: string;
  orderId: string;
  idempotencyKey: string;
  outcome: string;
  replayed: boolean;
}

export const errorShape = (statusCode: number, code: string) => ({
  statusCode,
  error: expect.any(String),
  message: expect.any(String),
  code,
  requestId: expect.any(String),
});

export const SERVICE_SECRET = 'a-test-client-secret';

/**
 * One test file's payments service: a scratch database, a stand-in for the auth and orders
 * services, the app as main.ts builds it on a free port, and a small fetch client.
 */
export class PaymentsTestEnvironment {
  readonly issuer = new TestTokenIssuer();
  readonly stand = new StandInServices(this.issuer);
  db!: ScratchDatabase;
  sql!: Client;
  app!: NestFastifyApplication;
  url!: string;
  config!: PaymentsConfig;

  /** Log lines of the app, when set up with `captureLogs`. */
  readonly logs: string[] = [];

  async setUp(
    env: Record<string, string> = {},
    options: { captureLogs?: boolean } = {},
  ): Promise<void> {
    await this.stand.start();
    this.stand.jwks.keys.push(this.issuer.jwk);
    this.stand.clients.set('payments', SERVICE_SECRET);
    this.db = await createScratchDatabase('payments');
    this.config = loadConfig(paymentsConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: this.db.url,
      DATABASE_POOL_SIZE: '20',
      REDIS_URL: testEndpoints.redisUrl,
      AUTH_JWKS_URL: this.stand.jwksUrl,
      AUTH_URL: this.stand.url,
      ORDERS_URL: this.stand.url,
      SERVICE_CLIENT_SECRET: SERVICE_SECRET,
      STRIPE_API_URL: testEndpoints.stripeMockUrl,
      PAYMENT_EVENTS_TIMEOUT_MS: '2000',
      ...env,
    });
    this.app = await createApp(AppModule.forConfig(this.config), {
      ...paymentsAppOptions(this.config),
      config: this.config,
      metrics: { defaultMetrics: false },
      shutdownHooks: false,
      ...(options.captureLogs
        ? { logger: { destination: { write: (line: string) => void this.logs.push(line) } } }
        : {}),
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

  customer(): { id: string; token: string } {
    const id = randomUUID();
    return { id, token: this.token(id) };
  }

  serviceToken(): string {
    return this.token('activities', ['SERVICE']);
  }

  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    return requestJson<T>(this.url, method, path, options);
  }

  charge(
    body: {
      orderId?: string;
      customerId?: string;
      amount?: number;
      currency?: string;
      paymentMethodId?: string;
      capture?: boolean;
    } = {},
  ) {
    return this.request<Payment>('POST', '/internal/payments/charges', {
      token: this.serviceToken(),
      body: {
        orderId: body.orderId ?? randomUUID(),
        customerId: body.customerId ?? randomUUID(),
        amount: body.amount ?? 2599,
        currency: body.currency ?? 'EUR',
        paymentMethodId: body.paymentMethodId ?? 'pm_card_visa',
        ...(body.capture === undefined ? {} : { capture: body.capture }),
      },
    });
  }

  capture(orderId: string) {
    return this.request<Payment>('POST', `/internal/payments/by-order/${orderId}/capture`, {
      token: this.serviceToken(),
    });
  }

  refund(body: { orderId: string; amount?: number; reason?: string; idempotencyKey?: string }) {
    return this.request<Refund>('POST', '/internal/payments/refunds', {
      token: this.serviceToken(),
      body: { reason: 'test refund', idempotencyKey: randomUUID(), ...body },
    });
  }

  byOrder(orderId: string) {
    return this.request<Payment>('GET', `/internal/payments/by-order/${orderId}`, {
      token: this.serviceToken(),
    });
  }

  async providerCalls(orderId: string): Promise<ProviderCall[]> {
    const res = await this.request<{ items: ProviderCall[] }>(
      'GET',
      `/internal/payments/test-provider/calls?orderId=${orderId}`,
      { token: this.serviceToken() },
    );
    expect(res.status).toBe(200);
    return res.body.items;
  }

  async outage(body: { failNext?: number; delayMs?: number }): Promise<void> {
    const res = await this.request('PUT', '/internal/payments/test-provider/outage', {
      token: this.serviceToken(),
      body,
    });
    expect(res.status).toBe(200);
  }

  /** Posts a webhook signed like Stripe does (or as `sign` says). */
  webhook(
    event: IntentEventOptions | Record<string, unknown>,
    sign: { secret?: string; timestamp?: number; header?: string | null } = {},
  ) {
    const payload = JSON.stringify(
      'intentId' in event ? intentEvent(event as IntentEventOptions) : event,
    );
    const header =
      sign.header === undefined
        ? signatureHeader(payload, sign.secret ?? DEV_WEBHOOK_SECRET, sign.timestamp)
        : sign.header;
    return this.request<Record<string, unknown>>('POST', '/payments/webhooks/stripe', {
      body: payload,
      headers: header === null ? {} : { 'stripe-signature': header },
    });
  }

  async count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
    const res = await this.sql.query<{ n: string }>(
      `select count(*) as n from ${table} where ${where}`,
      params,
    );
    return Number(res.rows[0]?.n ?? 0);
  }
}
