import { chargeMismatch, planRefund } from './payment-rules';

describe('refund arithmetic', () => {
  const captured = { status: 'CAPTURED' as const, amount: 5000, refundedAmount: 0 };

  it('refunds everything left by default', () => {
    expect(planRefund(captured)).toEqual({
      kind: 'REFUND',
      amount: 5000,
      refundedAfter: 5000,
      statusAfter: 'REFUNDED',
    });
    expect(
      planRefund({ status: 'PARTIALLY_REFUNDED', amount: 5000, refundedAmount: 1200 }),
    ).toEqual({ kind: 'REFUND', amount: 3800, refundedAfter: 5000, statusAfter: 'REFUNDED' });
  });

  it('refunds part, then the rest', () => {
    expect(planRefund(captured, 1999)).toEqual({
      kind: 'REFUND',
      amount: 1999,
      refundedAfter: 1999,
      statusAfter: 'PARTIALLY_REFUNDED',
    });
    expect(
      planRefund({ status: 'PARTIALLY_REFUNDED', amount: 5000, refundedAmount: 1999 }, 3001),
    ).toMatchObject({ kind: 'REFUND', refundedAfter: 5000, statusAfter: 'REFUNDED' });
  });

  it('refuses more than what is left', () => {
    expect(planRefund(captured, 5001)).toEqual({
      kind: 'EXCEEDS',
      requested: 5001,
      refundable: 5000,
    });
    expect(planRefund({ status: 'REFUNDED', amount: 5000, refundedAmount: 5000 }, 1)).toEqual({
      kind: 'EXCEEDS',
      requested: 1,
      refundable: 0,
    });
  });

  it('has nothing to give back for a fully refunded or failed payment', () => {
    expect(planRefund({ status: 'REFUNDED', amount: 5000, refundedAmount: 5000 })).toEqual({
      kind: 'NOTHING',
    });
    expect(planRefund({ status: 'FAILED', amount: 5000, refundedAmount: 0 }, 100)).toEqual({
      kind: 'NOTHING',
    });
  });

  it('voids what was never captured and waits for what is unsettled', () => {
    expect(planRefund({ status: 'REQUIRES_ACTION', amount: 10, refundedAmount: 0 })).toEqual({
      kind: 'VOID',
    });
    expect(planRefund({ status: 'AUTHORIZED', amount: 10, refundedAmount: 0 })).toEqual({
      kind: 'VOID',
    });
    expect(planRefund({ status: 'PENDING', amount: 10, refundedAmount: 0 })).toEqual({
      kind: 'UNSETTLED',
    });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a requested amount of %s', (amount) => {
    expect(() => planRefund(captured, amount)).toThrow(RangeError);
  });
});

describe('charge repeats', () => {
  const first = { customerId: 'c1', amount: 2599, currency: 'EUR' };

  it('accepts the same terms', () => {
    expect(chargeMismatch(first, { ...first })).toEqual([]);
  });

  it('names what differs', () => {
    expect(chargeMismatch(first, { ...first, amount: 2600 })).toEqual(['amount']);
    expect(chargeMismatch(first, { customerId: 'c2', amount: 1, currency: 'USD' })).toEqual([
      'amount',
      'currency',
      'customerId',
    ]);
  });
});
