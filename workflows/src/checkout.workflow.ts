/**
 * The checkout saga (DESIGN §4): reserve stock, wait for review when the order is large, charge,
 * confirm, commit stock, tell the customer. Every failure or cancellation before the order is
 * confirmed runs the compensations pushed so far, newest first, in a non-cancellable scope.
 *
 * Deterministic code only: no I/O, clocks or randomness except through the workflow APIs.
 */
import {
  analyticsEventId,
  approveOrderSignal,
  cancelOrderSignal,
  type CheckoutInput,
  type CheckoutResult,
  type CheckoutState,
  type CheckoutStep,
  CheckoutFailureType,
  getStatusQuery,
  type InventoryActivities,
  type NotificationActivities,
  NotificationTemplate,
  type OrderOutcomeEvent,
  type OrderActivities,
  OrderStatus,
  type PaymentActivities,
  paymentConfirmedSignal,
  rejectOrderSignal,
  SearchAttribute,
  TaskQueue,
} from '@commerce/contracts';
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';

// One proxy per domain, each on its own task queue so each domain's worker scales on its own.
// Business refusals arrive as non-retryable ApplicationFailures; everything else is retried by
// these policies (never forever: every policy has a maximum).
const inventory = proxyActivities<InventoryActivities>({
  taskQueue: TaskQueue.inventory,
  startToCloseTimeout: '10s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 20,
  },
});

const payments = proxyActivities<PaymentActivities>({
  taskQueue: TaskQueue.payments,
  // A provider call may be slow; the payments service times out and answers 503 before this.
  startToCloseTimeout: '45s',
  // The activity heartbeats while its call is in flight: a worker that dies mid-charge is noticed
  // in seconds, and the retry (same idempotency key) picks up the payment the service recorded.
  heartbeatTimeout: '5s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '1m',
    maximumAttempts: 15,
  },
});

const orders = proxyActivities<OrderActivities>({
  taskQueue: TaskQueue.orders,
  startToCloseTimeout: '10s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 20,
  },
});

// Best effort: a notification that cannot be sent must not hold up or fail a paid order.
const notifications = proxyActivities<NotificationActivities>({
  taskQueue: TaskQueue.notifications,
  startToCloseTimeout: '15s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '1m',
    maximumAttempts: 5,
  },
});

/** Ends the happy path early: the customer (or an operator) cancelled. */
class CheckoutCancelled extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CheckoutCancelled';
  }
}

/** Ends the happy path early: a business outcome (out of stock, declined, rejected, timed out). */
class CheckoutFailed extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CheckoutFailed';
  }
}

type Decision = { approved: true; by: string } | { approved: false; by: string; reason: string };

