import { ServiceCallError } from '@commerce/service-client';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from './create-activities';
import { createInventoryActivities } from './inventory.activities';
import { createAnalyticsActivities } from './analytics.activities';
import { createNotificationActivities } from './notifications.activities';
import { alreadyIn, createOrderActivities } from './orders.activities';
import { chargeOutcome, createPaymentActivities } from './payments.activities';
import { type StubAnswer, refused, stubCaller, thrown } from './stub-caller.test-helpers';

const orderId = '0d6f5f8e-9a7e-4c43-9a57-3b1c6c7e2a11';
const ctx = { orderId, requestId: 'req-1' };

function payment(status: string, extra: Record<string, unknown> = {}) {
  return {
    id: 'pay-1',
    orderId,
    customerId: 'c-1',
    status,
    amount: 1500,
    currency: 'EUR',
    provider: 'stripe',
    providerPaymentId: 'pi_1',
    refundedAmount: 0,
    failureCode: null,
    failureMessage: null,
    createdAt: '',
    updatedAt: '',
    ...extra,
  };
}

function expectFailure(error: unknown, type: string, nonRetryable = true): ApplicationFailure {
  expect(error).toBeInstanceOf(ApplicationFailure);
  const failure = error as ApplicationFailure;
  expect(failure.type).toBe(type);
  expect(failure.nonRetryable).toBe(nonRetryable);
  return failure;
}

describe('createActivities', () => {
  it('returns every checkout activity', () => {
    const { caller } = stubCaller('any');
    const activities = createActivities({
      products: caller,
      payments: caller,
      orders: caller,
      notifications: caller,
      analytics: caller,
    });
    expect(Object.keys(activities).sort()).toEqual([
      'authorizePayment',
      'cancelOrder',
      'capturePayment',
      'chargePayment',
      'commitInventory',
      'confirmOrder',
      'failOrder',
      'getPayment',
      'holdInventory',
      'notifyCustomer',
      'recordOrderOutcome',
      'refundPayment',
      'releaseInventory',
      'reserveInventory',
      'setOrderStatus',
    ]);
  });
});

describe('inventory activities', () => {
  const make = (...answers: StubAnswer[]) => {
    const stub = stubCaller('products', ...answers);
    return { ...stub, activities: createInventoryActivities(stub.caller) };
  };

  it('reserves with the order id as the key', async () => {
    const { activities, requests } = make({ status: 201, body: { orderId, status: 'RESERVED' } });
    await activities.reserveInventory({ ...ctx, items: [{ productId: 'p1', quantity: 2 }] });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/internal/inventory/reservations',
      body: { orderId, items: [{ productId: 'p1', quantity: 2 }] },
      idempotencyKey: `reserve-${orderId}`,
      requestId: 'req-1',
    });
  });

  it('reserves for the hold the checkout asks, and renews it; nothing reserved is no hold', async () => {
    const { activities, requests } = make(
      { status: 201, body: { orderId, status: 'RESERVED' } },
      { status: 200, body: { orderId, status: 'RESERVED' } },
      refused('products', 404, 'RESERVATION_NOT_FOUND'),
    );
    await activities.reserveInventory({ ...ctx, items: [], holdSeconds: 3600 });
    await activities.holdInventory({ ...ctx, holdSeconds: 3600 });
    await expect(activities.holdInventory({ ...ctx, holdSeconds: 3600 })).resolves.toBeUndefined();
    expect(requests[0]).toMatchObject({ body: { orderId, items: [], holdSeconds: 3600 } });
    expect(requests[1]).toMatchObject({
      method: 'POST',
      path: `/internal/inventory/reservations/${orderId}/hold`,
      body: { holdSeconds: 3600 },
    });
  });

  it('refuses to call a released reservation reserved', async () => {
    const { activities } = make({ status: 200, body: { orderId, status: 'RELEASED' } });
    expectFailure(
      await thrown(activities.reserveInventory({ ...ctx, items: [] })),
      'ReservationReleased',
    );
  });

  it('out of stock is a non-retryable OutOfStock failure', async () => {
    const { activities } = make(
      refused('products', 409, 'OUT_OF_STOCK', 'Not enough stock for: p1'),
    );
    const failure = expectFailure(
      await thrown(activities.reserveInventory({ ...ctx, items: [] })),
      'OutOfStock',
    );
    expect(failure.message).toBe('Not enough stock for: p1');
  });

  it('releasing nothing is a no-op; releasing a sale is refused', async () => {
    const { activities, requests } = make(
      refused('products', 404, 'RESERVATION_NOT_FOUND'),
      refused('products', 409, 'RESERVATION_COMMITTED'),
    );
    await expect(activities.releaseInventory(ctx)).resolves.toBeUndefined();
    expect(requests[0]?.path).toBe(`/internal/inventory/reservations/${orderId}/release`);
    expectFailure(await thrown(activities.releaseInventory(ctx)), 'ReservationCommitted');
  });

  it('committing a released reservation is refused', async () => {
    const { activities } = make(refused('products', 409, 'RESERVATION_RELEASED'));
    expectFailure(await thrown(activities.commitInventory(ctx)), 'ReservationReleased');
  });

  it('escapes the order id in paths', async () => {
    const { activities, requests } = make({ status: 200, body: {} });
    await activities.commitInventory({ orderId: 'a/../b' });
    expect(requests[0]?.path).toBe('/internal/inventory/reservations/a%2F..%2Fb/commit');
  });
});

