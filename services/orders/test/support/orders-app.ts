import { checkoutWorkflowId } from '@commerce/contracts';
import type { Env } from '@commerce/nest-kit';
import { ServiceTestApp } from '@commerce/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { AppModule, ordersAppOptions } from '../../src/app.module';
import { ordersConfigSchema } from '../../src/config';
import { StandInServices } from './stand-ins';

export { errorShape, type Reply } from '@commerce/testing';

export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

/** One test file's orders service, with a stand-in for the products service. */
export class OrdersTestEnvironment extends ServiceTestApp<typeof ordersConfigSchema> {
  readonly stand = new StandInServices();

  constructor() {
    super({
      schema: ordersConfigSchema,
      module: () => AppModule,
      appOptions: ordersAppOptions,
      database: 'orders',
      env: { DATABASE_POOL_SIZE: '20', PRODUCTS_TIMEOUT_MS: '500', MAX_CART_LINES: '5' },
    });
    this.onTearDown(() => this.stand.stop());
  }

  override async setUp(env: Env = {}): Promise<void> {
    await this.stand.start();
    await super.setUp();
    await this.start({ PRODUCTS_URL: this.stand.url, ...env });
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

/** Ends the checkout workflows of `orderIds` (no worker polls these tests' queues). */
export async function terminateCheckouts(temporal: TestWorkflowEnvironment, orderIds: string[]) {
  for (const orderId of orderIds) {
    await temporal.client.workflow
      .getHandle(checkoutWorkflowId(orderId))
      .terminate('test finished')
      .catch(() => undefined);
  }
}
