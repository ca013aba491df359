import { PaymentFailureCode } from '@commerce/contracts';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CancelInput,
  type CaptureInput,
  type ChargeInput,
  type ChargeResult,
  type PaymentProvider,
  ProviderRejectedError,
  ProviderUnavailableError,
  type RefundInput,
  type RefundResult,
} from './payment-provider';
import { testCardBehaviour } from './test-cards';

export type TestProviderOperation = 'charge' | 'capture' | 'refund' | 'cancel';

/** One call the adapter received, as `GET /internal/payments/test-provider/calls` lists it. */
export interface TestProviderCall {
  operation: TestProviderOperation;
  orderId: string;
  idempotencyKey: string;
  /** What it answered: a payment or refund status, or UNAVAILABLE for an injected outage. */
  outcome: string;
  /** True when the key had been answered before and the stored answer was replayed. */
  replayed: boolean;
  providerPaymentId: string | null;
  amount?: number;
  paymentMethodId?: string;
  at: string;
}

interface TestIntent {
  orderId: string;
  amount: number;
  currency: string;
  status: 'AUTHORIZED' | 'CAPTURED' | 'REQUIRES_ACTION' | 'FAILED' | 'CANCELLED';
  refunded: number;
}

const MAX_CALLS = 10_000;
const fakeId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

/**
 * The provider of development and tests (PAYMENT_PROVIDER=test), since stripe-mock never declines:
 * Stripe's test payment-method ids decide the outcome (see test-cards.ts), answers are kept per
 * idempotency key like Stripe does, and outages can be injected. State lives in this process.
 */
export class TestModePaymentProvider implements PaymentProvider {
  readonly name = 'test';
  private failures = 0;
  private delayMs = 0;
  private readonly calls: TestProviderCall[] = [];
  private readonly charges = new Map<string, ChargeResult>();
  private readonly refunds = new Map<string, RefundResult>();
  private readonly cancels = new Set<string>();
  private readonly captures = new Set<string>();
  private readonly intents = new Map<string, TestIntent>();

  /** The next `failNext` calls throw a transient error; each call first waits `delayMs`. */
  setOutage(options: { failNext?: number; delayMs?: number }): {
    failNext: number;
    delayMs: number;
  } {
    if (options.failNext !== undefined) this.failures = options.failNext;
    if (options.delayMs !== undefined) this.delayMs = options.delayMs;
    return { failNext: this.failures, delayMs: this.delayMs };
  }

  /** Calls received, oldest first, optionally for one order. */
  listCalls(orderId?: string): TestProviderCall[] {
    return orderId ? this.calls.filter((c) => c.orderId === orderId) : [...this.calls];
  }

  async charge(input: ChargeInput): Promise<ChargeResult> {
    const base = {
      operation: 'charge' as const,
      orderId: input.orderId,
      idempotencyKey: input.idempotencyKey,
      amount: input.amount,
      paymentMethodId: input.paymentMethodId,
    };
    await this.enter(base);
    const previous = this.charges.get(input.idempotencyKey);
    if (previous) {
      this.record(
        { ...base, outcome: previous.status, replayed: true },
        previous.providerPaymentId,
      );
      return previous;
    }
    const result = this.decide(input);
    this.charges.set(input.idempotencyKey, result);
    if (result.providerPaymentId) {
      this.intents.set(result.providerPaymentId, {
        orderId: input.orderId,
        amount: input.amount,
        currency: input.currency,
        status: result.status,
        refunded: 0,
      });
    }
    this.record({ ...base, outcome: result.status, replayed: false }, result.providerPaymentId);
    return result;
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const base = {
      operation: 'refund' as const,
      orderId: input.orderId,
      idempotencyKey: input.idempotencyKey,
      amount: input.amount,
    };
    await this.enter(base);
    const previous = this.refunds.get(input.idempotencyKey);
    if (previous) {
      this.record({ ...base, outcome: previous.status, replayed: true }, input.providerPaymentId);
      return previous;
    }
    // An intent this process never saw (a restart) is refunded on trust; a known one is checked.
    const intent = this.intents.get(input.providerPaymentId);
    if (intent && intent.refunded + input.amount > intent.amount) {
      this.record({ ...base, outcome: 'REJECTED', replayed: false }, input.providerPaymentId);
      throw new ProviderRejectedError(
        `Refund of ${input.amount} exceeds what is left of ${input.providerPaymentId}`,
        'charge_already_refunded',
      );
    }
    if (intent) intent.refunded += input.amount;
    const result: RefundResult = { providerRefundId: fakeId('re'), status: 'SUCCEEDED' };
    this.refunds.set(input.idempotencyKey, result);
    this.record({ ...base, outcome: result.status, replayed: false }, input.providerPaymentId);
    return result;
  }