describe('chargeOutcome', () => {
  it.each(['CAPTURED', 'AUTHORIZED', 'REQUIRES_ACTION'])('%s is an outcome', (status) => {
    expect(chargeOutcome(orderId, payment(status))).toEqual({
      outcome: { paymentId: 'pay-1', status },
    });
  });

  it('FAILED is a PaymentDeclined failure with the reason', () => {
    const decided = chargeOutcome(
      orderId,
      payment('FAILED', {
        failureCode: 'CARD_DECLINED',
        failureMessage: 'Your card was declined.',
      }),
    );
    const failure = expectFailure((decided as { failure: unknown }).failure, 'PaymentDeclined');
    expect(failure.message).toBe('Your card was declined.');
    expect(failure.details).toEqual([
      {
        orderId,
        paymentId: 'pay-1',
        failureCode: 'CARD_DECLINED',
        failureMessage: 'Your card was declined.',
      },
    ]);
  });

  it('an already refunded payment cannot be charged again', () => {
    const decided = chargeOutcome(orderId, payment('REFUNDED'));
    expectFailure((decided as { failure: unknown }).failure, 'PaymentRefunded');
  });

  it.each([undefined, {}, { id: 'x', status: 'WEIRD' }])('%p is an unexpected response', (body) => {
    const decided = chargeOutcome(orderId, body);
    expectFailure((decided as { failure: unknown }).failure, 'UnexpectedResponse');
  });
});

