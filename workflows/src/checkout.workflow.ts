/**
 * The checkout saga (DESIGN §4, revised by issue 13): reserve stock, authorise the payment (a
 * refused card ends it here, before any review), wait for review when the order is large, capture,
 * commit stock, then the order is COMPLETED, then tell the customer. COMPLETED therefore means paid
 * and committed. Every failure or cancellation before the stock is committed runs the compensations
 * pushed so far (void or refund, release), newest first, in a non-cancellable scope.
 *
 * Versioning: checkouts started before the revision ran reserve, review, charge, confirm, commit.
 * The revised order is behind `patched(AUTHORISE_FIRST)`, decided once when the run starts, rather
 * than a new workflow type: the orders service, operators' scripts and the Web UI keep one type
 * and one id scheme (`checkout-<orderId>`), runs in flight finish on the order they started with
 * (their histories replay, temporal/test/histories), and the old branch is deleted once none is
 * left (docs/reliability.md). `patched(ANALYTICS_QUEUE)` moved the analytics step to its own task
 * queue the same way, and `patched(LOCAL_ORDER_RECORDS)` runs the happy path's records in the
 * orders service as local activities (see the constants). Runs started now record one marker,
 * `patched(CURRENT_STEPS)`, which stands for all of those (see it).
 *
 * Deterministic code only: no I/O, clocks or randomness except through the workflow APIs.
 */
import {
  analyticsEventId,
  type AnalyticsActivities,
  type ApproveOrderSignal,
  type CheckoutInput,
  type CheckoutResult,
  type CheckoutState,
  type CheckoutStep,
  CheckoutFailureType,
  type InventoryActivities,
  type NotificationActivities,
  NotificationTemplate,
  type OrderOutcomeEvent,
  type OrderActivities,
  OrderStatus,
  type PaymentActivities,
  type RejectOrderSignal,
  type ReviewDecisionAck,
  TaskQueue,
  taskQueueName,
  taskQueuePrefixOf,
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
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  approveOrderSignal,
  approveOrderUpdate,
  cancelOrderSignal,
  checkoutStartAttributes,
  getStatusQuery,
  paymentConfirmedSignal,
  rejectOrderSignal,
  rejectOrderUpdate,
  SearchAttribute,
} from './checkout.definitions';

/** The revised order of steps (issue 13); see the header for why a patch. */
export const AUTHORISE_FIRST = 'authorise-before-review';

/**
 * recordOrderOutcome calls the analytics service, so it runs on the analytics queue, served by the
 * analytics worker role (issue 14); it first ran on the notifications queue. The queue is recorded
 * in the run's history, so a run started before this patch keeps the notifications queue for its
 * whole life (decided once at the start, like AUTHORISE_FIRST): its history replays as recorded
 * (replay compares only an activity's type and id, so an unpatched move would pass it silently)
 * and it never changes owners half way. The notifications role therefore keeps registering
 * recordOrderOutcome; that registration and the old branch go once no such run is left.
 */
export const ANALYTICS_QUEUE = 'record-order-outcome-on-analytics-queue';

/**
 * The happy path's records in the orders service (the three status moves and confirmOrder) run as
 * local activities, in the checkout worker's own process, inside the workflow task that decided
 * them: each saves a task round trip through the server (schedule, dispatch, complete, next
 * workflow task), about half of a paid checkout's. They are short, idempotent HTTP calls (a repeat
 * is success) with the same timeout and unlimited retries as on the orders queue, so a lost answer
 * or a worker that dies mid-call is retried exactly as before. Decided once at the start: runs
 * started before schedule them on the orders queue for their whole life, so their histories
 * replay. The compensation path's records (cancelOrder, failOrder) stay on the orders queue: they
 * are rare and may wait long for an outage to end.
 */
export const LOCAL_ORDER_RECORDS = 'order-records-as-local-activities';

/**
 * Operators are recorded by their user id (issue 17): the orders service sends `by` = id and
 * `byEmail`. A rejection's reason names the operator by email and its FAILED history row carries
 * the id as actor. Behind a patch at the rejection, so histories of runs rejected before it replay
 * with the activity input they recorded (`rejected by <by>`, no actor).
 */
export const OPERATOR_IDS = 'operator-ids-in-rejections';

