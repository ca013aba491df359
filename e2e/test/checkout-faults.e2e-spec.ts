import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkoutWorkflowId } from '@commerce/contracts';
import { connectTestTemporal } from '@commerce/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  apiClient,
  checkout,
  committedInventoryOf,
  registerShopper,
  startCheckoutStack,
  stockedProduct,
  waitForOrder,
  type Call,
  type CheckoutStack,
  type Shopper,
  type Tokens,
} from '../src';

interface ProviderCall {
  operation: 'charge' | 'capture' | 'refund' | 'cancel';
  outcome: string;
  replayed: boolean;
  idempotencyKey: string;
}

/**
 * Faults on the whole stack: a worker killed mid-charge, duplicate submissions, and a crowd racing
 * for scarce stock. Money and stock are counted at the source (the provider's own call log, the
 * payments list, the inventory), not inferred from statuses.
 */
describe('checkout under faults', () => {
  let stack: CheckoutStack;
  let call: Call;
  let payments: Call;
  let admin: string;
  let service: string;
  let temporal: TestWorkflowEnvironment;

  beforeAll(async () => {
    stack = await startCheckoutStack();
    call = apiClient(stack.api);
    payments = apiClient(stack.apps.payments.url);
    admin = (await call<Tokens>('POST', '/auth/login', { body: stack.superAdmin })).body
      .accessToken;
    service = await stack.serviceToken();
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.teardown();
    await stack?.stop();
  });

  async function providerCalls(orderId: string): Promise<ProviderCall[]> {
    const res = await payments<{ items: ProviderCall[] }>(
      'GET',
      `/internal/payments/test-provider/calls?orderId=${orderId}`,
      { token: service },
    );
    expect(res.status).toBe(200);
    return res.body.items;
  }

  async function paymentsOf(orderId: string): Promise<{ status: string; amount: number }[]> {
    const res = await call<{ items: { status: string; amount: number }[] }>(
      'GET',
      `/payments?orderId=${orderId}`,
      { token: admin },
    );
    return res.body.items;
  }

  async function fillCart(shopper: Shopper, productId: string, quantity: number) {
    const res = await call('POST', '/cart/items', {
      token: shopper.token,
      body: { productId, quantity },
    });
    expect(res.status).toBe(201);
  }

  it('completes with one authorisation and one capture when the payments worker is killed mid-payment', async () => {
    const shopper = await registerShopper(call);
    const product = await stockedProduct(call, admin, { price: 4200, onHand: 3 });
    await fillCart(shopper, product.id, 1);
    // Every provider call now takes 3 s, so the charge is surely in flight when the worker dies.
    const slow = await payments('PUT', '/internal/payments/test-provider/outage', {
      token: service,
      body: { delayMs: 3000 },
    });
    expect(slow.status).toBe(200);
    try {
      const res = await checkout(call, shopper, randomUUID());
      const orderId = res.body.orderId;
      await waitForOrder(call, shopper.token, orderId, (o) => o.status === 'CHARGING', 30_000);
      await sleep(1000);
      await stack.apps.paymentsWorker.stop('SIGKILL');
      await stack.apps.paymentsWorker.start();

      const order = await waitForOrder(call, shopper.token, orderId);
      expect(order.status).toBe('COMPLETED');
      const calls = await providerCalls(orderId);
      const charges = calls.filter((c) => c.operation === 'charge');
      // The provider authorised once; any later call with the same key was answered from its
      // record. Then exactly one capture took the money.
      expect(charges.filter((c) => !c.replayed && c.outcome === 'AUTHORIZED')).toHaveLength(1);
      expect(new Set(charges.map((c) => c.idempotencyKey)).size).toBe(1);
      const captures = calls.filter((c) => c.operation === 'capture' && !c.replayed);
      expect(captures.map((c) => c.outcome)).toEqual(['CAPTURED']);
      expect(await paymentsOf(orderId)).toEqual([
        expect.objectContaining({ status: 'CAPTURED', amount: 4200 }),
      ]);
      // The killed attempt is visible in Temporal as a retried activity, not a second charge.
      const history = await temporal.client.workflow
        .getHandle(checkoutWorkflowId(orderId))
        .fetchHistory();
      const scheduled = (name: string) =>
        history.events!.filter(
          (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name,
        );
      expect(scheduled('authorizePayment')).toHaveLength(1);
      expect(scheduled('capturePayment')).toHaveLength(1);
      expect(scheduled('chargePayment')).toHaveLength(0);
    } finally {
      await payments('PUT', '/internal/payments/test-provider/outage', {
        token: service,
        body: { delayMs: 0 },
      });
    }
  });

  it('turns ten concurrent submissions with one key into one order, one workflow, one payment', async () => {
    const shopper = await registerShopper(call);
    const product = await stockedProduct(call, admin, { price: 1000, onHand: 10 });
    await fillCart(shopper, product.id, 2);
    const key = randomUUID();

    const replies = await Promise.all(
      Array.from({ length: 10 }, () => checkout(call, shopper, key)),
    );
    expect(replies.every((r) => r.status === 202 || r.status === 200)).toBe(true);
    const orderIds = new Set(replies.map((r) => r.body.orderId));
    expect(orderIds.size).toBe(1);
    const [orderId] = [...orderIds] as [string];

    const order = await waitForOrder(call, shopper.token, orderId);
    expect(order.status).toBe('COMPLETED');
    const mine = await call<{ total: number }>('GET', '/orders', { token: shopper.token });
    expect(mine.body.total).toBe(1);
    expect(await paymentsOf(orderId)).toHaveLength(1);
    const charges = (await providerCalls(orderId)).filter((c) => c.operation === 'charge');
    expect(charges.filter((c) => !c.replayed)).toHaveLength(1);
    let runs = 0;
    for await (const _ of temporal.client.workflow.list({
      query: `WorkflowId = '${checkoutWorkflowId(orderId)}'`,
    })) {
      runs += 1;
    }
    expect(runs).toBe(1);
    expect(await committedInventoryOf(call, admin, product.id)).toMatchObject({
      onHand: 8,
      reserved: 0,
    });
  });

  it('sells exactly the 20 in stock to 100 racing customers and restores the rest', async () => {
    const product = await stockedProduct(call, admin, { price: 500, onHand: 20 });
    const shoppers: Shopper[] = [];
    for (let i = 0; i < 100; i += 10) {
      shoppers.push(
        ...(await Promise.all(Array.from({ length: 10 }, () => registerShopper(call)))),
      );
    }
    await Promise.all(shoppers.map((s) => fillCart(s, product.id, 1)));

    const submitted = await Promise.all(shoppers.map((s) => checkout(call, s, randomUUID())));
    // Every customer's checkout is accepted; the refused ones are listed with their answers.
    expect(submitted.filter((r) => r.status !== 202)).toEqual([]);
    const orders = await Promise.all(
      submitted.map((r, i) =>
        waitForOrder(call, shoppers[i]!.token, r.body.orderId, undefined, 180_000),
      ),
    );

    const byStatus = (status: string) => orders.filter((o) => o.status === status);
    expect(byStatus('COMPLETED')).toHaveLength(20);
    expect(byStatus('FAILED')).toHaveLength(80);
    expect(byStatus('FAILED').every((o) => o.failureReason === 'out of stock')).toBe(true);
    expect(await committedInventoryOf(call, admin, product.id)).toEqual({
      productId: product.id,
      onHand: 0,
      reserved: 0,
      available: 0,
    });
    // Only the winners were charged.
    const charged = await Promise.all(orders.map((o) => paymentsOf(o.id)));
    expect(charged.filter((p) => p.length > 0)).toHaveLength(20);
  });
});
