import CircuitBreaker from 'opossum';
import {
  type CancelInput,
  type CaptureInput,
  type ChargeInput,
  type ChargeResult,
  type PaymentProvider,
  ProviderUnavailableError,
  type RefundInput,
  type RefundResult,
} from './payment-provider';

export interface BreakerSettings {
  /** A call taking longer counts as a failure and answers 503. */
  timeoutMs: number;
  errorThresholdPercent: number;
  volumeThreshold: number;
  rollingWindowMs: number;
  resetTimeoutMs: number;
}

type Work = () => Promise<unknown>;

/** The part of a pino logger the breaker uses. */
export interface BreakerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Only "the provider is unavailable" counts against the breaker; declines and refusals do not. */
export function countsAsProviderFailure(error: unknown): boolean {
  return (
    error instanceof ProviderUnavailableError ||
    (error as { code?: unknown } | null)?.code === 'ETIMEDOUT'
  );
}

/**
 * The adapter behind an opossum circuit breaker. Transient failures (and calls over the timeout)
 * count; once too many fail within the window the breaker opens and calls fail at once with
 * ProviderUnavailableError (503, retryable) until a trial call after the reset timeout succeeds.
 */
export class BreakerPaymentProvider implements PaymentProvider {
  readonly breaker: CircuitBreaker<[Work], unknown>;

  constructor(
    private readonly inner: PaymentProvider,
    settings: BreakerSettings,
    logger?: BreakerLogger,
  ) {
    this.breaker = new CircuitBreaker<[Work], unknown>((work: Work) => work(), {
      name: `payment-provider-${inner.name}`,
      timeout: settings.timeoutMs,
      errorThresholdPercentage: settings.errorThresholdPercent,
      volumeThreshold: settings.volumeThreshold,
      rollingCountTimeout: settings.rollingWindowMs,
      rollingCountBuckets: 10,
      resetTimeout: settings.resetTimeoutMs,
      // Returning true means "not a failure" to opossum.
      errorFilter: (error: unknown) => !countsAsProviderFailure(error),
    });
    this.breaker.on('open', () =>
      logger?.warn({ provider: inner.name }, 'payment provider circuit breaker opened'),
    );
    this.breaker.on('halfOpen', () =>
      logger?.info({ provider: inner.name }, 'payment provider circuit breaker half-open'),
    );
    this.breaker.on('close', () =>
      logger?.info({ provider: inner.name }, 'payment provider circuit breaker closed'),
    );
  }

  get name(): string {
    return this.inner.name;
  }

  charge(input: ChargeInput): Promise<ChargeResult> {
    return this.fire(() => this.inner.charge(input));
  }

  refund(input: RefundInput): Promise<RefundResult> {
    return this.fire(() => this.inner.refund(input));
  }

  capture(input: CaptureInput): Promise<void> {
    return this.fire(() => this.inner.capture(input));
  }

  cancel(input: CancelInput): Promise<void> {
    return this.fire(() => this.inner.cancel(input));
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private async fire<T>(work: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(work)) as T;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'EOPENBREAKER') {
        throw new ProviderUnavailableError('The payment provider circuit breaker is open', {
          cause: error,
        });
      }
      if (code === 'ETIMEDOUT' || code === 'EOVERLIMIT') {
        throw new ProviderUnavailableError(`The payment provider did not answer in time`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
