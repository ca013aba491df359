import {
  type ApproveOrderSignal,
  type CancelOrderSignal,
  CHECKOUT_WORKFLOW_TYPE,
  type CheckoutInput,
  type CheckoutState,
  checkoutWorkflowId,
  type PaymentConfirmedSignal,
  type RejectOrderSignal,
  type ReviewDecisionAck,
  TaskQueue,
  taskQueueName,
} from '@commerce/contracts';
import { AppError, InjectConfig, temporalConnectionOptions } from '@commerce/nest-kit';
import {
  approveOrderUpdate,
  cancelOrderSignal,
  checkoutStartAttributes,
  getStatusQuery,
  paymentConfirmedSignal,
  rejectOrderUpdate,
  SearchAttribute,
} from '@commerce/workflows';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  Client,
  Connection,
  type WorkflowExecutionInfo,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import type { OrdersConfig } from '../config';

/** A checkout whose workflow run failed: the workflow gave up, so it waits for an operator. */
export interface FailedCheckoutRun {
  orderId: string;
  workflowId: string;
  runId: string;
  failedAt: string | undefined;
  /** The failure's type (CompensationFailed when stock or money could not be put back). */
  failureType: string | undefined;
  failureMessage: string;
}

export const checkoutUnavailable = (cause?: unknown) =>
  new AppError({
    status: 503,
    code: 'CHECKOUT_UNAVAILABLE',
    message: 'Checkout is temporarily unavailable; retry with the same Idempotency-Key',
    cause,
  });

/** Temporal did not answer a read (the failed checkouts' list): nothing is lost, try again. */
export const temporalUnavailable = (cause?: unknown) =>
  new AppError({
    status: 503,
    code: 'TEMPORAL_UNAVAILABLE',
    message: 'Temporal did not answer; try again shortly',
    cause,
  });

export const checkoutNotRunning = (orderId: string) =>
  new AppError({
    status: 409,
    code: 'CHECKOUT_NOT_RUNNING',
    message: `The checkout of order ${orderId} is not running`,
  });

/** 409 from the workflow's validator: its reason, and the status it reported (`[status=X]`). */
export function decisionRefused(orderId: string, error: WorkflowUpdateFailedError): AppError {
  const cause = error.cause instanceof Error ? error.cause.message : String(error.cause ?? '');
  const status = /\[status=([A-Z_]+)\]/.exec(cause)?.[1];
  const reason = cause.replace(/\s*\[status=[A-Z_]+\]\s*$/, '') || 'decision refused';
  return new AppError({
    status: 409,
    code: 'ORDER_NOT_AWAITING_APPROVAL',
    message: `The checkout of order ${orderId} cannot take this decision: ${reason}`,
    details: [{ orderId, ...(status ? { currentStatus: status } : {}) }],
  });
}

/**
 * The orders service's only door to Temporal: start an order's checkout (at most once, ever),
 * signal it and read its live status. Everything else in this service is plain SQL and HTTP.
 */
@Injectable()
export class CheckoutClient implements OnApplicationShutdown {
  private readonly connection: Connection;
  private readonly client: Client;

  constructor(@InjectConfig() private readonly config: OrdersConfig) {
    // Lazy: the service starts (and serves carts and orders) while Temporal is still coming up.
    // TLS, mTLS, the API key and metadata come from the config (the SDK does the TLS itself).
    this.connection = Connection.lazy(temporalConnectionOptions(config));
    this.client = new Client({ connection: this.connection, namespace: config.TEMPORAL_NAMESPACE });
  }

  /**
   * Starts `checkout-<orderId>`. A workflow with that id, running or finished, means it was started
   * already: that counts as success, never as a second checkout.
   */
  async start(input: CheckoutInput): Promise<'started' | 'already-started'> {
    try {
      await this.within(this.config.TEMPORAL_CALL_TIMEOUT_MS, () =>
        this.client.workflow.start(CHECKOUT_WORKFLOW_TYPE, {
          workflowId: checkoutWorkflowId(input.orderId),
          taskQueue: taskQueueName(TaskQueue.checkout, this.config.TEMPORAL_TASK_QUEUE_PREFIX),
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: new TypedSearchAttributes(checkoutStartAttributes(input)),
          memo: input.requestId ? { requestId: input.requestId } : {},
        }),
      );
      return 'started';
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
      throw checkoutUnavailable(error);
    }
  }

  /** The live `getStatus` of a running checkout; undefined when it cannot be asked right now. */
  async status(orderId: string): Promise<CheckoutState | undefined> {
    try {
      // Short: a checkout whose worker is busy or down must not hold up GET /orders/:id.
      return await this.within(this.config.TEMPORAL_QUERY_TIMEOUT_MS, () =>
        this.client.workflow.getHandle(checkoutWorkflowId(orderId)).query(getStatusQuery),
      );
    } catch {
      // The stored status is still shown; the live view is a bonus, never a reason to fail.
      return undefined;
    }
  }