export async function checkoutWorkflow(input: CheckoutInput): Promise<CheckoutResult> {
  const ctx = { orderId: input.orderId, requestId: input.requestId };
  const state: CheckoutState = {
    orderId: input.orderId,
    status: OrderStatus.PENDING,
    step: 'created',
    timeline: [],
  };

  let cancelRequest: { reason: string; by?: string } | undefined;
  let decision: Decision | undefined;
  let paymentSignal: { paymentId: string; succeeded?: boolean } | undefined;
  let awaitingPayment = false;
  // Once the order is confirmed a cancel is no longer honoured (DESIGN §4).
  let confirmed = false;

  const record = (step: CheckoutStep, note?: string) => {
    state.step = step;
    state.timeline.push({
      step,
      status: state.status,
      at: new Date().toISOString(),
      ...(note ? { note } : {}),
    });
  };
  const setStatus = (status: OrderStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: SearchAttribute.CheckoutStatus, value: status }]);
  };
  /** Mirrors a step into the orders service, then into this workflow's own state. */
  const moveTo = async (
    status: 'RESERVING' | 'AWAITING_APPROVAL' | 'CHARGING' | 'CONFIRMING',
    step: CheckoutStep,
    actor?: string,
  ) => {
    await orders.setOrderStatus({ ...ctx, to: status, ...(actor ? { actor } : {}) });
    setStatus(status);
    record(step);
  };
  const throwIfCancelled = () => {
    if (cancelRequest) throw new CheckoutCancelled(cancelRequest.reason);
  };

  setHandler(getStatusQuery, () => state);
  setHandler(cancelOrderSignal, ({ reason, by }) => {
    if (confirmed || cancelRequest) {
      log.info('cancelOrder ignored', { orderId: input.orderId, confirmed });
      return;
    }
    cancelRequest = { reason: reason || 'cancelled', ...(by ? { by } : {}) };
  });
  setHandler(approveOrderSignal, ({ by }) => {
    if (decision || state.status !== OrderStatus.AWAITING_APPROVAL) {
      log.info('approveOrder ignored', { orderId: input.orderId, status: state.status });
      return;
    }
    decision = { approved: true, by: by || 'operator' };
  });
  setHandler(rejectOrderSignal, ({ by, reason }) => {
    if (decision || state.status !== OrderStatus.AWAITING_APPROVAL) {
      log.info('rejectOrder ignored', { orderId: input.orderId, status: state.status });
      return;
    }
    decision = { approved: false, by: by || 'operator', reason: reason || 'rejected' };
  });
  setHandler(paymentConfirmedSignal, (signal) => {
    if (!awaitingPayment || paymentSignal) {
      log.info('paymentConfirmed ignored', { orderId: input.orderId, step: state.step });
      return;
    }
    paymentSignal = signal;
  });

  upsertSearchAttributes([
    { key: SearchAttribute.OrderId, value: input.orderId },
    { key: SearchAttribute.CustomerId, value: input.customerId },
    { key: SearchAttribute.OrderTotal, value: input.total },
    { key: SearchAttribute.CheckoutStatus, value: state.status },
  ]);
  record('created');

  // Compensations, pushed as each step's effect may exist, run newest first.
  const compensations: { step: string; run: () => Promise<unknown> }[] = [];

  try {
    throwIfCancelled();
    await moveTo(OrderStatus.RESERVING, 'reserveInventory');
    // Pushed before the call: release is a no-op when nothing was reserved, and a reservation whose
    // answer was lost (activity timed out after the service reserved) is released too.
    compensations.push({ step: 'releaseInventory', run: () => inventory.releaseInventory(ctx) });
    await inventory.reserveInventory({
      ...ctx,
      items: input.items.map(({ productId, quantity }) => ({ productId, quantity })),
    });
    throwIfCancelled();

    if (input.total >= input.reviewThreshold) {
      await moveTo(OrderStatus.AWAITING_APPROVAL, 'review');
      const decided = await condition(
        () => decision !== undefined || cancelRequest !== undefined,
        input.reviewTimeoutMs,
      );
      throwIfCancelled();
      if (!decided || !decision) throw new CheckoutFailed('review timed out: rejected');
      if (!decision.approved) {
        throw new CheckoutFailed(`rejected by ${decision.by}: ${decision.reason}`);
      }
      state.approvedBy = decision.by;
    }

    await moveTo(OrderStatus.CHARGING, 'chargePayment', state.approvedBy);
    // Pushed before the charge for the same reason as the release: refunding an order that was
    // never charged answers "nothing to refund", and a charge whose answer was lost is refunded.
    compensations.push({
      step: 'refundPayment',
      run: () =>
        payments.refundPayment({ ...ctx, reason: state.failureReason ?? 'checkout failed' }),
    });
    // The charge is never interrupted by a cancel: it finishes, then the cancel refunds it.
    const charge = await payments.chargePayment({
      ...ctx,
      customerId: input.customerId,
      amount: input.total,
      currency: input.currency,
      paymentMethodId: input.paymentMethodId,
    });
    state.paymentId = charge.paymentId;

    if (charge.status === 'REQUIRES_ACTION') {
      record('awaitPaymentAction');
      awaitingPayment = true;
      await condition(
        () => paymentSignal !== undefined || cancelRequest !== undefined,
        input.paymentActionTimeoutMs,
      );
      awaitingPayment = false;
      throwIfCancelled();
      // The payments service is the source of truth; the signal (or its absence) only wakes us.
      const payment = await payments.getPayment(ctx);
      if (payment.status === 'FAILED') throw new CheckoutFailed('payment authentication failed');
      if (payment.status !== 'CAPTURED' && payment.status !== 'AUTHORIZED') {
        throw new CheckoutFailed('payment action timed out');
      }
    }
    throwIfCancelled();

    await moveTo(OrderStatus.CONFIRMING, 'confirmOrder');
    throwIfCancelled();
    confirmed = true;
    await orders.confirmOrder(ctx);
    setStatus(OrderStatus.COMPLETED);
    record('commitInventory');
  } catch (error) {
    const outcome = classify(error);
    if (!outcome) throw error;
    state.failureReason = outcome.reason;
    record('compensate', outcome.reason);
    // Non-cancellable: an operator's workflow cancel must not interrupt putting things back.
    const stuck: string[] = [];
    await CancellationScope.nonCancellable(async () => {
      // Every compensation gets its chance even if an earlier one fails for good.
      for (const compensation of [...compensations].reverse()) {
        try {
          await compensation.run();
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          stuck.push(`${compensation.step}: ${message}`);
          record('compensate', `${compensation.step} failed: ${message}`);
        }
      }
      if (outcome.kind === 'cancelled') {
        await orders.cancelOrder({ ...ctx, reason: outcome.reason, ...actorOf(cancelRequest) });
      } else {
        await orders.failOrder({ ...ctx, reason: outcome.reason });
      }
      setStatus(outcome.kind === 'cancelled' ? OrderStatus.CANCELLED : OrderStatus.FAILED);
      record('notifyCustomer');
      await notifyBestEffort(
        input,
        outcome.kind === 'cancelled'
          ? NotificationTemplate.ORDER_CANCELLED
          : NotificationTemplate.ORDER_FAILED,
        outcome.reason,
        state,
      );
      await recordOutcomeBestEffort(
        input,
        outcome.kind === 'cancelled' ? 'order.cancelled' : 'order.failed',
        state,
        outcome.reason,
      );
    });
    if (stuck.length > 0) {
      // Stock or money could not be put back: fail the run so it stands out for an operator
      // (docs/operations.md), with the order already ended and the customer told.
      throw ApplicationFailure.create({
        type: CheckoutFailureType.COMPENSATION_FAILED,
        message: `compensation failed: ${stuck.join('; ')}`,
        nonRetryable: true,
      });
    }
    record('done');
    return {
      orderId: input.orderId,
      status: state.status as 'CANCELLED' | 'FAILED',
      failureReason: outcome.reason,
      ...(state.paymentId ? { paymentId: state.paymentId } : {}),
    };
  }

  // Confirmed and paid: from here nothing is compensated. Committing turns the reservation into a
  // sale; its retry policy is generous, and if it still fails the workflow fails loudly (the stock
  // stays reserved, never oversold) for an operator to handle (docs/operations.md).
  await CancellationScope.nonCancellable(async () => {
    await inventory.commitInventory(ctx);
    record('notifyCustomer');
    await notifyBestEffort(input, NotificationTemplate.ORDER_CONFIRMED, undefined, state);
    await recordOutcomeBestEffort(input, 'order.completed', state);
  });
  record('done');
  return {
    orderId: input.orderId,
    status: OrderStatus.COMPLETED,
    ...(state.paymentId ? { paymentId: state.paymentId } : {}),
  };
}