describe('payment activities', () => {
  const make = (...answers: StubAnswer[]) => {
    const stub = stubCaller('payments', ...answers);
    return { ...stub, activities: createPaymentActivities(stub.caller) };
  };
  const charge = {
    ...ctx,
    customerId: 'c-1',
    amount: 1500,
    currency: 'EUR',
    paymentMethodId: 'pm_card_visa',
  };

  it('charges with a key derived from the order', async () => {
    const { activities, requests } = make({ status: 201, body: payment('CAPTURED') });
    await expect(activities.chargePayment(charge)).resolves.toEqual({
      paymentId: 'pay-1',
      status: 'CAPTURED',
    });
    expect(requests[0]).toMatchObject({
      path: '/internal/payments/charges',
      idempotencyKey: `charge-${orderId}`,
      body: {
        orderId,
        customerId: 'c-1',
        amount: 1500,
        currency: 'EUR',
        paymentMethodId: 'pm_card_visa',
      },
    });
  });

  it('authorises with capture: false under the same charge key, then captures under its own', async () => {
    const { activities, requests } = make(
      { status: 201, body: payment('AUTHORIZED') },
      { status: 201, body: payment('CAPTURED') },
    );
    await expect(activities.authorizePayment(charge)).resolves.toEqual({
      paymentId: 'pay-1',
      status: 'AUTHORIZED',
    });
    await expect(activities.capturePayment(ctx)).resolves.toEqual({ paymentId: 'pay-1' });
    expect(requests[0]).toMatchObject({
      path: '/internal/payments/charges',
      idempotencyKey: `charge-${orderId}`,
      body: { orderId, capture: false },
    });
    expect(requests[1]).toMatchObject({
      method: 'POST',
      path: `/internal/payments/by-order/${orderId}/capture`,
      idempotencyKey: `capture-${orderId}`,
    });
  });

  it('a capture the service refuses (voided, failed) is a non-retryable PaymentNotCapturable', async () => {
    const { activities } = make(refused('payments', 409, 'PAYMENT_NOT_CAPTURABLE'));
    expectFailure(await thrown(activities.capturePayment(ctx)), 'PaymentNotCapturable');
    const refunded = make({ status: 200, body: payment('REFUNDED') });
    expectFailure(await thrown(refunded.activities.capturePayment(ctx)), 'PaymentRefunded');
    const outage = refused('payments', 503, 'PAYMENT_PROVIDER_UNAVAILABLE');
    expect(await thrown(make(outage).activities.capturePayment(ctx))).toBe(outage);
  });

  it('a provider outage stays retryable', async () => {
    const outage = refused('payments', 503, 'PAYMENT_PROVIDER_UNAVAILABLE');
    const { activities } = make(outage);
    expect(await thrown(activities.chargePayment(charge))).toBe(outage);
  });

  it('a mismatching charge is refused for good', async () => {
    const { activities } = make(refused('payments', 409, 'CHARGE_MISMATCH'));
    expectFailure(await thrown(activities.chargePayment(charge)), 'ChargeMismatch');
  });

  it('refunds under the order’s refund key and reports the amount', async () => {
    const { activities, requests } = make({ status: 201, body: { id: 'rf-1', amount: 1500 } });
    await expect(activities.refundPayment({ ...ctx, reason: 'cancelled' })).resolves.toEqual({
      refundedAmount: 1500,
    });
    expect(requests[0]).toMatchObject({
      path: '/internal/payments/refunds',
      idempotencyKey: `refund-${orderId}`,
      body: { orderId, reason: 'cancelled', idempotencyKey: `refund-${orderId}` },
    });
  });

  it('no payment: nothing to refund', async () => {
    const { activities, requests } = make(refused('payments', 404, 'PAYMENT_NOT_FOUND'));
    await expect(activities.refundPayment({ ...ctx, reason: 'r' })).resolves.toEqual({
      refundedAmount: 0,
    });
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['REFUNDED', { refundedAmount: 0 }],
    ['FAILED', { refundedAmount: 0 }],
    ['AUTHORIZED', { refundedAmount: 0 }],
    ['REQUIRES_ACTION', { refundedAmount: 0 }],
  ])(
    'refund exceeding the captured amount, payment %s: nothing more to refund',
    async (status, result) => {
      const { activities, requests } = make(refused('payments', 409, 'REFUND_EXCEEDS_CAPTURED'), {
        status: 200,
        body: payment(status),
      });
      await expect(activities.refundPayment({ ...ctx, reason: 'r' })).resolves.toEqual(result);
      expect(requests[1]).toMatchObject({
        method: 'GET',
        path: `/internal/payments/by-order/${orderId}`,
      });
    },
  );

  it.each(['CAPTURED', 'PARTIALLY_REFUNDED'])(
    'refund exceeding the captured amount while the payment is %s: retryable',
    async (status) => {
      const { activities } = make(refused('payments', 409, 'REFUND_EXCEEDS_CAPTURED'), {
        status: 200,
        body: payment(status),
      });
      const error = await thrown(activities.refundPayment({ ...ctx, reason: 'r' }));
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect((error as Error).message).toContain(`payment is ${status}`);
    },
  );

  it('getPayment answers the id and status; an unknown order is NotFound', async () => {
    const { activities } = make(
      { status: 200, body: payment('AUTHORIZED') },
      refused('payments', 404, 'PAYMENT_NOT_FOUND'),
    );
    await expect(activities.getPayment(ctx)).resolves.toEqual({
      paymentId: 'pay-1',
      status: 'AUTHORIZED',
    });
    expectFailure(await thrown(activities.getPayment(ctx)), 'NotFound');
  });
});