/**
 * One marker for every change above (ANALYTICS_QUEUE, AUTHORISE_FIRST, LOCAL_ORDER_RECORDS,
 * OPERATOR_IDS, the analytics step), and no second copy of the search attributes the run was
 * started with. Each `patched` call that records a marker also makes the SDK upsert the
 * TemporalChangeVersion search attribute, and every upsert is a visibility write in the server:
 * a paid checkout recorded four markers and five upserts of that kind (60 history events, now
 * 53; the CPU it saves the server is within run-to-run noise, docs/benchmarks.md). Runs started
 * with this marker take all of the patched branches without asking for them; runs started before
 * it replay as they ran, since
 * `patched(CURRENT_STEPS)` is false on replay of a history without the marker and the old calls
 * are then made as before. Operators find runs of today's code with
 * `TemporalChangeVersion = 'checkout-current-steps-2026-12'`.
 */
export const CURRENT_STEPS = 'checkout-current-steps-2026-12';

/**
 * The checkout's activities: one proxy per domain, each on its own task queue so each domain's
 * worker scales on its own. The queues carry the prefix of the queue this run was started on, so
 * a deployment (or a test run) with its own prefix keeps its tasks to its own workers; the prefix
 * is part of the run's input in effect (its task queue), so replay schedules the same queues.
 * Business refusals arrive as non-retryable ApplicationFailures; everything else is retried by
 * these policies.
 */
function checkoutSteps(prefix: string, analyticsOnItsQueue: boolean) {
  const on = (queue: TaskQueue) => taskQueueName(queue, prefix);
  const ordersRetry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' };
  const bestEffort = {
    startToCloseTimeout: '15s',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      maximumAttempts: 5,
    },
  } as const;
  return {
    // Never forever: each of these has a maximum, after which the checkout fails and compensates.
    inventory: proxyActivities<InventoryActivities>({
      taskQueue: on(TaskQueue.inventory),
      startToCloseTimeout: '10s',
      retry: {
        initialInterval: '1s',
        backoffCoefficient: 2,
        maximumInterval: '30s',
        maximumAttempts: 20,
      },
    }),
    payments: proxyActivities<PaymentActivities>({
      taskQueue: on(TaskQueue.payments),
      // A provider call may be slow; the payments service times out and answers 503 before this.
      startToCloseTimeout: '45s',
      // The activity heartbeats while its call is in flight: a worker that dies mid-charge is
      // noticed in seconds, and the retry (same idempotency key) picks up the recorded payment.
      heartbeatTimeout: '5s',
      retry: {
        initialInterval: '2s',
        backoffCoefficient: 2,
        maximumInterval: '1m',
        maximumAttempts: 15,
      },
    }),
    // Recording the outcome (status moves, confirm, fail, cancel) retries until it succeeds: giving
    // up would leave money or stock in doubt, so while the orders service is down the checkout
    // waits and finishes when it is back. Only a non-retryable refusal (an illegal move) ends it.
    orders: proxyActivities<OrderActivities>({
      taskQueue: on(TaskQueue.orders),
      startToCloseTimeout: '10s',
      retry: ordersRetry,
    }),
    // The same records as local activities (LOCAL_ORDER_RECORDS), with the same policy.
    localOrders: proxyLocalActivities<OrderActivities>({
      startToCloseTimeout: '10s',
      retry: ordersRetry,
    }),
    // Steps that move money or stock to their final place, and their compensations, also retry
    // until they succeed: a capture, a commit, a void or a release abandoned half way is money or
    // stock in doubt. Business refusals (a voided authorisation, a released reservation) still end
    // them.
    settleInventory: proxyActivities<InventoryActivities>({
      taskQueue: on(TaskQueue.inventory),
      startToCloseTimeout: '10s',
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
    }),
    settlePayments: proxyActivities<PaymentActivities>({
      taskQueue: on(TaskQueue.payments),
      startToCloseTimeout: '45s',
      heartbeatTimeout: '5s',
      retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m' },
    }),
    // Best effort: a notification that cannot be sent must not hold up or fail a paid order.
    notifications: proxyActivities<NotificationActivities>({
      taskQueue: on(TaskQueue.notifications),
      ...bestEffort,
    }),
    // Best effort too (an analytics outage never touches the order), on the queue of its owner;
    // runs started before ANALYTICS_QUEUE schedule it on the notifications queue.
    analytics: proxyActivities<AnalyticsActivities>({
      taskQueue: on(analyticsOnItsQueue ? TaskQueue.analytics : TaskQueue.notifications),
      ...bestEffort,
    }),
  };
}
type CheckoutSteps = ReturnType<typeof checkoutSteps>;

