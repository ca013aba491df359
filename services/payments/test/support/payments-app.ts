import type { PaymentView } from '@commerce/contracts';
import type { Env } from '@commerce/nest-kit';
import { ServiceTestApp, testEndpoints } from '@commerce/testing';
import { randomUUID } from 'node:crypto';
import { AppModule, paymentsAppOptions } from '../../src/app.module';
import { paymentsConfigSchema } from '../../src/config';
import {
  DEV_WEBHOOK_SECRET,
  type IntentEventOptions,
  intentEvent,
  signatureHeader,
} from '../../src/webhooks/signed-events';
import { StandInServices } from './stand-ins';

export { errorShape, type Reply } from '@commerce/testing';

export type Payment = PaymentView & { invoiceNumber: string | null };

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

export const SERVICE_SECRET = 'a-test-client-secret';

/**
 * One test file's payments service: the issuer stands in for the auth service (JWKS and client
 * credentials), `stand` for the orders service's payment-events endpoint.
 */
export class PaymentsTestEnvironment extends ServiceTestApp<typeof paymentsConfigSchema> {
  readonly stand = new StandInServices(this.issuer);
  /** Log lines of the app, when set up with `captureLogs`. */
  readonly logs: string[] = [];

  constructor() {
    super({
      schema: paymentsConfigSchema,
      module: (config) => AppModule.forConfig(config),
      appOptions: paymentsAppOptions,
      database: 'payments',
      env: {
        DATABASE_POOL_SIZE: '20',
        SERVICE_CLIENT_SECRET: SERVICE_SECRET,
        STRIPE_API_URL: testEndpoints.stripeMockUrl,
        PAYMENT_EVENTS_TIMEOUT_MS: '2000',
      },
    });
    this.issuer.clients.set('payments', SERVICE_SECRET);
    this.onTearDown(() => this.stand.stop());
  }

  override async setUp(env: Env = {}, options: { captureLogs?: boolean } = {}): Promise<void> {
    await this.stand.start();
    await super.setUp();
    const logger = { destination: { write: (line: string) => void this.logs.push(line) } };
    await this.start(
      { AUTH_URL: this.issuer.url, ORDERS_URL: this.stand.url, ...env },
      options.captureLogs ? { logger } : {},
    );
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
}
