import { ServiceCallError } from '@commerce/service-client';
import { ApplicationFailure } from '@temporalio/common';
import { type ErrorRule, decide, defaultFailureType, pascalCase } from './classify';
import { refused } from './stub-caller.test-helpers';

const network = new ServiceCallError({
  kind: 'network',
  service: 'products',
  method: 'POST',
  path: '/x',
});
const timeout = new ServiceCallError({
  kind: 'timeout',
  service: 'products',
  method: 'POST',
  path: '/x',
  timeoutMs: 100,
});

describe('decide', () => {
  it.each([
    ['a network error', network],
    ['a timeout', timeout],
    ['a 503', refused('payments', 503, 'PAYMENT_PROVIDER_UNAVAILABLE')],
    ['a 500', refused('orders', 500, 'INTERNAL_ERROR')],
    ['a 429', refused('orders', 429, 'TOO_MANY_REQUESTS')],
    ['a 408', refused('orders', 408)],
  ])('leaves %s to the retry policy, rethrowing it as it is', (_name, error) => {
    const decision = decide(error);
    expect(decision).toEqual({ kind: 'retry', error });
  });

  it('rethrows what is not a service answer (a bug, a cancellation)', () => {
    const bug = new TypeError('x is undefined');
    expect(decide(bug)).toEqual({ kind: 'retry', error: bug });
  });

  it('turns a refusal into a non-retryable failure carrying the service message and details', () => {
    const error = refused('products', 409, 'OUT_OF_STOCK', 'Not enough stock for: p1', [
      { productId: 'p1', requested: 2, available: 1, reason: 'INSUFFICIENT' },
    ]);
    const decision = decide(error, [
      { status: 409, code: 'OUT_OF_STOCK', then: { fail: 'OutOfStock' } },
    ]);
    expect(decision.kind).toBe('fail');
    const failure = (decision as { failure: ApplicationFailure }).failure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('OutOfStock');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('Not enough stock for: p1');
    expect(failure.details).toEqual([
      {
        service: 'products',
        method: 'POST',
        path: '/internal/x',
        status: 409,
        code: 'OUT_OF_STOCK',
        requestId: 'svc-r',
        details: [{ productId: 'p1', requested: 2, available: 1, reason: 'INSUFFICIENT' }],
      },
    ]);
  });

  it('answers a matching "already done" refusal as success', () => {
    const rules: ErrorRule[] = [
      { status: 404, code: 'RESERVATION_NOT_FOUND', then: { success: 'nothing was reserved' } },
    ];
    const error = refused('products', 404, 'RESERVATION_NOT_FOUND');
    expect(decide(error, rules)).toEqual({ kind: 'success', tag: 'nothing was reserved', error });
  });

  it('matches on status, code and condition together', () => {
    const rules: ErrorRule[] = [
      {
        status: 409,
        code: 'ILLEGAL_TRANSITION',
        when: (e) => (e.details as { ok?: boolean }[])[0]?.ok === true,
        then: { success: 'repeat' },
      },
    ];
    expect(
      decide(refused('orders', 409, 'ILLEGAL_TRANSITION', 'm', [{ ok: true }]), rules).kind,
    ).toBe('success');
    const other = decide(refused('orders', 409, 'ILLEGAL_TRANSITION', 'm', [{ ok: false }]), rules);
    expect(other.kind).toBe('fail');
    expect((other as { failure: ApplicationFailure }).failure.type).toBe('IllegalTransition');
    // Same status, another code: the rule does not apply.
    expect(
      decide(refused('products', 404, 'NOT_FOUND'), [
        { status: 404, code: 'RESERVATION_NOT_FOUND', then: { success: 'x' } },
      ]).kind,
    ).toBe('fail');
  });

  it('a rule can make a retryable status a business failure (402 decline)', () => {
    const decision = decide(refused('payments', 402, 'CARD_DECLINED'), [
      { status: 402, then: { fail: 'PaymentDeclined' } },
    ]);
    expect((decision as { failure: ApplicationFailure }).failure.type).toBe('PaymentDeclined');
  });

  it('never applies rules to a call that got no answer', () => {
    expect(decide(timeout, [{ status: 409, then: { success: 'x' } }]).kind).toBe('retry');
  });

  it('uses the full error message when the service gave none', () => {
    const decision = decide(refused('orders', 422));
    const failure = (decision as { failure: ApplicationFailure }).failure;
    expect(failure.message).toBe('orders POST /internal/x answered 422');
    expect(failure.type).toBe('ServiceRefused');
  });
});

describe('defaultFailureType', () => {
  it.each([
    [400, 'VALIDATION_FAILED', 'BadRequest'],
    [404, 'RESERVATION_NOT_FOUND', 'NotFound'],
    [404, undefined, 'NotFound'],
    [409, 'ILLEGAL_TRANSITION', 'IllegalTransition'],
    [409, 'CHARGE_MISMATCH', 'ChargeMismatch'],
    [409, 'REFUND_EXCEEDS_CAPTURED', 'RefundExceedsCaptured'],
    [401, 'TOKEN_INVALID', 'TokenInvalid'],
    [403, undefined, 'ServiceRefused'],
  ])('%i %s -> %s', (status, code, type) => {
    expect(defaultFailureType({ status, code })).toBe(type);
  });
});

describe('pascalCase', () => {
  it('matches the names of CheckoutFailureType', () => {
    expect(pascalCase('OUT_OF_STOCK')).toBe('OutOfStock');
    expect(pascalCase('PAYMENT_DECLINED')).toBe('PaymentDeclined');
    expect(pascalCase('not-found')).toBe('NotFound');
  });
});
