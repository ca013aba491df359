import { randomUUID } from 'node:crypto';
import {
  approveOrderSignal,
  cancelOrderSignal,
  type CheckoutInput,
  type CheckoutResult,
  CheckoutFailureType,
  checkoutWorkflowId,
  getStatusQuery,
  paymentConfirmedSignal,
  rejectOrderSignal,
  SearchAttribute,
  TaskQueue,
} from '@commerce/contracts';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { checkoutWorkflow } from '@commerce/workflows';
import { Gate, StubActivities } from '../support/stub-activities';
import { startCheckoutWorkers } from '../support/workflow-env';
import { saveHistoryIfRecording } from '../support/histories';

const stubs = new StubActivities();
let env: TestWorkflowEnvironment;
let stopWorkers: () => Promise<void>;

beforeAll(async () => {
  ({ env, stop: stopWorkers } = await startCheckoutWorkers(stubs.build()));
}, 120_000);
afterAll(() => stopWorkers?.());

function checkoutInput(overrides: Partial<CheckoutInput> = {}): CheckoutInput {
  return {
    orderId: randomUUID(),
    customerId: randomUUID(),
    customerEmail: 'ada@example.test',
    items: [
      { productId: randomUUID(), sku: 'SKU-1', name: 'Kettle', quantity: 2, unitPrice: 2500 },
    ],
    total: 5000,
    currency: 'EUR',
    paymentMethodId: 'pm_card_visa',
    reviewThreshold: 100_000,
    reviewTimeoutMs: 60_000,
    paymentActionTimeoutMs: 60_000,
    requestId: `req-${randomUUID()}`,
    ...overrides,
  };
}

async function start(
  input: CheckoutInput,
  scenario: Parameters<StubActivities['scenario']>[1] = {},
): Promise<WorkflowHandle<typeof checkoutWorkflow>> {
  stubs.scenario(input.orderId, scenario);
  return env.client.workflow.start<typeof checkoutWorkflow>('checkoutWorkflow', {
    taskQueue: TaskQueue.checkout,
    workflowId: checkoutWorkflowId(input.orderId),
    args: [input],
  });
}

/** Polls the getStatus query until the workflow reports `status`. */
async function waitForStatus(handle: WorkflowHandle, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const state = await handle.query(getStatusQuery);
    if (state.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`workflow never reached ${status}`);
}

const declined = () =>
  ApplicationFailure.create({
    type: CheckoutFailureType.PAYMENT_DECLINED,
    message: 'card declined',
    nonRetryable: true,
  });