  cancel(orderId: string, signal: CancelOrderSignal): Promise<void> {
    return this.signal(orderId, () => this.handle(orderId).signal(cancelOrderSignal, signal));
  }

  /**
   * An operator's decision as a Temporal Update: answered only once the workflow has recorded it.
   * The workflow's validator refuses a decision that cannot apply (409 with its reason and the
   * checkout's status); a checkout that does not answer in time is a 503 and nothing was recorded.
   */
  approve(orderId: string, decision: ApproveOrderSignal): Promise<ReviewDecisionAck> {
    return this.decide(orderId, () =>
      this.handle(orderId).executeUpdate(approveOrderUpdate, { args: [decision] }),
    );
  }

  reject(orderId: string, decision: RejectOrderSignal): Promise<ReviewDecisionAck> {
    return this.decide(orderId, () =>
      this.handle(orderId).executeUpdate(rejectOrderUpdate, { args: [decision] }),
    );
  }

  paymentConfirmed(orderId: string, signal: PaymentConfirmedSignal): Promise<void> {
    return this.signal(orderId, () => this.handle(orderId).signal(paymentConfirmedSignal, signal));
  }

  /**
   * Checkout runs that failed (the workflow itself, not the order: the saga could not put stock
   * or money back, or the run hit a bug), newest first, from Temporal's visibility store: only this
   * deployment's checkouts (its task queue). `total` counts them all; a page reads up to its end.
   */
  async failedRuns(
    page: number,
    limit: number,
  ): Promise<{ runs: FailedCheckoutRun[]; total: number }> {
    const query = [
      `WorkflowType = '${CHECKOUT_WORKFLOW_TYPE}'`,
      `ExecutionStatus = 'Failed'`,
      `TaskQueue = '${taskQueueName(TaskQueue.checkout, this.config.TEMPORAL_TASK_QUEUE_PREFIX)}'`,
    ].join(' AND ');
    try {
      return await this.within(this.config.TEMPORAL_CALL_TIMEOUT_MS, async () => {
        const { count } = await this.client.workflow.count(query);
        const skip = (page - 1) * limit;
        const found: WorkflowExecutionInfo[] = [];
        let seen = 0;
        // Visibility pages by token, not offset: read through to the page asked for.
        for await (const run of this.client.workflow.list({
          query,
          pageSize: Math.min(skip + limit, 1000),
        })) {
          if (seen++ < skip) continue;
          found.push(run);
          if (found.length === limit) break;
        }
        const runs = await Promise.all(found.map((run) => this.failureOf(run)));
        return { runs, total: count };
      });
    } catch (error) {
      throw temporalUnavailable(error);
    }
  }

  /** How the run ended: its close event's failure, read through the SDK's `result()`. */
  private async failureOf(run: WorkflowExecutionInfo): Promise<FailedCheckoutRun> {
    const orderId =
      run.typedSearchAttributes.get(SearchAttribute.OrderId) ??
      run.workflowId.replace(/^checkout-/, '');
    let failureType: string | undefined;
    let failureMessage = 'the workflow failed';
    try {
      await this.client.workflow
        .getHandle(run.workflowId, run.runId, { followRuns: false })
        .result();
    } catch (error) {
      if (!(error instanceof WorkflowFailedError)) throw error;
      const cause = error.cause;
      if (cause instanceof ApplicationFailure) failureType = cause.type ?? undefined;
      failureMessage = cause?.message || error.message;
    }
    return {
      orderId,
      workflowId: run.workflowId,
      runId: run.runId,
      failedAt: run.closeTime?.toISOString(),
      failureType,
      failureMessage,
    };
  }

  /** For the health check: the server answers. */
  async ping(): Promise<void> {
    await this.within(this.config.TEMPORAL_CALL_TIMEOUT_MS, async () => {
      await this.connection.ensureConnected();
      await this.connection.workflowService.getSystemInfo({});
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }

  private handle(orderId: string) {
    return this.client.workflow.getHandle(checkoutWorkflowId(orderId));
  }

  /** Runs one Temporal call with a deadline, so an unreachable server is a quick 503. */
  private within<T>(ms: number, call: () => Promise<T>): Promise<T> {
    return this.connection.withDeadline(Date.now() + ms, call);
  }

  private async decide(
    orderId: string,
    update: () => Promise<ReviewDecisionAck>,
  ): Promise<ReviewDecisionAck> {
    try {
      return await this.within(this.config.TEMPORAL_UPDATE_TIMEOUT_MS, update);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw decisionRefused(orderId, error);
      if (error instanceof WorkflowNotFoundError) throw checkoutNotRunning(orderId);
      throw checkoutUnavailable(error);
    }
  }

  private async signal(orderId: string, send: () => Promise<void>): Promise<void> {
    try {
      await this.within(this.config.TEMPORAL_CALL_TIMEOUT_MS, send);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw checkoutNotRunning(orderId);
      throw checkoutUnavailable(error);
    }
  }
}
