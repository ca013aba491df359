import type { ActivityContext, ChargeOutcome, CheckoutActivities } from '@commerce/contracts';
import { Context } from '@temporalio/activity';

/** One recorded activity call. */
export interface Call {
  name: keyof CheckoutActivities;
  input: ActivityContext & Record<string, unknown>;
  /** Run as a local activity (in the workflow's worker) rather than from an activity queue. */
  local: boolean;
  /** The attempt limit of the call's retry policy; 0 or undefined is unlimited. */
  maximumAttempts: number | undefined;
}

/** Per-order behaviour: any activity not overridden succeeds. */
export type Scenario = Partial<{
  [K in keyof CheckoutActivities]: (
    input: Parameters<CheckoutActivities[K]>[0],
    attempt: number,
  ) => ReturnType<CheckoutActivities[K]>;
}>;

/**
 * Stub activities for workflow tests. One set of workers serves every test in a file, so the
 * behaviour is looked up per order id: each test registers a scenario for its own order and reads
 * back the calls the workflow made for that order.
 */
export class StubActivities {
  private readonly scenarios = new Map<string, Scenario>();
  private readonly calls = new Map<string, Call[]>();

  scenario(orderId: string, scenario: Scenario = {}): void {
    this.scenarios.set(orderId, scenario);
    this.calls.set(orderId, []);
  }

  callsFor(orderId: string): Call[] {
    return this.calls.get(orderId) ?? [];
  }

  namesFor(orderId: string): string[] {
    return this.callsFor(orderId).map((call) => call.name);
  }

  countOf(orderId: string, name: keyof CheckoutActivities): number {
    return this.callsFor(orderId).filter((call) => call.name === name).length;
  }

  build(): CheckoutActivities {
    const run = <K extends keyof CheckoutActivities>(
      name: K,
      fallback: (input: Parameters<CheckoutActivities[K]>[0]) => ReturnType<CheckoutActivities[K]>,
    ) => {
      return ((input: Parameters<CheckoutActivities[K]>[0]) => {
        const list = this.calls.get(input.orderId) ?? [];
        this.calls.set(input.orderId, list);
        const { info } = Context.current();
        list.push({
          name,
          input: input as Call['input'],
          local: info.isLocal,
          maximumAttempts: info.retryPolicy?.maximumAttempts,
        });
        const attempt = list.filter((call) => call.name === name).length;
        const override = this.scenarios.get(input.orderId)?.[name];
        return override ? override(input, attempt) : fallback(input);
      }) as CheckoutActivities[K];
    };
    const done = () => Promise.resolve();
    return {
      reserveInventory: run('reserveInventory', done),
      releaseInventory: run('releaseInventory', done),
      commitInventory: run('commitInventory', done),
      holdInventory: run('holdInventory', done),
      chargePayment: run('chargePayment', (input) =>
        Promise.resolve<ChargeOutcome>({ paymentId: `pay-${input.orderId}`, status: 'CAPTURED' }),
      ),
      authorizePayment: run('authorizePayment', (input) =>
        Promise.resolve<ChargeOutcome>({ paymentId: `pay-${input.orderId}`, status: 'AUTHORIZED' }),
      ),
      capturePayment: run('capturePayment', (input) =>
        Promise.resolve({ paymentId: `pay-${input.orderId}` }),
      ),
      getPayment: run('getPayment', (input) =>
        Promise.resolve({ paymentId: `pay-${input.orderId}`, status: 'CAPTURED' }),
      ),
      refundPayment: run('refundPayment', () => Promise.resolve({ refundedAmount: 0 })),
      setOrderStatus: run('setOrderStatus', done),
      confirmOrder: run('confirmOrder', done),
      failOrder: run('failOrder', done),
      cancelOrder: run('cancelOrder', done),
      notifyCustomer: run('notifyCustomer', done),
      recordOrderOutcome: run('recordOrderOutcome', done),
    };
  }
}

/** Holds an activity "in flight" until the test opens it, so signals can arrive mid-step. */
export class Gate {
  private release!: () => void;
  private markEntered!: () => void;
  readonly released = new Promise<void>((resolve) => (this.release = resolve));
  /** Resolves when the activity has started and is waiting. */
  readonly entered = new Promise<void>((resolve) => (this.markEntered = resolve));

  async hold<T>(value: T): Promise<T> {
    this.markEntered();
    await this.released;
    return value;
  }

  open(): void {
    this.release();
  }
}