/** Ends the happy path early: the customer (or an operator) cancelled. */
class CheckoutCancelled extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CheckoutCancelled';
  }
}

/** Ends the happy path early: a business outcome (out of stock, declined, rejected, timed out). */
class CheckoutFailed extends Error {
  constructor(
    readonly reason: string,
    /** The operator who ended it (a rejection), recorded as the FAILED row's actor. */
    readonly actor?: string,
  ) {
    super(reason);
    this.name = 'CheckoutFailed';
  }
}

type Decision = { by: string; byEmail?: string } & (
  { approved: true } | { approved: false; reason: string }
);

/** How people read the operator: their email when known, else what `by` says. */
const operatorName = (decision: { by: string; byEmail?: string }) =>
  decision.byEmail ?? decision.by;

/** `by` (default `operator`) and `byEmail` of a signal or update, as the decision keeps them. */
const operatorOf = ({ by, byEmail }: { by: string; byEmail?: string }) => ({
  by: by || 'operator',
  ...(byEmail ? { byEmail } : {}),
});

export async function checkoutWorkflow(input: CheckoutInput): Promise<CheckoutResult> {
  // Decided once, at the start: true for every run started since CURRENT_STEPS, so the older
  // patches below are only asked (in their old order) when replaying a run from before it.
  const current = patched(CURRENT_STEPS);
  // Decided once, at the start (see ANALYTICS_QUEUE): the queue of the analytics step.
  const steps = checkoutSteps(
    taskQueuePrefixOf(workflowInfo().taskQueue),
    current || patched(ANALYTICS_QUEUE),
  );
  const { inventory, payments, orders, settleInventory, settlePayments } = steps;
  const ctx = { orderId: input.orderId, requestId: input.requestId };
  const state: CheckoutState = {
    orderId: input.orderId,
    status: OrderStatus.PENDING,
    step: 'created',
    timeline: [],
  };
  // Decided once, at the start: a run follows one order of steps from beginning to end.
  const revised = current || patched(AUTHORISE_FIRST);
  // Decided once, at the start (see LOCAL_ORDER_RECORDS): where the happy path's records run.
  const records = current || patched(LOCAL_ORDER_RECORDS) ? steps.localOrders : orders;
  const needsReview = input.total >= input.reviewThreshold;

  let cancelRequest: { reason: string; by?: string } | undefined;
  let decision: Decision | undefined;
  let paymentSignal: { paymentId: string; succeeded?: boolean } | undefined;
  let awaitingPayment = false;
  // Once the money is being taken (revised: capture; original: confirm) a cancel is no longer
  // honoured (DESIGN §4).
  let confirmed = false;
  // Revised: the review is over (decided, timed out, or the run is ending): no decision applies.
  let reviewClosed = !needsReview;
  let finished = false;

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
    await records.setOrderStatus({ ...ctx, to: status, ...(actor ? { actor } : {}) });
    setStatus(status);
    record(step);
  };
  const throwIfCancelled = () => {
    if (cancelRequest) throw new CheckoutCancelled(cancelRequest.reason);
  };

  /**
   * Revised: whether an operator's decision can be taken now, and why not. A decision is kept from
   * the moment the checkout starts (it may arrive while the order is on its way into review) until
   * the review is over; repeating the decision already taken is accepted, the opposite is refused.
   */
  const decisionRefusal = (approved: boolean): string | undefined => {
    if (!needsReview) return `order ${input.orderId} does not need review`;
    if (decision) {
      return decision.approved === approved
        ? undefined
        : `order ${input.orderId} was already ${decision.approved ? 'approved' : 'rejected'} by ${operatorName(decision)}`;
    }
    if (finished || reviewClosed) {
      return `the review of order ${input.orderId} is over (status ${state.status})`;
    }
    if (cancelRequest) return `order ${input.orderId} is being cancelled`;
    return undefined;
  };
  const decide = (next: Decision): ReviewDecisionAck => {
    decision ??= next;
    return {
      orderId: input.orderId,
      decision: decision.approved ? 'APPROVED' : 'REJECTED',
      by: decision.by,
      ...(decision.byEmail ? { byEmail: decision.byEmail } : {}),
      status: state.status,
    };
  };
  const refuseUnless = (approved: boolean) => {
    const refusal = decisionRefusal(approved);
    // The message carries the current status: the REST layer answers 409 with it.
    if (refusal) throw new Error(`${refusal} [status=${state.status}]`);
  };

  setHandler(getStatusQuery, () => state);
  setHandler(cancelOrderSignal, ({ reason, by }) => {
    if (confirmed || cancelRequest) {
      log.info('cancelOrder ignored', { orderId: input.orderId, confirmed });
      return;
    }
    cancelRequest = { reason: reason || 'cancelled', ...(by ? { by } : {}) };
  });
  setHandler(approveOrderSignal, (signal) => {
    const ignored = revised
      ? decisionRefusal(true) !== undefined || decision !== undefined
      : decision !== undefined || state.status !== OrderStatus.AWAITING_APPROVAL;
    if (ignored) {
      log.info('approveOrder ignored', { orderId: input.orderId, status: state.status });
      return;
    }
    decision = { approved: true, ...operatorOf(signal) };
  });
  setHandler(rejectOrderSignal, (signal) => {
    const ignored = revised
      ? decisionRefusal(false) !== undefined || decision !== undefined
      : decision !== undefined || state.status !== OrderStatus.AWAITING_APPROVAL;
    if (ignored) {
      log.info('rejectOrder ignored', { orderId: input.orderId, status: state.status });
      return;
    }
    decision = { approved: false, ...operatorOf(signal), reason: signal.reason || 'rejected' };
  });
  setHandler(
    approveOrderUpdate,
    (update: ApproveOrderSignal): ReviewDecisionAck =>
      decide({ approved: true, ...operatorOf(update) }),
    { validator: (_: ApproveOrderSignal) => refuseUnless(true) },
  );
  setHandler(
    rejectOrderUpdate,
    (update: RejectOrderSignal): ReviewDecisionAck =>
      decide({ approved: false, ...operatorOf(update), reason: update.reason || 'rejected' }),
    { validator: (_: RejectOrderSignal) => refuseUnless(false) },
  );
  setHandler(paymentConfirmedSignal, (signal) => {
    if (!awaitingPayment || paymentSignal) {
      log.info('paymentConfirmed ignored', { orderId: input.orderId, step: state.step });
      return;
    }
    paymentSignal = signal;
  });

  upsertStartAttributes(input, state.status, current);
  record('created');

  // Compensations, pushed as each step's effect may exist, run newest first.
  const compensations: { step: string; run: () => Promise<unknown> }[] = [];
  // Revised: the reservation is held for the review and payment windows plus a margin, and renewed
  // while this run lives, so the sweeper only ever reclaims stock of a checkout that is gone.
  const holdSeconds = reservationHoldSeconds(input);
  let holding = false;
  let keeper: Promise<void> = Promise.resolve();

  /** Waits for the customer's 3-D Secure step (webhook signal), then reads the payment. */
  const awaitPaymentAction = async (acceptable: readonly string[]) => {
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
    if (!acceptable.includes(payment.status)) {
      throw new CheckoutFailed('payment action timed out');
    }
  };

  /** The review of a large order: resolves when approved, throws when rejected or timed out. */
  const review = async () => {
    await moveTo(OrderStatus.AWAITING_APPROVAL, 'review');
    // Query state only (no command): what the console shows as the time left.
    state.reviewDeadline = new Date(Date.now() + input.reviewTimeoutMs).toISOString();
    const decided = await condition(
      () => decision !== undefined || cancelRequest !== undefined,
      input.reviewTimeoutMs,
    );
    reviewClosed = true;
    throwIfCancelled();
    if (!decided || !decision) throw new CheckoutFailed('review timed out: rejected');
    if (!decision.approved) {
      if (!current && !patched(OPERATOR_IDS)) {
        throw new CheckoutFailed(`rejected by ${decision.by}: ${decision.reason}`);
      }
      throw new CheckoutFailed(
        `rejected by ${operatorName(decision)}: ${decision.reason}`,
        decision.by,
      );
    }
    state.approvedBy = decision.by;
  };

  try {
    throwIfCancelled();
    await moveTo(OrderStatus.RESERVING, 'reserveInventory');
    // Pushed before the call: release is a no-op when nothing was reserved, and a reservation whose
    // answer was lost (activity timed out after the service reserved) is released too.
    compensations.push({
      step: 'releaseInventory',
      run: () => (revised ? settleInventory : inventory).releaseInventory(ctx),
    });
    await inventory.reserveInventory({
      ...ctx,
      items: input.items.map(({ productId, quantity }) => ({ productId, quantity })),
      ...(revised ? { holdSeconds } : {}),
    });
    throwIfCancelled();

    if (revised) {
      holding = true;
      keeper = keepReservation(steps, ctx, holdSeconds, () => !holding);

      await moveTo(OrderStatus.CHARGING, 'authorizePayment');
      // Pushed before the call: voiding (or refunding) a payment that never happened answers
      // "nothing to refund", and an authorisation whose answer was lost is voided too.
      compensations.push({
        step: 'voidPayment',
        run: () =>
          settlePayments.refundPayment({
            ...ctx,
            reason: state.failureReason ?? 'checkout failed',
          }),
      });
      // Never interrupted by a cancel: it finishes, then the cancel voids it.
      const authorisation = await payments.authorizePayment({
        ...ctx,
        customerId: input.customerId,
        amount: input.total,
        currency: input.currency,
        paymentMethodId: input.paymentMethodId,
      });
      state.paymentId = authorisation.paymentId;
      if (authorisation.status === 'REQUIRES_ACTION') {
        await awaitPaymentAction(['AUTHORIZED', 'CAPTURED']);
      }
      throwIfCancelled();

      if (needsReview) {
        await review();
        await moveTo(OrderStatus.CHARGING, 'capturePayment', state.approvedBy);
      }
      reviewClosed = true;
      throwIfCancelled();

      // From here the money is taken: a cancel is no longer honoured. A capture that fails for
      // good (authorisation voided or expired) still fails the order and puts everything back.
      confirmed = true;
      await settlePayments.capturePayment(ctx);
      record('capturePayment');
      await moveTo(OrderStatus.CONFIRMING, 'commitInventory');
      await settleInventory.commitInventory(ctx);
      holding = false;
    } else {
      if (needsReview) await review();

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
        await awaitPaymentAction(['CAPTURED', 'AUTHORIZED']);
      }
      throwIfCancelled();

      await moveTo(OrderStatus.CONFIRMING, 'confirmOrder');
      throwIfCancelled();
      confirmed = true;
      await orders.confirmOrder(ctx);
      setStatus(OrderStatus.COMPLETED);
      record('commitInventory');
    }
  } catch (error) {
    const outcome = classify(error);
    if (!outcome) throw error;
    reviewClosed = true;
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
          const message = refusalOf(error);
          stuck.push(`${compensation.step}: ${message}`);
          record('compensate', `${compensation.step} failed: ${message}`);
        }
      }
      holding = false;
      await keeper;
      try {
        if (outcome.kind === 'cancelled') {
          await orders.cancelOrder({ ...ctx, reason: outcome.reason, ...actorOf(cancelRequest) });
        } else {
          await orders.failOrder({
            ...ctx,
            reason: outcome.reason,
            ...(outcome.actor ? { actor: outcome.actor } : {}),
          });
        }
      } catch (error) {
        // Retried until the orders service answers; only a refusal of the move lands here. The
        // customer is still told and the run fails below for an operator.
        const message = error instanceof Error ? error.message : String(error);
        stuck.push(`record outcome: ${message}`);
        record('compensate', `recording the outcome failed: ${message}`);
      }
      setStatus(outcome.kind === 'cancelled' ? OrderStatus.CANCELLED : OrderStatus.FAILED);
      record('notifyCustomer');
      await notifyBestEffort(
        steps,
        input,
        outcome.kind === 'cancelled'
          ? NotificationTemplate.ORDER_CANCELLED
          : NotificationTemplate.ORDER_FAILED,
        outcome.reason,
        state,
      );
      await recordOutcomeBestEffort(
        steps,
        input,
        current,
        outcome.kind === 'cancelled' ? 'order.cancelled' : 'order.failed',
        state,
        outcome.reason,
      );
    });
    finished = true;
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

  await CancellationScope.nonCancellable(async () => {
    if (revised) {
      // Captured and committed: from here nothing is compensated, and the order is COMPLETED only
      // now. confirmOrder retries until the orders service takes it (never a refund).
      await keeper;
      record('confirmOrder');
      await records.confirmOrder(ctx);
      setStatus(OrderStatus.COMPLETED);
    } else {
      // Original order: confirmed and paid; committing turns the reservation into a sale.
      await inventory.commitInventory(ctx);
    }
    record('notifyCustomer');
    await notifyBestEffort(steps, input, NotificationTemplate.ORDER_CONFIRMED, undefined, state);
    await recordOutcomeBestEffort(steps, input, current, 'order.completed', state);
  });
  finished = true;
  record('done');
  return {
    orderId: input.orderId,
    status: OrderStatus.COMPLETED,
    ...(state.paymentId ? { paymentId: state.paymentId } : {}),
  };
}