function actorOf(request: { by?: string } | undefined): { actor?: string } {
  return request?.by ? { actor: request.by } : {};
}

/**
 * How an error thrown on the happy path ends the checkout: cancelled (signal or workflow cancel),
 * failed for a business reason, or `undefined` for a bug/outage the workflow should not hide.
 */
function classify(error: unknown): { kind: 'cancelled' | 'failed'; reason: string } | undefined {
  if (error instanceof CheckoutCancelled) return { kind: 'cancelled', reason: error.reason };
  if (error instanceof CheckoutFailed) return { kind: 'failed', reason: error.reason };
  if (isCancellation(error))
    return { kind: 'cancelled', reason: 'checkout cancelled by an operator' };
  if (error instanceof ActivityFailure) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure) {
      return { kind: 'failed', reason: reasonFor(cause) };
    }
    // Retries exhausted or timed out: the step could not be done, so the order cannot go on.
    return { kind: 'failed', reason: `${error.activityType ?? 'step'} failed: ${error.message}` };
  }
  return undefined;
}

function reasonFor(failure: ApplicationFailure): string {
  switch (failure.type) {
    case CheckoutFailureType.OUT_OF_STOCK:
      return 'out of stock';
    case CheckoutFailureType.PAYMENT_DECLINED:
      return 'payment declined';
    default:
      return failure.message || failure.type || 'checkout step failed';
  }
}

async function notifyBestEffort(
  input: CheckoutInput,
  template: string,
  reason: string | undefined,
  state: CheckoutState,
): Promise<void> {
  try {
    await notifications.notifyCustomer({
      orderId: input.orderId,
      requestId: input.requestId,
      customerId: input.customerId,
      email: input.customerEmail,
      template,
      data: {
        orderId: input.orderId,
        total: input.total,
        currency: input.currency,
        items: input.items.map(({ name, quantity, unitPrice }) => ({ name, quantity, unitPrice })),
        ...(reason ? { reason } : {}),
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn('customer notification failed; the order stands', { orderId: input.orderId, message });
    state.timeline.push({
      step: 'notifyCustomer',
      status: state.status,
      at: new Date().toISOString(),
      note: `notification failed: ${message}`,
    });
  }
}

/**
 * The order's outcome for analytics, best effort like the notification. Added after checkouts were
 * already running: `patched` keeps histories recorded without this step replaying as they ran.
 */
async function recordOutcomeBestEffort(
  input: CheckoutInput,
  type: OrderOutcomeEvent['type'],
  state: CheckoutState,
  reason?: string,
): Promise<void> {
  if (!patched('analytics-order-outcome')) return;
  try {
    await notifications.recordOrderOutcome({
      orderId: input.orderId,
      requestId: input.requestId,
      event: {
        id: analyticsEventId(type, input.orderId),
        type,
        at: new Date().toISOString(),
        orderId: input.orderId,
        customerId: input.customerId,
        total: input.total,
        currency: input.currency,
        items: input.items.map(({ productId, quantity, unitPrice }) => ({
          productId,
          quantity,
          unitPrice,
        })),
        ...(reason ? { reason } : {}),
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn('analytics event not recorded; the order stands', { orderId: input.orderId, message });
    state.timeline.push({
      step: 'notifyCustomer',
      status: state.status,
      at: new Date().toISOString(),
      note: `analytics event not recorded: ${message}`,
    });
  }
}
