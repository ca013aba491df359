import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CheckoutInput,
  type CheckoutResult,
  CheckoutFailureType,
  checkoutWorkflowId,
  TaskQueue,
} from '@commerce/contracts';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import {
  type WorkflowHandle,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  approveOrderSignal,
  approveOrderUpdate,
  cancelOrderSignal,
  checkoutStartAttributes,
  CURRENT_STEPS,
  type checkoutWorkflow,
  getStatusQuery,
  paymentConfirmedSignal,
  rejectOrderSignal,
  rejectOrderUpdate,
  SearchAttribute,
} from '@commerce/workflows';
import { eventually } from '@commerce/testing';
import { Gate, StubActivities } from '../support/stub-activities';
import { startCheckoutWorkers } from '../support/workflow-env';
import { saveHistoryIfRecording } from '../support/histories';

const stubs = new StubActivities();
let env: TestWorkflowEnvironment;
let taskQueue: string;
let on: (queue: TaskQueue) => string;
let stopWorkers: () => Promise<void>;

beforeAll(async () => {
  ({ env, taskQueue, on, stop: stopWorkers } = await startCheckoutWorkers(stubs.build()));
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
    taskQueue,
    workflowId: checkoutWorkflowId(input.orderId),
    args: [input],
  });
}

/** Polls the getStatus query until the workflow reports `status`. */
const waitForStatus = (handle: WorkflowHandle, status: string) =>
  eventually(
    `workflow status ${status}`,
    async () => (await handle.query(getStatusQuery)).status === status,
    10_000,
  );

/** The task queue the workflow scheduled each activity on, from the run's history. */
async function taskQueueByActivity(handle: WorkflowHandle): Promise<Map<string, string>> {
  const history = await handle.fetchHistory();
  const byName = new Map<string, string>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (!scheduled?.activityType?.name) continue;
    byName.set(scheduled.activityType.name, scheduled.taskQueue?.name ?? '');
  }
  return byName;
}

/** The retry policy the workflow gave each scheduled activity, from the run's history. */
async function maximumAttemptsByActivity(handle: WorkflowHandle): Promise<Map<string, number>> {
  const history = await handle.fetchHistory();
  const byName = new Map<string, number>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (!scheduled?.activityType?.name) continue;
    byName.set(scheduled.activityType.name, scheduled.retryPolicy?.maximumAttempts ?? 0);
  }
  return byName;
}

const transient = () => Promise.reject(new Error('503 SERVICE_UNAVAILABLE'));

const declined = () =>
  ApplicationFailure.create({
    type: CheckoutFailureType.PAYMENT_DECLINED,
    message: 'card declined',
    nonRetryable: true,
  });