/**
 * Seconds a reservation is held at a time: the longest the checkout may legitimately wait on the
 * customer and the operator, plus a margin, and never under an hour; or the input's own
 * `reservationHoldSeconds` (at least 10 s, the products service's shortest hold). The keeper renews it at a
 * third of that, so even an outage of the products service spanning two renewals loses nothing.
 */
export function reservationHoldSeconds(input: CheckoutInput): number {
  if (input.reservationHoldSeconds !== undefined) {
    return Math.min(30 * 24 * 3600, Math.max(10, Math.floor(input.reservationHoldSeconds)));
  }
  const waits = Math.ceil((input.reviewTimeoutMs + input.paymentActionTimeoutMs) / 1000);
  return Math.min(30 * 24 * 3600, Math.max(3600, waits + 600));
}

/** Renews the order's reservation every third of its hold until `done()` says to stop. */
async function keepReservation(
  { inventory }: CheckoutSteps,
  ctx: { orderId: string; requestId?: string | undefined },
  holdSeconds: number,
  done: () => boolean,
): Promise<void> {
  try {
    for (;;) {
      if (await condition(done, Math.floor((holdSeconds * 1000) / 3))) return;
      try {
        await inventory.holdInventory({ ...ctx, holdSeconds });
      } catch (error) {
        if (isCancellation(error)) return;
        // The next renewal tries again; the hold has two more thirds to run.
        log.warn('reservation renewal failed', { orderId: ctx.orderId, error: String(error) });
      }
    }
  } catch (error) {
    // The run was cancelled by an operator: the compensation path stops renewing anyway.
    if (!isCancellation(error)) throw error;
  }
}