  /** Captures an authorised intent once; a repeat of the key answers the same capture. */
  async capture(input: CaptureInput): Promise<void> {
    const base = {
      operation: 'capture' as const,
      orderId: input.orderId,
      idempotencyKey: input.idempotencyKey,
      amount: input.amount,
    };
    await this.enter(base);
    const replayed = this.captures.has(input.idempotencyKey);
    const intent = this.intents.get(input.providerPaymentId);
    // An intent this process never saw (a restart) is captured on trust, like a refund.
    if (!replayed && intent && intent.status !== 'AUTHORIZED') {
      this.record({ ...base, outcome: 'REJECTED', replayed }, input.providerPaymentId);
      throw new ProviderRejectedError(
        `${input.providerPaymentId} is ${intent.status} and cannot be captured`,
        'payment_intent_unexpected_state',
      );
    }
    if (intent) intent.status = 'CAPTURED';
    this.captures.add(input.idempotencyKey);
    this.record({ ...base, outcome: 'CAPTURED', replayed }, input.providerPaymentId);
  }

  async cancel(input: CancelInput): Promise<void> {
    const base = {
      operation: 'cancel' as const,
      orderId: input.orderId,
      idempotencyKey: input.idempotencyKey,
    };
    await this.enter(base);
    const replayed = this.cancels.has(input.idempotencyKey);
    const intent = this.intents.get(input.providerPaymentId);
    if (!replayed && intent?.status === 'CAPTURED') {
      this.record({ ...base, outcome: 'REJECTED', replayed }, input.providerPaymentId);
      throw new ProviderRejectedError(
        `${input.providerPaymentId} was captured and cannot be cancelled`,
        'payment_intent_unexpected_state',
      );
    }
    if (intent) intent.status = 'CANCELLED';
    this.cancels.add(input.idempotencyKey);
    this.record({ ...base, outcome: 'CANCELLED', replayed }, input.providerPaymentId);
  }

  private decide(input: ChargeInput): ChargeResult {
    switch (testCardBehaviour(input.paymentMethodId)) {
      case 'succeed':
        return {
          status: input.capture ? 'CAPTURED' : 'AUTHORIZED',
          providerPaymentId: fakeId('pi'),
        };
      case 'requires_action':
        return { status: 'REQUIRES_ACTION', providerPaymentId: fakeId('pi') };
      case 'decline':
        return {
          status: 'FAILED',
          providerPaymentId: fakeId('pi'),
          failureCode: PaymentFailureCode.CARD_DECLINED,
          failureMessage: 'Your card was declined.',
        };
      case 'invalid':
        return {
          status: 'FAILED',
          providerPaymentId: null,
          failureCode: PaymentFailureCode.INVALID_PAYMENT_METHOD,
          failureMessage: `No such test payment method: ${input.paymentMethodId}`,
        };
    }
  }

  /** The injected delay and outage, applied to every call before it does anything. */
  private async enter(
    base: Pick<TestProviderCall, 'operation' | 'orderId' | 'idempotencyKey' | 'amount'>,
  ): Promise<void> {
    if (this.delayMs > 0) await sleep(this.delayMs);
    if (this.failures > 0) {
      this.failures--;
      this.record({ ...base, outcome: 'UNAVAILABLE', replayed: false }, null);
      throw new ProviderUnavailableError('Test provider outage (injected)');
    }
  }

  private record(
    call: Omit<TestProviderCall, 'at' | 'providerPaymentId'>,
    providerPaymentId: string | null,
  ): void {
    this.calls.push({ ...call, providerPaymentId, at: new Date().toISOString() });
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }
}
