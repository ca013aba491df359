import { BreakerPaymentProvider, countsAsProviderFailure } from './provider-breaker';
import {
  type ChargeInput,
  type ChargeResult,
  type PaymentProvider,
  ProviderRejectedError,
  ProviderUnavailableError,
} from './payment-provider';

const input: ChargeInput = {
  orderId: 'o',
  customerId: 'c',
  amount: 100,
  currency: 'EUR',
  paymentMethodId: 'pm_card_visa',
  idempotencyKey: 'charge-o',
  capture: true,
};

/** A provider whose charge does what the test says next; refund and cancel are not expected. */
function scripted(steps: (() => Promise<ChargeResult>)[]): PaymentProvider & { calls: number } {
  const provider = {
    name: 'scripted',
    calls: 0,
    charge: () => {
      const step = steps[provider.calls++];
      if (!step) throw new Error('unexpected call');
      return step();
    },
    refund: () => Promise.reject(new Error('unexpected refund')),
    capture: () => Promise.reject(new Error('unexpected capture')),
    cancel: () => Promise.reject(new Error('unexpected cancel')),
  };
  return provider;
}

const settings = {
  timeoutMs: 200,
  errorThresholdPercent: 50,
  volumeThreshold: 2,
  rollingWindowMs: 10_000,
  resetTimeoutMs: 60_000,
};
const declined: ChargeResult = {
  status: 'FAILED',
  providerPaymentId: 'pi_1',
  failureCode: 'CARD_DECLINED',
  failureMessage: 'declined',
};

describe('provider circuit breaker', () => {
  const breakers: BreakerPaymentProvider[] = [];
  const make = (provider: PaymentProvider) => {
    const breaker = new BreakerPaymentProvider(provider, settings);
    breakers.push(breaker);
    return breaker;
  };
  afterAll(() => breakers.forEach((b) => b.shutdown()));

  it('classifies only unavailability and timeouts as failures', () => {
    expect(countsAsProviderFailure(new ProviderUnavailableError('down'))).toBe(true);
    expect(countsAsProviderFailure(Object.assign(new Error('t'), { code: 'ETIMEDOUT' }))).toBe(
      true,
    );
    expect(countsAsProviderFailure(new ProviderRejectedError('no'))).toBe(false);
    expect(countsAsProviderFailure(new TypeError('bug'))).toBe(false);
  });

  it('opens after transient failures and then fails fast without calling the provider', async () => {
    const down = () => Promise.reject(new ProviderUnavailableError('down'));
    const provider = scripted([down, down, down]);
    const breaker = make(provider);
    await expect(breaker.charge(input)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(breaker.charge(input)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(breaker.breaker.opened).toBe(true);
    await expect(breaker.charge(input)).rejects.toThrow(/circuit breaker is open/);
    expect(provider.calls).toBe(2);
  });

  it('is not tripped by declines or refusals', async () => {
    const reject = () => Promise.reject(new ProviderRejectedError('bad request'));
    const provider = scripted([
      () => Promise.resolve(declined),
      reject,
      () => Promise.resolve(declined),
      reject,
      () => Promise.resolve(declined),
    ]);
    const breaker = make(provider);
    for (let i = 0; i < 5; i++) {
      if (i % 2 === 0) await expect(breaker.charge(input)).resolves.toEqual(declined);
      else await expect(breaker.charge(input)).rejects.toBeInstanceOf(ProviderRejectedError);
    }
    expect(breaker.breaker.opened).toBe(false);
  });

  it('answers a slow call with ProviderUnavailableError', async () => {
    const slow = () =>
      new Promise<ChargeResult>((resolve) => setTimeout(() => resolve(declined), 500));
    const breaker = make(scripted([slow]));
    await expect(breaker.charge(input)).rejects.toThrow(/did not answer in time/);
  });
});