/**
 * The search attributes the Web UI filters checkouts by, as the run starts. The orders service
 * starts each run with them; a run started another way (the `temporal` CLI, a test) gets them
 * here. Before CURRENT_STEPS every run upserted all four again, a visibility write that changed
 * nothing; runs started since upsert only what their start did not set to the same value.
 */
function upsertStartAttributes(input: CheckoutInput, status: OrderStatus, current: boolean): void {
  const wanted = checkoutStartAttributes(input, status);
  if (!current) {
    upsertSearchAttributes(wanted);
    return;
  }
  const given = workflowInfo().typedSearchAttributes;
  const missing = wanted.filter(({ key, value }) => given.get(key) !== value);
  if (missing.length > 0) upsertSearchAttributes(missing);
}

function actorOf(request: { by?: string } | undefined): { actor?: string } {
  return request?.by ? { actor: request.by } : {};
}

/**
 * How an error thrown on the happy path ends the checkout: cancelled (signal or workflow cancel),
 * failed for a business reason, or `undefined` for a bug/outage the workflow should not hide.
 */
function classify(
  error: unknown,
): { kind: 'cancelled' | 'failed'; reason: string; actor?: string } | undefined {
  if (error instanceof CheckoutCancelled) return { kind: 'cancelled', reason: error.reason };
  if (error instanceof CheckoutFailed) {
    return { kind: 'failed', reason: error.reason, ...(error.actor ? { actor: error.actor } : {}) };
  }
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

/**
 * What an operator reads about a compensation that failed: the service's refusal (its type and
 * message, e.g. `ReservationCommitted: ...`) rather than the wrapper's "Activity task failed".
 * Only the run's failure message and its query state change with it, no command.
 */
function refusalOf(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    const { type, message } = error.cause;
    return type ? `${type}: ${message}` : message;
  }
  return error instanceof Error ? error.message : String(error);
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
  { notifications }: CheckoutSteps,
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
  { analytics }: CheckoutSteps,
  input: CheckoutInput,
  current: boolean,
  type: OrderOutcomeEvent['type'],
  state: CheckoutState,
  reason?: string,
): Promise<void> {
  if (!current && !patched('analytics-order-outcome')) return;
  try {
    await analytics.recordOrderOutcome({
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
      step: 'recordOrderOutcome',
      status: state.status,
      at: new Date().toISOString(),
      note: `analytics event not recorded: ${message}`,
    });
  }
}
