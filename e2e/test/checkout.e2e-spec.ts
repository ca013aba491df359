import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { checkoutWorkflowId, SearchAttribute } from '@commerce/contracts';
import { connectTestTemporal, MailSink, temporalCli, testEndpoints } from '@commerce/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  apiClient,
  checkout,
  inventoryOf,
  registerShopper,
  startCheckoutStack,
  stockedProduct,
  waitForOrder,
  type Call,
  type CheckoutStack,
  type Tokens,
} from '../src';

interface Payment {
  id: string;
  orderId: string;
  status: string;
  amount: number;
  currency: string;
}
interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Checkout through the gateway with every service, the BullMQ workers and the Temporal workers
 * running as separate processes, the payment provider in test mode.
 */
describe('checkout end to end', () => {
  let stack: CheckoutStack;
  let call: Call;
  let admin: string;
  let temporal: TestWorkflowEnvironment;
  const mail = new MailSink();

  beforeAll(async () => {
    stack = await startCheckoutStack({ reviewThreshold: 50_000 });
    call = apiClient(stack.api);
    admin = (await call<Tokens>('POST', '/auth/login', { body: stack.superAdmin })).body
      .accessToken;
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.teardown();
    await stack?.stop();
  });

  it('takes a paid order to COMPLETED: stock committed, one capture, invoice, notification, email', async () => {
    const shopper = await registerShopper(call);
    const product = await stockedProduct(call, admin, { price: 1999, onHand: 10 });
    expect(
      (
        await call('POST', '/cart/items', {
          token: shopper.token,
          body: { productId: product.id, quantity: 2 },
        })
      ).status,
    ).toBe(201);

    const res = await checkout(call, shopper, randomUUID());
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('PENDING');
    const order = await waitForOrder(call, shopper.token, res.body.orderId);

    expect(order.status).toBe('COMPLETED');
    expect(order.total).toBe(3998);
    expect(order.timeline.map((t) => t.to)).toEqual([
      'PENDING',
      'RESERVING',
      'CHARGING',
      'CONFIRMING',
      'COMPLETED',
    ]);
    // Reservation turned into a sale: 2 fewer on hand, nothing held back.
    expect(await inventoryOf(call, admin, product.id)).toEqual({
      productId: product.id,
      onHand: 8,
      reserved: 0,
      available: 8,
    });
    const payments = await call<Page<Payment>>('GET', `/payments?orderId=${order.id}`, {
      token: shopper.token,
    });
    expect(payments.status).toBe(200);
    expect(payments.body.items).toEqual([
      expect.objectContaining({ orderId: order.id, status: 'CAPTURED', amount: 3998 }),
    ]);
    const invoice = await fetch(`${stack.api}/invoices/${order.id}`, {
      headers: { authorization: `Bearer ${shopper.token}` },
    });
    expect(invoice.status).toBe(200);
    expect(
      Buffer.from(await invoice.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('%PDF');

    const emails = await mail.waitFor(`to:"${shopper.email}"`, 1, 30_000);
    expect(emails).toHaveLength(1);
    const notifications = await call<Page<{ template: string; status: string }>>(
      'GET',
      '/notifications',
      { token: shopper.token },
    );
    expect(notifications.body.items).toEqual([
      expect.objectContaining({ template: 'order-confirmed' }),
    ]);

    // Operators find it in Temporal by customer, with its final status.
    const description = await temporal.client.workflow
      .getHandle(checkoutWorkflowId(order.id))
      .describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(SearchAttribute.CustomerId)).toBe(shopper.id);
    expect(description.typedSearchAttributes.get(SearchAttribute.CheckoutStatus)).toBe('COMPLETED');
  });

  it('ends a declined payment FAILED with the stock back and nothing captured', async () => {
    const shopper = await registerShopper(call);
    const product = await stockedProduct(call, admin, { price: 1500, onHand: 5 });
    await call('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: product.id, quantity: 3 },
    });

    const res = await checkout(call, shopper, randomUUID(), 'pm_card_chargeDeclined');
    expect(res.status).toBe(202);
    const order = await waitForOrder(call, shopper.token, res.body.orderId);

    expect(order.status).toBe('FAILED');
    expect(order.failureReason).toBe('payment declined');
    expect(await inventoryOf(call, admin, product.id)).toMatchObject({
      onHand: 5,
      reserved: 0,
      available: 5,
    });
    const payments = await call<Page<Payment>>('GET', `/payments?orderId=${order.id}`, {
      token: shopper.token,
    });
    expect(payments.body.items.map((p) => p.status)).toEqual(['FAILED']);
    await mail.waitFor(`to:"${shopper.email}"`, 1, 30_000);
  });

  it('holds a large order for review until an operator approves it with the temporal CLI', async () => {
    const shopper = await registerShopper(call);
    const product = await stockedProduct(call, admin, { price: 30_000, onHand: 4 });
    await call('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: product.id, quantity: 2 },
    });

    const res = await checkout(call, shopper, randomUUID());
    const waiting = await waitForOrder(
      call,
      shopper.token,
      res.body.orderId,
      (o) => o.status === 'AWAITING_APPROVAL',
    );
    expect(waiting.checkout).toMatchObject({ status: 'AWAITING_APPROVAL', step: 'review' });
    // Nothing is charged while it waits.
    const before = await call<Page<Payment>>('GET', `/payments?orderId=${res.body.orderId}`, {
      token: admin,
    });
    expect(before.body.items).toEqual([]);

    execFileSync(temporalCli(), [
      'workflow',
      'signal',
      '--address',
      testEndpoints.temporalAddress,
      '--workflow-id',
      checkoutWorkflowId(res.body.orderId),
      '--name',
      'approveOrder',
      '--input',
      JSON.stringify({ by: 'ops@example.test' }),
    ]);

    const order = await waitForOrder(call, shopper.token, res.body.orderId);
    expect(order.status).toBe('COMPLETED');
    expect(order.timeline.map((t) => t.to)).toContain('AWAITING_APPROVAL');
    const status = JSON.parse(
      execFileSync(
        temporalCli(),
        [
          'workflow',
          'query',
          '--address',
          testEndpoints.temporalAddress,
          '--workflow-id',
          checkoutWorkflowId(res.body.orderId),
          '--type',
          'getStatus',
          '--output',
          'json',
        ],
        { encoding: 'utf8' },
      ),
    ) as { queryResult: [{ approvedBy: string; status: string }] };
    expect(status.queryResult[0]).toMatchObject({
      status: 'COMPLETED',
      approvedBy: 'ops@example.test',
    });
  });

  it('lets the customer cancel an order in review: stock back, order CANCELLED', async () => {
    const shopper = await registerShopper(call);
    const product = await stockedProduct(call, admin, { price: 60_000, onHand: 2 });
    await call('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: product.id, quantity: 1 },
    });
    const res = await checkout(call, shopper, randomUUID());
    await waitForOrder(
      call,
      shopper.token,
      res.body.orderId,
      (o) => o.status === 'AWAITING_APPROVAL',
    );

    const cancel = await call('POST', `/orders/${res.body.orderId}/cancel`, {
      token: shopper.token,
      body: { reason: 'found it cheaper' },
    });
    expect(cancel.status).toBe(202);
    const order = await waitForOrder(call, shopper.token, res.body.orderId);
    expect(order).toMatchObject({ status: 'CANCELLED', failureReason: 'found it cheaper' });
    expect(await inventoryOf(call, admin, product.id)).toMatchObject({ reserved: 0, available: 2 });
    const again = await call('POST', `/orders/${res.body.orderId}/cancel`, {
      token: shopper.token,
      body: {},
    });
    expect(again.status).toBe(409);
  });
});
