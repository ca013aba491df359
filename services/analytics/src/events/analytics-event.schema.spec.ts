import { AppError } from '@commerce/nest-kit';
import { parseAnalyticsEvent, requireAnalyticsEvent } from './analytics-event.schema';
import { productTotals, utcDay } from '../read-model/analytics.store';

const completed = {
  id: 'order.completed:o-1',
  type: 'order.completed',
  at: '2026-01-02T23:30:00-02:00',
  orderId: 'o-1',
  customerId: 'c-1',
  total: 2500,
  currency: 'EUR',
  items: [{ productId: 'p-1', quantity: 2, unitPrice: 1250 }],
};

const fields = (input: unknown) => {
  const parsed = parseAnalyticsEvent(input);
  return parsed.ok ? [] : parsed.violations.map((v) => v.field);
};

describe('analytics event schema', () => {
  it('accepts every event type of the contract', () => {
    expect(parseAnalyticsEvent(completed)).toEqual({ ok: true, event: completed });
    for (const event of [
      { ...completed, type: 'order.cancelled', reason: 'customer cancelled' },
      { ...completed, type: 'order.failed', items: [] },
      {
        id: 'c',
        type: 'checkout.started',
        at: completed.at,
        orderId: 'o',
        customerId: 'c',
        total: 1,
        currency: 'USD',
      },
      { id: 'k', type: 'cart.created', at: completed.at, customerId: 'c' },
      { id: 'v', type: 'product.viewed', at: completed.at, productId: 'p', userId: 'u' },
      { id: 'v', type: 'product.viewed', at: completed.at, productId: 'p' },
    ]) {
      expect(parseAnalyticsEvent(event)).toMatchObject({ ok: true });
    }
  });

  it('names each bad field', () => {
    expect(fields({ ...completed, type: 'order.lost' })).toEqual(['type']);
    expect(fields({ ...completed, total: 1.5, currency: 'eur' })).toEqual(['total', 'currency']);
    expect(
      fields({ ...completed, items: [{ productId: 'p', quantity: 0, unitPrice: 1 }] }),
    ).toEqual(['items[0].quantity']);
    expect(fields({ ...completed, coupon: 'X' })).toEqual(['coupon']);
    expect(fields({ ...completed, at: '2026-01-02' })).toEqual(['at']);
    expect(fields('not an object')).toEqual(['type']);
  });

  it('throws the kit 400 with details', () => {
    try {
      requireAnalyticsEvent({ ...completed, id: '' });
      throw new Error('expected a 400');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const app = error as AppError;
      expect(app.getStatus()).toBe(400);
      expect(app.code).toBe('VALIDATION_FAILED');
      expect(app.details).toEqual([{ field: 'id', constraints: [expect.stringMatching(/^id: /)] }]);
    }
  });
});

describe('read-model helpers', () => {
  it('puts an event on its UTC day', () => {
    expect(utcDay('2026-01-02T23:30:00-02:00')).toBe('2026-01-03');
    expect(utcDay('2026-01-02T00:10:00+01:00')).toBe('2026-01-01');
    expect(() => utcDay('nope')).toThrow();
  });

  it('adds up lines of the same product', () => {
    expect(
      productTotals([
        { productId: 'a', quantity: 2, unitPrice: 100 },
        { productId: 'b', quantity: 1, unitPrice: 50 },
        { productId: 'a', quantity: 1, unitPrice: 120 },
      ]),
    ).toEqual([
      { productId: 'a', units: 3, revenue: 320 },
      { productId: 'b', units: 1, revenue: 50 },
    ]);
  });
});