describe('order activities', () => {
  const make = (...answers: StubAnswer[]) => {
    const stub = stubCaller('orders', ...answers);
    return { ...stub, activities: createOrderActivities(stub.caller) };
  };
  const illegal = (current: string, requested: string) =>
    refused('orders', 409, 'ILLEGAL_TRANSITION', `Order is ${current}`, [
      { orderId, currentStatus: current, requestedStatus: requested },
    ]);

  it('alreadyIn reads the current status from the details', () => {
    expect(alreadyIn('FAILED', { details: [{ currentStatus: 'FAILED' }] })).toBe(true);
    expect(alreadyIn('FAILED', { details: [{ currentStatus: 'CANCELLED' }] })).toBe(false);
    expect(alreadyIn('FAILED', { details: undefined })).toBe(false);
  });

  it('moves the order with reason and actor', async () => {
    const { activities, requests } = make({ status: 200, body: {} });
    await activities.setOrderStatus({
      ...ctx,
      to: 'CHARGING',
      actor: 'ops@example.com',
      reason: 'approved',
    });
    expect(requests[0]).toMatchObject({
      path: `/internal/orders/${orderId}/transition`,
      body: { to: 'CHARGING', reason: 'approved', actor: 'ops@example.com' },
      idempotencyKey: `order-${orderId}-CHARGING`,
    });
  });

  it('a 409 for an order already in the target status is success; another status is refused', async () => {
    const { activities } = make(illegal('FAILED', 'FAILED'), illegal('COMPLETED', 'FAILED'));
    await expect(activities.failOrder({ ...ctx, reason: 'x' })).resolves.toBeUndefined();
    const failure = expectFailure(
      await thrown(activities.failOrder({ ...ctx, reason: 'x' })),
      'IllegalTransition',
    );
    expect(failure.message).toBe('Order is COMPLETED');
  });

  it('an unknown order is NotFound', async () => {
    const { activities } = make(refused('orders', 404, 'NOT_FOUND'));
    expectFailure(await thrown(activities.confirmOrder(ctx)), 'NotFound');
  });

  it('cancel without an actor uses /cancel; with one, the move that records it', async () => {
    const { activities, requests } = make({ status: 200, body: {} }, { status: 200, body: {} });
    await activities.cancelOrder({ ...ctx, reason: 'changed my mind' });
    await activities.cancelOrder({ ...ctx, reason: 'fraud', actor: 'ops@example.com' });
    expect(requests.map((r) => [r.path, r.body])).toEqual([
      [`/internal/orders/${orderId}/cancel`, { reason: 'changed my mind' }],
      [
        `/internal/orders/${orderId}/transition`,
        { to: 'CANCELLED', reason: 'fraud', actor: 'ops@example.com' },
      ],
    ]);
  });

  it('fail without an actor uses /fail; with one (an operator who rejected), the move that records it', async () => {
    const { activities, requests } = make({ status: 200, body: {} }, { status: 200, body: {} });
    const operatorId = '5b0c7e8e-2f3a-4c1d-9e6f-1a2b3c4d5e6f';
    await activities.failOrder({ ...ctx, reason: 'payment declined' });
    await activities.failOrder({ ...ctx, reason: 'rejected by ops: fraud', actor: operatorId });
    expect(requests.map((r) => [r.path, r.body])).toEqual([
      [`/internal/orders/${orderId}/fail`, { reason: 'payment declined' }],
      [
        `/internal/orders/${orderId}/transition`,
        { to: 'FAILED', reason: 'rejected by ops: fraud', actor: operatorId },
      ],
    ]);
  });

  it('clips a reason the service would refuse (too long, or blank)', async () => {
    const { activities, requests } = make({ status: 200, body: {} }, { status: 200, body: {} });
    await activities.failOrder({ ...ctx, reason: 'e'.repeat(2_000) });
    await activities.failOrder({ ...ctx, reason: '   ' });
    expect((requests[0]?.body as { reason: string }).reason).toHaveLength(500);
    expect(requests[1]?.body).toEqual({ reason: 'unspecified' });
  });
});