describe('checkoutWorkflow on the dev server (stubbed activities)', () => {
  it('completes a paid order: reserve, authorise, capture, commit, then COMPLETED, then notify', async () => {
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
      'authorizePayment',
      'capturePayment',
      'setOrderStatus',
      'commitInventory',
      'confirmOrder',
      'notifyCustomer',
      'recordOrderOutcome',
    ]);
    const calls = stubs.callsFor(input.orderId);
    expect(calls.filter((c) => c.name === 'setOrderStatus').map((c) => c.input.to)).toEqual([
      'RESERVING',
      'CHARGING',
      'CONFIRMING',
    ]);
    // The reservation is held for the checkout's waits (at least an hour), not the default TTL.
    expect(calls.find((c) => c.name === 'reserveInventory')?.input.holdSeconds).toBe(3600);
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
      'authorizePayment',
      'capturePayment',
      'commitInventory',
      'confirmOrder',
      'notifyCustomer',
      'done',
    ]);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(SearchAttribute.CheckoutStatus)).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(SearchAttribute.CustomerId)).toBe(
      input.customerId,
    );
    expect(description.typedSearchAttributes.get(SearchAttribute.OrderTotal)).toBe(5000);
    // authorise-first-success.json was recorded before the order records went local
    // (LOCAL_ORDER_RECORDS); this run's shape is kept apart so the old one is never overwritten.
    await saveHistoryIfRecording('local-order-records-success', handle);
  });

  // Issue 16: every recorded patch marker made the SDK upsert TemporalChangeVersion, and the run
  // upserted the attributes it was started with again: each a visibility write in the server.
  it('records one patch marker and upserts search attributes only as the status moves', async () => {
    const input = checkoutInput();
    stubs.scenario(input.orderId, {});
    // Started as the orders service starts it (CheckoutClient.start), attributes included.
    const handle = await env.client.workflow.start<typeof checkoutWorkflow>('checkoutWorkflow', {
      taskQueue,
      workflowId: checkoutWorkflowId(input.orderId),
      args: [input],
      typedSearchAttributes: new TypedSearchAttributes(checkoutStartAttributes(input)),
    });
    await handle.result();

    const events = (await handle.fetchHistory()).events ?? [];
    const patches = events
      .map((e) => e.markerRecordedEventAttributes)
      .filter((marker) => marker?.markerName === 'core_patch')
      // A patch marker's details hold `{id, deprecated}` as JSON.
      .flatMap((marker) => Object.values(marker!.details ?? {}))
      .map(
        ({ payloads }) => JSON.parse(Buffer.from(payloads![0]!.data!).toString()) as { id: string },
      )
      .map(({ id }) => id);
    expect(patches).toEqual([CURRENT_STEPS]);
    const upserts = events
      .flatMap((e) => {
        const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes;
        return fields?.indexedFields ? [fields.indexedFields] : [];
      })
      .map((fields) =>
        Object.entries(fields)
          .map(([key, payload]) => `${key}=${Buffer.from(payload.data ?? []).toString()}`)
          .join(' '),
      );
    expect(upserts).toEqual([
      `TemporalChangeVersion=["${CURRENT_STEPS}"]`,
      'CheckoutStatus="RESERVING"',
      'CheckoutStatus="CHARGING"',
      'CheckoutStatus="CONFIRMING"',
      'CheckoutStatus="COMPLETED"',
    ]);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(SearchAttribute.CheckoutStatus)).toBe('COMPLETED');
    expect(attributes.get(SearchAttribute.OrderId)).toBe(input.orderId);
    expect(attributes.get(SearchAttribute.OrderTotal)).toBe(input.total);
    await saveHistoryIfRecording('current-steps-success', handle);
  });

  // Issue 14: recordOrderOutcome calls the analytics service, so it runs on the analytics queue
  // (patch ANALYTICS_QUEUE); runs started before keep the notifications queue (replay spec).
  it('records the order outcome on the analytics queue, the notification on the notifications queue', async () => {
    const input = checkoutInput();
    const handle = await start(input);
    await handle.result();

    expect(stubs.countOf(input.orderId, 'recordOrderOutcome')).toBe(1);
    const queues = await taskQueueByActivity(handle);
    expect(queues.get('recordOrderOutcome')).toBe(on(TaskQueue.analytics));
    expect(queues.get('notifyCustomer')).toBe(on(TaskQueue.notifications));
    expect(queues.get('capturePayment')).toBe(on(TaskQueue.payments));
    await saveHistoryIfRecording('analytics-queue-success', handle);
  });

  // Issue 13: COMPLETED was written before the stock was committed.
  it('is not COMPLETED anywhere while the stock commit is still in flight', async () => {
    const input = checkoutInput();
    const gate = new Gate();
    const handle = await start(input, { commitInventory: () => gate.hold(undefined) });
    await gate.entered;
    expect((await handle.query(getStatusQuery)).status).toBe('CONFIRMING');
    expect(stubs.countOf(input.orderId, 'confirmOrder')).toBe(0);
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(1);
    gate.open();
    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    const names = stubs.namesFor(input.orderId);
    expect(names.indexOf('commitInventory')).toBeLessThan(names.indexOf('confirmOrder'));
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
    expect(stubs.countOf(input.orderId, 'authorizePayment')).toBe(0);
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

  it('releases the stock of a declined payment and never captures or confirms', async () => {
    const input = checkoutInput({ paymentMethodId: 'pm_card_chargeDeclined' });
    const handle = await start(input, { authorizePayment: () => Promise.reject(declined()) });

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'payment declined' });
    const names = stubs.namesFor(input.orderId);
    expect(names).not.toContain('capturePayment');
    expect(names).not.toContain('confirmOrder');
    expect(names).not.toContain('commitInventory');
    // Compensations newest first: the (no-op) void, then the release.
    expect(names.slice(names.indexOf('authorizePayment') + 1)).toEqual([
      'refundPayment',
      'releaseInventory',
      'failOrder',
      'notifyCustomer',
      'recordOrderOutcome',
    ]);
    await saveHistoryIfRecording('authorise-first-decline', handle);
  });

  // Issue 13: stock was held through the whole review window by a card that could never pay.
  it('ends a large order with a refused card before any review', async () => {
    const input = checkoutInput({ total: 500_000, reviewThreshold: 100_000 });
    const handle = await start(input, { authorizePayment: () => Promise.reject(declined()) });

    expect(await handle.result()).toMatchObject({
      status: 'FAILED',
      failureReason: 'payment declined',
    });
    const moves = stubs
      .callsFor(input.orderId)
      .filter((c) => c.name === 'setOrderStatus')
      .map((c) => c.input.to);
    expect(moves).toEqual(['RESERVING', 'CHARGING']);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
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
    expect(stubs.countOf(input.orderId, 'authorizePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
    expect(
      stubs.callsFor(input.orderId).find((c) => c.name === 'cancelOrder')?.input,
    ).toMatchObject({ reason: 'changed my mind', actor: input.customerId });
    await saveHistoryIfRecording('authorise-first-cancel', handle);
  });

  it('cancels in review: the authorisation is voided and the stock released, never captured', async () => {
    const input = checkoutInput({ total: 250_000, reviewThreshold: 100_000 });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    expect(
      (await handle.describe()).typedSearchAttributes.get(SearchAttribute.CheckoutStatus),
    ).toBe('AWAITING_APPROVAL');
    await handle.signal(cancelOrderSignal, { reason: 'too expensive' });

    expect(await handle.result()).toMatchObject({ status: 'CANCELLED' });
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(1);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
    expect(stubs.countOf(input.orderId, 'cancelOrder')).toBe(1);
  });

  it('cancels while authorising: the authorisation finishes, then is voided and the stock released', async () => {
    const input = checkoutInput();
    const gate = new Gate();
    const handle = await start(input, {
      authorizePayment: (i) => gate.hold({ paymentId: `pay-${i.orderId}`, status: 'AUTHORIZED' }),
    });
    await gate.entered;
    await handle.signal(cancelOrderSignal, { reason: 'cancel during payment' });
    gate.open();

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'CANCELLED', paymentId: `pay-${input.orderId}` });
    const names = stubs.namesFor(input.orderId);
    expect(names.slice(names.indexOf('authorizePayment') + 1)).toEqual([
      'refundPayment',
      'releaseInventory',
      'cancelOrder',
      'notifyCustomer',
      'recordOrderOutcome',
    ]);
    expect(names).not.toContain('capturePayment');
  });

  it('waits for approval of a large order (authorised first), then captures and completes', async () => {
    const input = checkoutInput({ total: 100_000, reviewThreshold: 100_000 });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    expect(stubs.countOf(input.orderId, 'authorizePayment')).toBe(1);
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(0);
    await handle.signal(approveOrderSignal, { by: 'ops@example.test' });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    const state = await handle.query(getStatusQuery);
    expect(state.approvedBy).toBe('ops@example.test');
    expect(
      stubs
        .callsFor(input.orderId)
        .filter((c) => c.name === 'setOrderStatus')
        .map((c) => c.input.to),
    ).toEqual(['RESERVING', 'CHARGING', 'AWAITING_APPROVAL', 'CHARGING', 'CONFIRMING']);
    await saveHistoryIfRecording('authorise-first-approval', handle);
  });

  // Issue 13: a reservation expired while its checkout waited; the keeper renews it meanwhile.
  it('renews the reservation while waiting for review, and stops once the run has ended', async () => {
    // A 10 s hold (the shortest) is renewed every 3.3 s.
    const input = checkoutInput({
      total: 100_000,
      reviewThreshold: 100_000,
      reservationHoldSeconds: 10,
    });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    const holds = () => stubs.countOf(input.orderId, 'holdInventory');
    for (let i = 0; i < 100 && holds() < 2; i++) await sleep(100);
    expect(holds()).toBeGreaterThanOrEqual(2);
    expect((await handle.query(getStatusQuery)).status).toBe('AWAITING_APPROVAL');
    const calls = stubs.callsFor(input.orderId);
    expect(calls.find((c) => c.name === 'reserveInventory')?.input.holdSeconds).toBe(10);
    expect(calls.filter((c) => c.name === 'holdInventory').map((c) => c.input.holdSeconds)).toEqual(
      Array(holds()).fill(10),
    );

    await handle.executeUpdate(approveOrderUpdate, { args: [{ by: 'ops' }] });
    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    const atEnd = holds();
    const names = stubs.namesFor(input.orderId);
    // The keeper is stopped (and awaited) before the order is confirmed.
    expect(names.lastIndexOf('holdInventory')).toBeLessThan(names.indexOf('confirmOrder'));
    // Longer than a renewal period: nothing renews a finished checkout's reservation.
    await sleep(4500);
    expect(holds()).toBe(atEnd);
  });

  it('approve through the update: answered with the decision once the workflow holds it', async () => {
    const input = checkoutInput({ total: 100_000, reviewThreshold: 100_000 });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    const ack = await handle.executeUpdate(approveOrderUpdate, { args: [{ by: 'ops' }] });
    expect(ack).toEqual({
      orderId: input.orderId,
      decision: 'APPROVED',
      by: 'ops',
      status: 'AWAITING_APPROVAL',
    });
    // Repeating the same decision is answered the same; the opposite one is refused.
    await expect(
      handle.executeUpdate(approveOrderUpdate, { args: [{ by: 'ops-2' }] }),
    ).resolves.toMatchObject({ decision: 'APPROVED', by: 'ops' });
    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    await expect(
      handle.executeUpdate(rejectOrderUpdate, { args: [{ by: 'late', reason: 'no' }] }),
    ).rejects.toThrow();
  });

  // Issue 13: an approval accepted (202) while the order was on its way into review was dropped.
  it('keeps a decision that arrives while the order is on its way into review', async () => {
    const input = checkoutInput({ total: 300_000, reviewThreshold: 100_000 });
    const gate = new Gate();
    const handle = await start(input, {
      authorizePayment: (i) => gate.hold({ paymentId: `pay-${i.orderId}`, status: 'AUTHORIZED' }),
    });
    await gate.entered;
    const ack = await handle.executeUpdate(approveOrderUpdate, { args: [{ by: 'early-bird' }] });
    expect(ack).toMatchObject({ decision: 'APPROVED', status: 'CHARGING' });
    // The signal (CLI) path keeps an early decision too: a second early one changes nothing.
    await handle.signal(rejectOrderSignal, { by: 'cli', reason: 'second thoughts' });
    gate.open();

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect((await handle.query(getStatusQuery)).approvedBy).toBe('early-bird');
  });

  it('keeps an early rejection sent by signal (CLI) and voids the authorisation', async () => {
    const input = checkoutInput({ total: 300_000, reviewThreshold: 100_000 });
    const gate = new Gate();
    const handle = await start(input, { reserveInventory: () => gate.hold(undefined) });
    await gate.entered;
    await handle.signal(rejectOrderSignal, { by: 'cli', reason: 'fraud suspected' });
    gate.open();
    expect(await handle.result()).toMatchObject({
      status: 'FAILED',
      failureReason: 'rejected by cli: fraud suspected',
    });
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(1);
  });

  it('refuses a decision for an order that needs no review, or after the review', async () => {
    const input = checkoutInput();
    const gate = new Gate();
    const handle = await start(input, { commitInventory: () => gate.hold(undefined) });
    await gate.entered;
    const refusal = await handle.executeUpdate(approveOrderUpdate, { args: [{ by: 'ops' }] }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refusal as WorkflowUpdateFailedError).cause)).toMatch(/does not need review/);
    gate.open();
    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
  });

  it('fails a rejected order: the authorisation is voided, the stock released', async () => {
    const input = checkoutInput({ total: 150_000, reviewThreshold: 100_000 });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    const ack = await handle.executeUpdate(rejectOrderUpdate, {
      args: [{ by: 'ops@example.test', reason: 'fraud suspected' }],
    });
    expect(ack).toMatchObject({ decision: 'REJECTED' });

    expect(await handle.result()).toMatchObject({
      status: 'FAILED',
      failureReason: 'rejected by ops@example.test: fraud suspected',
    });
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(1);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
    await saveHistoryIfRecording('authorise-first-reject', handle);
  });

  it('fails the run for an operator when a compensation is refused, naming the refusal', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      authorizePayment: () => Promise.reject(declined()),
      releaseInventory: () =>
        Promise.reject(
          ApplicationFailure.create({
            type: 'ReservationCommitted',
            message: 'reservation already committed',
            nonRetryable: true,
          }),
        ),
    });
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(CheckoutFailureType.COMPENSATION_FAILED);
    expect(cause?.message).toBe(
      'compensation failed: releaseInventory: ReservationCommitted: reservation already committed',
    );
    // The order still ended and the customer was told before the run failed.
    expect(stubs.countOf(input.orderId, 'failOrder')).toBe(1);
    expect(stubs.countOf(input.orderId, 'notifyCustomer')).toBe(1);
  });

  it('records the deciding operator by id, names them by email, and tells the review deadline', async () => {
    const input = checkoutInput({ total: 150_000, reviewThreshold: 100_000 });
    const handle = await start(input);
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    const inReview = await handle.query(getStatusQuery);
    // The workflow's own timer: reviewTimeoutMs after the review began.
    const began = inReview.timeline.find((entry) => entry.step === 'review')!.at;
    expect(Date.parse(inReview.reviewDeadline!)).toBe(Date.parse(began) + input.reviewTimeoutMs);

    const operatorId = randomUUID();
    const ack = await handle.executeUpdate(rejectOrderUpdate, {
      args: [{ by: operatorId, byEmail: 'ops@example.test', reason: 'fraud suspected' }],
    });
    expect(ack).toMatchObject({
      decision: 'REJECTED',
      by: operatorId,
      byEmail: 'ops@example.test',
    });
    expect(await handle.result()).toMatchObject({
      status: 'FAILED',
      failureReason: 'rejected by ops@example.test: fraud suspected',
    });
    // The FAILED history row carries the operator's id.
    expect(stubs.callsFor(input.orderId).find((c) => c.name === 'failOrder')?.input).toMatchObject({
      reason: 'rejected by ops@example.test: fraud suspected',
      actor: operatorId,
    });

    const approval = checkoutInput({ total: 150_000, reviewThreshold: 100_000 });
    const approved = await start(approval);
    await waitForStatus(approved, 'AWAITING_APPROVAL');
    await approved.executeUpdate(approveOrderUpdate, {
      args: [{ by: operatorId, byEmail: 'ops@example.test' }],
    });
    expect(await approved.result()).toMatchObject({ status: 'COMPLETED' });
    expect((await approved.query(getStatusQuery)).approvedBy).toBe(operatorId);
    const capture = stubs
      .callsFor(approval.orderId)
      .find((c) => c.name === 'setOrderStatus' && c.input.to === 'CHARGING' && c.input.actor);
    expect(capture?.input.actor).toBe(operatorId);
  });

  it('rejects an order whose review times out, voiding and releasing', async () => {
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
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(1);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(1);
  });

  it('retries a transient payment outage, then completes with one authorisation and one capture', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      authorizePayment: (i, attempt) =>
        attempt < 3
          ? transient()
          : Promise.resolve({ paymentId: `pay-${i.orderId}`, status: 'AUTHORIZED' }),
      capturePayment: (i, attempt) =>
        attempt < 2 ? transient() : Promise.resolve({ paymentId: `pay-${i.orderId}` }),
    });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(stubs.countOf(input.orderId, 'authorizePayment')).toBe(3);
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(2);
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(0);
  });

  it('refunds and releases when the capture is refused for good (authorisation voided)', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      capturePayment: () =>
        Promise.reject(
          ApplicationFailure.create({
            type: CheckoutFailureType.PAYMENT_NOT_CAPTURABLE,
            message: 'authorisation expired',
            nonRetryable: true,
          }),
        ),
    });

    expect(await handle.result()).toMatchObject({
      status: 'FAILED',
      failureReason: 'authorisation expired',
    });
    const names = stubs.namesFor(input.orderId);
    expect(names.slice(names.indexOf('capturePayment') + 1)).toEqual([
      'refundPayment',
      'releaseInventory',
      'failOrder',
      'notifyCustomer',
      'recordOrderOutcome',
    ]);
    expect(names).not.toContain('commitInventory');
    expect(names).not.toContain('confirmOrder');
  });

  // Issue 13: the outcome steps gave up after 20 attempts (about 8 minutes of an orders outage),
  // and an exhausted confirm was refunded although the order may have been confirmed.
  it('records the outcome with no attempt limit and never refunds once captured and committed', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      confirmOrder: (_, attempt) => (attempt < 4 ? transient() : Promise.resolve()),
    });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(stubs.countOf(input.orderId, 'confirmOrder')).toBe(4);
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(0);
    expect(stubs.countOf(input.orderId, 'releaseInventory')).toBe(0);
    const attempts = await maximumAttemptsByActivity(handle);
    // 0 is "unlimited" in a Temporal retry policy.
    for (const name of ['capturePayment', 'commitInventory']) {
      expect([name, attempts.get(name)]).toEqual([name, 0]);
    }
    // The orders service's records are local activities (LOCAL_ORDER_RECORDS), with no limit
    // either.
    const records = stubs
      .callsFor(input.orderId)
      .filter((call) => call.name === 'setOrderStatus' || call.name === 'confirmOrder');
    expect(records.length).toBe(7);
    for (const call of records) {
      expect([call.name, call.local, call.maximumAttempts ?? 0]).toEqual([call.name, true, 0]);
    }
  });

  // LOCAL_ORDER_RECORDS: the happy path's records in the orders service run in the checkout
  // worker, inside the workflow task that decided them, not through the orders queue.
  it('runs the status moves and the confirmation as local activities, the other steps on their queues', async () => {
    const input = checkoutInput();
    const handle = await start(input);
    await handle.result();

    const queues = await taskQueueByActivity(handle);
    expect(queues.has('setOrderStatus')).toBe(false);
    expect(queues.has('confirmOrder')).toBe(false);
    expect(queues.get('reserveInventory')).toBe(on(TaskQueue.inventory));
    expect(queues.get('commitInventory')).toBe(on(TaskQueue.inventory));
    const calls = stubs.callsFor(input.orderId);
    expect(calls.filter((call) => call.local).map((call) => call.name)).toEqual([
      'setOrderStatus',
      'setOrderStatus',
      'setOrderStatus',
      'confirmOrder',
    ]);
  });

  it('records a failure with no attempt limit while the orders service is down', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      authorizePayment: () => Promise.reject(declined()),
      failOrder: (_, attempt) => (attempt < 3 ? transient() : Promise.resolve()),
    });
    expect(await handle.result()).toMatchObject({ status: 'FAILED' });
    expect(stubs.countOf(input.orderId, 'failOrder')).toBe(3);
    const attempts = await maximumAttemptsByActivity(handle);
    for (const name of ['failOrder', 'refundPayment', 'releaseInventory']) {
      expect([name, attempts.get(name)]).toEqual([name, 0]);
    }
  });

  it('runs every compensation even when one fails for good, then fails the run for an operator', async () => {
    const input = checkoutInput();
    const handle = await start(input, {
      authorizePayment: () => Promise.reject(declined()),
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
    // The release still ran after the void failed, and the order was still ended and told.
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
    expect(state.timeline.some((t) => t.note?.startsWith('voidPayment failed'))).toBe(true);
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

  it('ignores duplicate approvals and a cancel that arrives once the capture has begun', async () => {
    const input = checkoutInput({ total: 200_000, reviewThreshold: 100_000 });
    const gate = new Gate();
    const handle = await start(input, {
      capturePayment: (i) => gate.hold({ paymentId: `pay-${i.orderId}` }),
    });
    await waitForStatus(handle, 'AWAITING_APPROVAL');
    await handle.signal(approveOrderSignal, { by: 'first' });
    await handle.signal(approveOrderSignal, { by: 'second' });
    await handle.signal(rejectOrderSignal, { by: 'third', reason: 'too late' });
    await gate.entered;
    await handle.signal(cancelOrderSignal, { reason: 'too late to cancel' });
    gate.open();

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect((await handle.query(getStatusQuery)).approvedBy).toBe('first');
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(1);
    expect(stubs.countOf(input.orderId, 'cancelOrder')).toBe(0);
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(0);
    // A signal to a finished checkout is refused by the server, not silently lost.
    await expect(handle.signal(cancelOrderSignal, { reason: 'way too late' })).rejects.toThrow();
  });

  it('waits for the payment webhook when the authorisation needs customer action', async () => {
    const input = checkoutInput({ paymentMethodId: 'pm_card_authenticationRequired' });
    let settled = false;
    const handle = await start(input, {
      authorizePayment: (i) =>
        Promise.resolve({ paymentId: `pay-${i.orderId}`, status: 'REQUIRES_ACTION' }),
      getPayment: (i) =>
        Promise.resolve({
          paymentId: `pay-${i.orderId}`,
          status: settled ? 'AUTHORIZED' : 'REQUIRES_ACTION',
        }),
    });
    for (
      let i = 0;
      i < 200 && (await handle.query(getStatusQuery)).step !== 'awaitPaymentAction';
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(0);
    settled = true;
    await handle.signal(paymentConfirmedSignal, { paymentId: `pay-${input.orderId}` });
    // A duplicate webhook signal changes nothing.
    await handle.signal(paymentConfirmedSignal, { paymentId: `pay-${input.orderId}` });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(stubs.countOf(input.orderId, 'getPayment')).toBe(1);
    expect(stubs.countOf(input.orderId, 'capturePayment')).toBe(1);
    await saveHistoryIfRecording('authorise-first-webhook', handle);
  });

  it('fails and voids a payment whose customer action never comes', async () => {
    const input = checkoutInput({ paymentActionTimeoutMs: 1_000 });
    const handle = await start(input, {
      authorizePayment: (i) =>
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
    expect(stubs.countOf(input.orderId, 'refundPayment')).toBe(1);
    expect(stubs.countOf(input.orderId, 'cancelOrder')).toBe(1);
    expect(stubs.countOf(input.orderId, 'notifyCustomer')).toBe(1);
  });
});