describe('checkoutWorkflow on the dev server (stubbed activities)', () => {
  it('completes a paid order: reserve, charge, confirm, commit, notify, in that order', async () => {
    const input = checkoutInput();
    const handle = await start(input);
    const result = await handle.result();

    expect(result).toEqual<CheckoutResult>({
      orderId: input.orderId,
      status: 'COMPLETED',
      paymentId: `pay-${input.orderId}`,
    });
    expect(stubs.namesFor(input.orderId)).toEqual([
      'setOrderStatus',
      'reserveInventory',
      'setOrderStatus',
      'chargePayment',
      'setOrderStatus',
      'confirmOrder',
      'commitInventory',
      'notifyCustomer',
      'recordOrderOutcome',
    ]);
    const calls = stubs.callsFor(input.orderId);
    expect(calls.filter((c) => c.name === 'setOrderStatus').map((c) => c.input.to)).toEqual([
      'RESERVING',
      'CHARGING',
      'CONFIRMING',
    ]);
    // Every call carries the order id and the request id of the checkout that started it.
    expect(calls.every((c) => c.input.requestId === input.requestId)).toBe(true);
    expect(calls.find((c) => c.name === 'notifyCustomer')?.input).toMatchObject({
      template: 'order-confirmed',
      email: 'ada@example.test',
    });
    // The analytics fact is keyed by order, so a retried step never counts twice.
    expect(calls.find((c) => c.name === 'recordOrderOutcome')?.input.event).toMatchObject({
      id: `order.completed:${input.orderId}`,
      type: 'order.completed',
      customerId: input.customerId,
      total: 5000,
      currency: 'EUR',
      items: [{ productId: input.items[0]!.productId, quantity: 2, unitPrice: 2500 }],
    });

    const state = await handle.query(getStatusQuery);
    expect(state.status).toBe('COMPLETED');
    expect(state.timeline.map((t) => t.step)).toEqual([
      'created',
      'reserveInventory',
      'chargePayment',
      'confirmOrder',
      'commitInventory',
      'notifyCustomer',
      'done',
    ]);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(SearchAttribute.CheckoutStatus)).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(SearchAttribute.CustomerId)).toBe(
      input.customerId,
    );
    expect(description.typedSearchAttributes.get(SearchAttribute.OrderTotal)).toBe(5000);
    await saveHistoryIfRecording('success-analytics', handle);
  });

  it('fails an order that is out of stock without charging', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      reserveInventory: () =>
        Promise.reject(
          ApplicationFailure.create({
            type: CheckoutFailureType.OUT_OF_STOCK,
            message: 'out of stock',
            nonRetryable: true,
          }),
        ),
    });

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'out of stock' });
    expect(stubs.countOf(input.orderId, 'chargePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
    expect(stubs.callsFor(input.orderId).find((c) => c.name === 'failOrder')?.input).toMatchObject({
      reason: 'out of stock',
    });
    expect(
      stubs.callsFor(input.orderId).find((c) => c.name === 'notifyCustomer')?.input,
    ).toMatchObject({ template: 'order-failed' });
    expect(
      (await handle.describe()).typedSearchAttributes.get(SearchAttribute.CheckoutStatus),
    ).toBe('FAILED');
  });

  it('releases the stock of a declined payment and never confirms', async () => {
    const input = checkoutInput({ paymentMethodId: 'pm_card_chargeDeclined' });
    const handle = await start(input, { chargePayment: () => Promise.reject(declined()) });

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'payment declined' });
    const names = stubs.namesFor(input.orderId);
    expect(names).not.toContain('confirmOrder');
    expect(names).not.toContain('commitInventory');
    // Compensations newest first: the (no-op) refund, then the release.
    expect(names.slice(names.indexOf('chargePayment') + 1)).toEqual([
      'refundPayment',
      'releaseInventory',
      'failOrder',
      'notifyCustomer',
      'recordOrderOutcome',
    ]);
    expect(stubs.countOf(input.orderId, 'chargePayment')).toBe(1);
    await saveHistoryIfRecording('decline', handle);
  });

  it('cancels while reserving: the reservation is released and nothing is charged', async () => {
    const input = checkoutInput();
    const gate = new Gate();
    const handle = await start(input, { reserveInventory: () => gate.hold(undefined) });
    await gate.entered;
    await handle.signal(cancelOrderSignal, { reason: 'changed my mind', by: input.customerId });
    gate.open();

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'CANCELLED', failureReason: 'changed my mind' });
    expect(stubs.countOf(input.orderId, 'chargePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
    expect(
      stubs.callsFor(input.orderId).find((c) => c.name === 'cancelOrder')?.input,
    ).toMatchObject({ reason: 'changed my mind', actor: input.customerId });
    await saveHistoryIfRecording('cancel', handle);
  });

  it('cancels in review: released, never charged', async () => {
    const input = checkoutInput({ total: 250_000, reviewThreshold: 100_000 });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    expect(
      (await handle.describe()).typedSearchAttributes.get(SearchAttribute.CheckoutStatus),
    ).toBe('AWAITING_APPROVAL');
    await handle.signal(cancelOrderSignal, { reason: 'too expensive' });

    expect(await handle.result()).toMatchObject({ status: 'CANCELLED' });
    expect(stubs.countOf(input.orderId, 'chargePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
    expect(stubs.countOf(input.orderId, 'cancelOrder')).toBe(1);
  });

  it('cancels while charging: the charge finishes, then is refunded and the stock released', async () => {
    const input = checkoutInput();
    const gate = new Gate();
    const handle = await start(input, {
      chargePayment: (i) => gate.hold({ paymentId: `pay-${i.orderId}`, status: 'CAPTURED' }),
    });
    await gate.entered;
    await handle.signal(cancelOrderSignal, { reason: 'cancel during payment' });
    gate.open();

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'CANCELLED', paymentId: `pay-${input.orderId}` });
    const names = stubs.namesFor(input.orderId);
    expect(names.slice(names.indexOf('chargePayment') + 1)).toEqual([
      'refundPayment',
      'releaseInventory',
      'cancelOrder',
      'notifyCustomer',
      'recordOrderOutcome',
    ]);
    expect(names).not.toContain('confirmOrder');
  });

  it('waits for approval of a large order, then completes', async () => {
    const input = checkoutInput({ total: 100_000, reviewThreshold: 100_000 });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    expect(stubs.countOf(input.orderId, 'chargePayment')).toBe(0);
    await handle.signal(approveOrderSignal, { by: 'ops@example.test' });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    const state = await handle.query(getStatusQuery);
    expect(state.approvedBy).toBe('ops@example.test');
    expect(
      stubs
        .callsFor(input.orderId)
        .filter((c) => c.name === 'setOrderStatus')
        .map((c) => c.input.to),
    ).toEqual(['RESERVING', 'AWAITING_APPROVAL', 'CHARGING', 'CONFIRMING']);
    await saveHistoryIfRecording('approval', handle);
  });

  it('fails a rejected order and releases its stock', async () => {
    const input = checkoutInput({ total: 150_000, reviewThreshold: 100_000 });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    await handle.signal(rejectOrderSignal, { by: 'ops@example.test', reason: 'fraud suspected' });

    expect(await handle.result()).toMatchObject({
      status: 'FAILED',
      failureReason: 'rejected by ops@example.test: fraud suspected',
    });
    expect(stubs.countOf(input.orderId, 'chargePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
  });

  it('rejects an order whose review times out', async () => {
    const input = checkoutInput({
      total: 150_000,
      reviewThreshold: 100_000,
      reviewTimeoutMs: 1_500,
    });
    const handle = await start(input);

    expect(await handle.result()).toMatchObject({
      status: 'FAILED',
      failureReason: 'review timed out: rejected',
    });
    expect(stubs.countOf(input.orderId, 'chargePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
  });

  it('retries a transient payment outage, then completes with one successful charge', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      chargePayment: (i, attempt) =>
        attempt < 3
          ? Promise.reject(new Error('503 PAYMENT_PROVIDER_UNAVAILABLE'))
          : Promise.resolve({ paymentId: `pay-${i.orderId}`, status: 'CAPTURED' }),
    });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(stubs.countOf(input.orderId, 'chargePayment')).toBe(3);
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(0);
  });

  it('refunds and releases when a step after the charge fails', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      confirmOrder: () =>
        Promise.reject(
          ApplicationFailure.create({
            type: CheckoutFailureType.ILLEGAL_TRANSITION,
            message: 'order can no longer be confirmed',
            nonRetryable: true,
          }),
        ),
    });

    const result = await handle.result();
    expect(result).toMatchObject({
      status: 'FAILED',
      failureReason: 'order can no longer be confirmed',
    });
    const names = stubs.namesFor(input.orderId);
    expect(names.slice(names.indexOf('confirmOrder') + 1)).toEqual([
      'refundPayment',
      'releaseInventory',
      'failOrder',
      'notifyCustomer',
      'recordOrderOutcome',
    ]);
    expect(names).not.toContain('commitInventory');
  });

  it('runs every compensation even when one fails for good, then fails the run for an operator', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      chargePayment: () => Promise.reject(declined()),
      refundPayment: () =>
        Promise.reject(
          ApplicationFailure.create({
            type: 'PaymentRefunded',
            message: 'refund refused',
            nonRetryable: true,
          }),
        ),
    });

    await expect(handle.result()).rejects.toThrow(/workflow execution failed/i);
    // The release still ran after the refund failed, and the order was still ended and told.
    const names = stubs.namesFor(input.orderId);
    expect(names.slice(names.indexOf('refundPayment'))).toEqual([
      'refundPayment',
      'releaseInventory',
      'failOrder',
      'notifyCustomer',
      'recordOrderOutcome',
    ]);
    const state = await handle.query(getStatusQuery);
    expect(state.status).toBe('FAILED');
    expect(state.timeline.some((t) => t.note?.startsWith('refundPayment failed'))).toBe(true);
    const description = await handle.describe();
    expect(description.status.name).toBe('FAILED');
  });

  it('completes the order even when the notification cannot be sent', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      notifyCustomer: () =>
        Promise.reject(
          ApplicationFailure.create({ type: 'BadRequest', message: 'no', nonRetryable: true }),
        ),
    });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'commitInventory')).toBe(1);
    const state = await handle.query(getStatusQuery);
    expect(state.timeline.some((t) => t.note?.startsWith('notification failed'))).toBe(true);
  });

  it('ignores duplicate approvals and a cancel that arrives after confirmation', async () => {
    const input = checkoutInput({ total: 200_000, reviewThreshold: 100_000 });
    const gate = new Gate();
    const handle = await start(input, { confirmOrder: () => gate.hold(undefined) });
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    await handle.signal(approveOrderSignal, { by: 'first' });
    await handle.signal(approveOrderSignal, { by: 'second' });
    await handle.signal(rejectOrderSignal, { by: 'third', reason: 'too late' });
    await gate.entered;
    await handle.signal(cancelOrderSignal, { reason: 'too late to cancel' });
    gate.open();

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect((await handle.query(getStatusQuery)).approvedBy).toBe('first');
    expect(stubs.countOf(input.orderId, 'chargePayment')).toBe(1);
    expect(stubs.countOf(input.orderId, 'cancelOrder')).toBe(0);
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(0);
    // A signal to a finished checkout is refused by the server, not silently lost.
    await expect(handle.signal(cancelOrderSignal, { reason: 'way too late' })).rejects.toThrow();
  });

  it('waits for the payment webhook when the charge needs customer action', async () => {
    const input = checkoutInput({ paymentMethodId: 'pm_card_authenticationRequired' });
    let settled = false;
    const handle = await start(input, {
      chargePayment: (i) =>
        Promise.resolve({ paymentId: `pay-${i.orderId}`, status: 'REQUIRES_ACTION' }),
      getPayment: (i) =>
        Promise.resolve({
          paymentId: `pay-${i.orderId}`,
          status: settled ? 'CAPTURED' : 'REQUIRES_ACTION',
        }),
    });
    for (
      let i = 0;
      i < 200 && (await handle.query(getStatusQuery)).step !== 'awaitPaymentAction';
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stubs.countOf(input.orderId, 'confirmOrder')).toBe(0);
    settled = true;
    await handle.signal(paymentConfirmedSignal, { paymentId: `pay-${input.orderId}` });
    // A duplicate webhook signal changes nothing.
    await handle.signal(paymentConfirmedSignal, { paymentId: `pay-${input.orderId}` });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(stubs.countOf(input.orderId, 'getPayment')).toBe(1);
  });

  it('fails and voids a payment whose customer action never comes', async () => {
    const input = checkoutInput({ paymentActionTimeoutMs: 1_000 });
    const handle = await start(input, {
      chargePayment: (i) =>
        Promise.resolve({ paymentId: `pay-${i.orderId}`, status: 'REQUIRES_ACTION' }),
      getPayment: (i) =>
        Promise.resolve({ paymentId: `pay-${i.orderId}`, status: 'REQUIRES_ACTION' }),
    });

    expect(await handle.result()).toMatchObject({
      status: 'FAILED',
      failureReason: 'payment action timed out',
    });
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(1);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
  });

  it('compensates when an operator cancels the workflow itself', async () => {
    const input = checkoutInput({ total: 300_000, reviewThreshold: 100_000 });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    await handle.cancel();

    expect(await handle.result()).toMatchObject({
      status: 'CANCELLED',
      failureReason: 'checkout cancelled by an operator',
    });
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
    expect(stubs.countOf(input.orderId, 'cancelOrder')).toBe(1);
    expect(stubs.countOf(input.orderId, 'notifyCustomer')).toBe(1);
  });
});