describe('notification activities', () => {
  it('sends one email per order and template', async () => {
    const stub = stubCaller('notifications', { status: 201, body: {} });
    await createNotificationActivities(stub.caller).notifyCustomer({
      ...ctx,
      customerId: 'c-1',
      email: 'c@example.com',
      template: 'order-confirmed',
      data: { total: 1500 },
    });
    expect(stub.requests[0]).toMatchObject({
      path: '/internal/notifications',
      idempotencyKey: `order-confirmed:${orderId}`,
      body: {
        userId: 'c-1',
        channel: 'email',
        template: 'order-confirmed',
        to: 'c@example.com',
        data: { total: 1500 },
        idempotencyKey: `order-confirmed:${orderId}`,
      },
    });
  });

  it('a bad request is a non-retryable BadRequest', async () => {
    const stub = stubCaller(
      'notifications',
      refused('notifications', 400, 'VALIDATION_FAILED', 'to must be an email'),
    );
    const error = await thrown(
      createNotificationActivities(stub.caller).notifyCustomer({
        ...ctx,
        customerId: 'c-1',
        email: 'nope',
        template: 'order-confirmed',
        data: {},
      }),
    );
    expectFailure(error, 'BadRequest');
  });

  it('a timeout is left to the retry policy', async () => {
    const timeout = new ServiceCallError({
      kind: 'timeout',
      service: 'notifications',
      method: 'POST',
      path: '/x',
    });
    const stub = stubCaller('notifications', timeout);
    const error = await thrown(
      createNotificationActivities(stub.caller).notifyCustomer({
        ...ctx,
        customerId: 'c',
        email: 'c@example.com',
        template: 't',
        data: {},
      }),
    );
    expect(error).toBe(timeout);
  });
});

describe('analytics activities', () => {
  it('hands the order outcome to the analytics service, keyed by the event id', async () => {
    const analytics = stubCaller('analytics', { status: 202, body: {} });
    const event = {
      id: `order.completed:${orderId}`,
      type: 'order.completed' as const,
      at: '2026-11-28T00:00:00.000Z',
      orderId,
      customerId: 'c-1',
      total: 1500,
      currency: 'EUR',
      items: [{ productId: 'p-1', quantity: 1, unitPrice: 1500 }],
    };
    await createAnalyticsActivities(analytics.caller).recordOrderOutcome({ ...ctx, event });
    expect(analytics.requests[0]).toMatchObject({
      method: 'POST',
      path: '/internal/analytics/events',
      idempotencyKey: event.id,
      body: event,
    });
  });

  it('an analytics outage is left to the retry policy', async () => {
    const down = new ServiceCallError({
      kind: 'http',
      service: 'analytics',
      method: 'POST',
      path: '/internal/analytics/events',
      status: 503,
    });
    const error = await thrown(
      createAnalyticsActivities(stubCaller('analytics', down).caller).recordOrderOutcome({
        ...ctx,
        event: {
          id: `order.failed:${orderId}`,
          type: 'order.failed',
          at: '2026-11-28T00:00:00.000Z',
          orderId,
          customerId: 'c-1',
          total: 1500,
          currency: 'EUR',
          items: [],
          reason: 'declined',
        },
      }),
    );
    expect(error).toBe(down);
  });
});
