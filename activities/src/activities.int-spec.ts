/**
 * The activities over real HTTP against a local server that imitates the services (and the auth
 * service's token endpoint): what they send, and which answers end as success, as a non-retryable
 * business failure, or as an error Temporal's retry policy retries.
 */
import { randomUUID } from 'node:crypto';
import { ServiceCallError, createServiceClients } from '@commerce/service-client';
import {
  ApplicationFailure,
  type LogLevel,
  type LogMetadata,
  type Logger,
} from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from './create-activities';
import { CLIENT_ID, CLIENT_SECRET, FakeServices, error } from './fake-services.test-helpers';
import type { CheckoutActivities } from './types';

class CollectingLogger implements Logger {
  readonly entries: { level: LogLevel; message: string; meta?: LogMetadata }[] = [];
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.entries.push({ level, message, ...(meta === undefined ? {} : { meta }) });
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the activity to fail');
}

function expectNonRetryable(e: unknown, type: string): ApplicationFailure {
  expect(e).toBeInstanceOf(ApplicationFailure);
  const failure = e as ApplicationFailure;
  expect(failure.type).toBe(type);
  expect(failure.nonRetryable).toBe(true);
  return failure;
}

/** What Temporal retries: anything but a non-retryable ApplicationFailure. */
function expectRetryable(e: unknown): void {
  expect(e).toBeInstanceOf(Error);
  if (e instanceof ApplicationFailure) expect(e.nonRetryable).toBe(false);
}

describe('checkout activities over HTTP', () => {
  let services: FakeServices;
  let activities: CheckoutActivities;
  let orderId: string;
  let ctx: { orderId: string; requestId: string };

  beforeEach(async () => {
    services = await new FakeServices().start();
    const { clients } = createServiceClients({
      auth: { url: services.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      services: {
        products: services.url,
        payments: services.url,
        orders: services.url,
        notifications: services.url,
        analytics: services.url,
      },
      timeoutMs: 2_000,
    });
    activities = createActivities(clients);
    orderId = randomUUID();
    ctx = { orderId, requestId: `req-${orderId.slice(0, 8)}` };
  });

  afterEach(() => services.close());

  describe('inventory', () => {
    const reservations = '/internal/inventory/reservations';

    it('reserves once with service token, request id and idempotency key; a repeat reserves nothing more', async () => {
      services.stock.set('p1', 5);
      const input = { ...ctx, items: [{ productId: 'p1', quantity: 2 }] };
      await activities.reserveInventory(input);
      await activities.reserveInventory(input);
      const calls = services.to('POST', reservations);
      expect(calls).toHaveLength(2);
      for (const call of calls) {
        expect(call.headers.authorization).toBe('Bearer token-1');
        expect(call.headers['x-request-id']).toBe(ctx.requestId);
        expect(call.headers['idempotency-key']).toBe(`reserve-${orderId}`);
        expect(call.body).toEqual({ orderId, items: [{ productId: 'p1', quantity: 2 }] });
      }
      expect(services.stock.get('p1')).toBe(3);
      expect(services.tokenRequests).toBe(1);
    });

    it('out of stock: a non-retryable OutOfStock naming the products', async () => {
      services.stock.set('p1', 1);
      const e = await outcome(
        activities.reserveInventory({
          ...ctx,
          items: [
            { productId: 'p1', quantity: 2 },
            { productId: 'p2', quantity: 1 },
          ],
        }),
      );
      const failure = expectNonRetryable(e, 'OutOfStock');
      expect(failure.message).toBe('Not enough stock for: p1, p2');
      expect(failure.details?.[0]).toMatchObject({
        service: 'products',
        status: 409,
        code: 'OUT_OF_STOCK',
        details: [
          { productId: 'p1', requested: 2, available: 1, reason: 'INSUFFICIENT' },
          { productId: 'p2', requested: 1, available: 0, reason: 'NOT_FOUND' },
        ],
      });
    });

    it('a repeated reserve of a reservation released meanwhile is refused for good', async () => {
      services.reservations.set(orderId, { status: 'RELEASED' });
      expectNonRetryable(
        await outcome(
          activities.reserveInventory({ ...ctx, items: [{ productId: 'p1', quantity: 1 }] }),
        ),
        'ReservationReleased',
      );
    });

    it('release: nothing reserved is a no-op, a repeat is a no-op, a sale is refused', async () => {
      await expect(activities.releaseInventory(ctx)).resolves.toBeUndefined();
      services.reservations.set(orderId, { status: 'RESERVED' });
      await activities.releaseInventory(ctx);
      await activities.releaseInventory(ctx);
      expect(services.reservations.get(orderId)?.status).toBe('RELEASED');
      expect(
        services.to('POST', `${reservations}/${orderId}/release`)[0]?.headers['idempotency-key'],
      ).toBe(`release-${orderId}`);

      const sold = randomUUID();
      services.reservations.set(sold, { status: 'COMMITTED' });
      expectNonRetryable(
        await outcome(activities.releaseInventory({ orderId: sold })),
        'ReservationCommitted',
      );
    });

    it('a 404 that is not RESERVATION_NOT_FOUND (a wrong route) is not taken for "nothing reserved"', async () => {
      services.answerNext(
        'POST',
        `${reservations}/${orderId}/release`,
        error(404, 'NOT_FOUND', 'Cannot POST'),
      );
      expectNonRetryable(await outcome(activities.releaseInventory(ctx)), 'NotFound');
    });

    it('commit: a repeat is a no-op; a released reservation is refused; none at all is NotFound', async () => {
      services.reservations.set(orderId, { status: 'RESERVED' });
      await activities.commitInventory(ctx);
      await activities.commitInventory(ctx);
      expect(services.reservations.get(orderId)?.status).toBe('COMMITTED');

      const released = randomUUID();
      services.reservations.set(released, { status: 'RELEASED' });
      expectNonRetryable(
        await outcome(activities.commitInventory({ orderId: released })),
        'ReservationReleased',
      );
      expectNonRetryable(
        await outcome(activities.commitInventory({ orderId: randomUUID() })),
        'NotFound',
      );
    });

    it('a 5xx is left to the retry policy', async () => {
      services.answerNext(
        'POST',
        reservations,
        error(500, 'INTERNAL_ERROR', 'Internal server error'),
      );
      const e = await outcome(activities.reserveInventory({ ...ctx, items: [] }));
      expectRetryable(e);
      expect(e).toBeInstanceOf(ServiceCallError);
      expect(e).toMatchObject({ status: 500, retryable: true });
    });
  });

  describe('payments', () => {
    const charge = (paymentMethodId: string, amount = 1500) => ({
      ...ctx,
      customerId: 'c-1',
      amount,
      currency: 'EUR',
      paymentMethodId,
    });

    it('charges once per order: a retried charge answers the same payment', async () => {
      const first = await activities.chargePayment(charge('pm_card_visa'));
      const again = await activities.chargePayment(charge('pm_card_visa'));
      expect(first).toEqual({ paymentId: 'pay-1', status: 'CAPTURED' });
      expect(again).toEqual(first);
      expect(services.payments.size).toBe(1);
      const calls = services.to('POST', '/internal/payments/charges');
      expect(calls.map((c) => c.headers['idempotency-key'])).toEqual([
        `charge-${orderId}`,
        `charge-${orderId}`,
      ]);
      expect(calls[0]?.body).toEqual({
        orderId,
        customerId: 'c-1',
        amount: 1500,
        currency: 'EUR',
        paymentMethodId: 'pm_card_visa',
      });
    });

    it('a payment that needs customer action is an outcome, and getPayment reads it later', async () => {
      await expect(
        activities.chargePayment(charge('pm_card_threeDSecureRequired')),
      ).resolves.toEqual({
        paymentId: 'pay-1',
        status: 'REQUIRES_ACTION',
      });
      services.payments.get(orderId)!.status = 'CAPTURED';
      await expect(activities.getPayment(ctx)).resolves.toEqual({
        paymentId: 'pay-1',
        status: 'CAPTURED',
      });
      expect(
        services.to('GET', `/internal/payments/by-order/${orderId}`)[0]?.headers['x-request-id'],
      ).toBe(ctx.requestId);
    });

    it('a decline is a non-retryable PaymentDeclined with the reason', async () => {
      const failure = expectNonRetryable(
        await outcome(activities.chargePayment(charge('pm_card_chargeDeclined'))),
        'PaymentDeclined',
      );
      expect(failure.message).toBe('Your card was declined.');
      expect(failure.details?.[0]).toMatchObject({
        failureCode: 'CARD_DECLINED',
        paymentId: 'pay-1',
      });
    });

    it('a charge with another amount than the order’s payment is refused for good', async () => {
      await activities.chargePayment(charge('pm_card_visa', 1500));
      expectNonRetryable(
        await outcome(activities.chargePayment(charge('pm_card_visa', 999))),
        'ChargeMismatch',
      );
    });

    it('a provider outage (503) is retryable', async () => {
      const e = await outcome(activities.chargePayment(charge('pm_provider_down')));
      expectRetryable(e);
      expect(e).toMatchObject({ status: 503, code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
    });

    it('getPayment of an order without payment is NotFound', async () => {
      expectNonRetryable(await outcome(activities.getPayment(ctx)), 'NotFound');
    });

    it('refunds what was captured once; a repeated compensation refunds nothing more', async () => {
      await activities.chargePayment(charge('pm_card_visa', 1500));
      const first = await activities.refundPayment({ ...ctx, reason: 'cancelled by customer' });
      const again = await activities.refundPayment({ ...ctx, reason: 'cancelled by customer' });
      expect(first).toEqual({ refundedAmount: 1500 });
      // The same refund (same key), not a second one.
      expect(again).toEqual({ refundedAmount: 1500 });
      expect(services.refunds.size).toBe(1);
      expect(services.payments.get(orderId)?.refundedAmount).toBe(1500);
      const calls = services.to('POST', '/internal/payments/refunds');
      for (const call of calls) {
        expect(call.headers['idempotency-key']).toBe(`refund-${orderId}`);
        expect(call.body).toEqual({
          orderId,
          reason: 'cancelled by customer',
          idempotencyKey: `refund-${orderId}`,
        });
      }
    });

    it('refund without a payment (the charge never happened) refunds 0', async () => {
      await expect(activities.refundPayment({ ...ctx, reason: 'out of stock' })).resolves.toEqual({
        refundedAmount: 0,
      });
    });

    it('refund of a declined payment: nothing was captured, 0 after checking the payment', async () => {
      await outcome(activities.chargePayment(charge('pm_card_chargeDeclined')));
      await expect(activities.refundPayment({ ...ctx, reason: 'declined' })).resolves.toEqual({
        refundedAmount: 0,
      });
      expect(services.to('GET', `/internal/payments/by-order/${orderId}`)).toHaveLength(1);
    });

    it('refund refused while the payment says CAPTURED: retryable (the next attempt refunds)', async () => {
      await activities.chargePayment(charge('pm_card_visa'));
      services.answerNext(
        'POST',
        '/internal/payments/refunds',
        error(409, 'REFUND_EXCEEDS_CAPTURED', 'Nothing captured is left to refund'),
      );
      expectRetryable(await outcome(activities.refundPayment({ ...ctx, reason: 'x' })));
      await expect(activities.refundPayment({ ...ctx, reason: 'x' })).resolves.toEqual({
        refundedAmount: 1500,
      });
    });
  });

  describe('orders', () => {
    beforeEach(() => {
      services.orders.set(orderId, 'PENDING');
    });

    it('mirrors the workflow’s progress; repeats answered 200 are success', async () => {
      await activities.setOrderStatus({ ...ctx, to: 'RESERVING' });
      await activities.setOrderStatus({ ...ctx, to: 'RESERVING' });
      await activities.setOrderStatus({
        ...ctx,
        to: 'CHARGING',
        actor: 'ops@example.com',
        reason: 'approved',
      });
      await activities.setOrderStatus({ ...ctx, to: 'CONFIRMING' });
      await activities.confirmOrder(ctx);
      await activities.confirmOrder(ctx);
      expect(services.orders.get(orderId)).toBe('COMPLETED');
      const charging = services.to('POST', `/internal/orders/${orderId}/transition`)[2];
      expect(charging?.body).toEqual({
        to: 'CHARGING',
        reason: 'approved',
        actor: 'ops@example.com',
      });
      expect(charging?.headers['idempotency-key']).toBe(`order-${orderId}-CHARGING`);
      expect(services.to('POST', `/internal/orders/${orderId}/confirm`)[0]?.body).toEqual({});
    });

    it('repeats answered 409 ILLEGAL_TRANSITION while already in the target status are success too', async () => {
      services.ordersAnswerRepeatsWith409 = true;
      await activities.failOrder({ ...ctx, reason: 'payment declined' });
      await expect(
        activities.failOrder({ ...ctx, reason: 'payment declined' }),
      ).resolves.toBeUndefined();
      expect(services.orders.get(orderId)).toBe('FAILED');
    });

    it('a move the status machine refuses is a non-retryable IllegalTransition', async () => {
      await activities.cancelOrder({ ...ctx, reason: 'customer asked' });
      const failure = expectNonRetryable(
        await outcome(activities.failOrder({ ...ctx, reason: 'late failure' })),
        'IllegalTransition',
      );
      expect(failure.message).toBe('Order is CANCELLED; it cannot move to FAILED');
      expect(failure.details?.[0]).toMatchObject({
        details: [{ currentStatus: 'CANCELLED', requestedStatus: 'FAILED' }],
      });
    });

    it('cancel records who cancelled when the workflow knows', async () => {
      await activities.cancelOrder({ ...ctx, reason: 'fraud suspected', actor: 'ops@example.com' });
      expect(services.orders.get(orderId)).toBe('CANCELLED');
      expect(services.to('POST', `/internal/orders/${orderId}/transition`)[0]?.body).toEqual({
        to: 'CANCELLED',
        reason: 'fraud suspected',
        actor: 'ops@example.com',
      });
    });

    it('an unknown order is a non-retryable NotFound', async () => {
      expectNonRetryable(
        await outcome(activities.confirmOrder({ orderId: randomUUID() })),
        'NotFound',
      );
    });
  });

  describe('notifications', () => {
    const notify = (email: string, template = 'order-confirmed') => ({
      ...ctx,
      customerId: 'c-1',
      email,
      template,
      data: { orderId, total: 1500 },
    });

    it('one notification per order and template, however often it is asked', async () => {
      await activities.notifyCustomer(notify('c@example.com'));
      await activities.notifyCustomer(notify('c@example.com'));
      await activities.notifyCustomer(notify('c@example.com', 'order-failed'));
      expect([...services.notifications.keys()]).toEqual([
        `order-confirmed:${orderId}`,
        `order-failed:${orderId}`,
      ]);
      const call = services.to('POST', '/internal/notifications')[0];
      expect(call?.headers['idempotency-key']).toBe(`order-confirmed:${orderId}`);
      expect(call?.body).toEqual({
        userId: 'c-1',
        channel: 'email',
        template: 'order-confirmed',
        to: 'c@example.com',
        data: { orderId, total: 1500 },
        idempotencyKey: `order-confirmed:${orderId}`,
      });
    });

    it('a 400 is a non-retryable BadRequest', async () => {
      const failure = expectNonRetryable(
        await outcome(activities.notifyCustomer(notify('not-an-address'))),
        'BadRequest',
      );
      expect(failure.message).toBe('to must be an email address');
    });
  });

  describe('tokens and transport', () => {
    it('a revoked token is renewed once and the call repeated', async () => {
      services.stock.set('p1', 5);
      await activities.reserveInventory({ ...ctx, items: [{ productId: 'p1', quantity: 1 }] });
      services.revoked.add('token-1');
      services.reservations.set(orderId, { status: 'RESERVED' });
      await activities.commitInventory(ctx);
      expect(services.tokenRequests).toBe(2);
      expect(
        services
          .to('POST', `/internal/inventory/reservations/${orderId}/commit`)
          .map((c) => c.headers.authorization),
      ).toEqual(['Bearer token-1', 'Bearer token-2']);
    });

    it('auth down: retryable', async () => {
      services.answerNext('POST', '/auth/token', error(503, 'SERVICE_UNAVAILABLE', 'down'));
      const e = await outcome(activities.getPayment(ctx));
      expectRetryable(e);
      expect(e).toMatchObject({ service: 'auth', status: 503 });
    });

    it('outside an activity and without a request id, a fresh one is sent', async () => {
      services.orders.set(orderId, 'PENDING');
      await activities.setOrderStatus({ orderId, to: 'RESERVING' });
      const sent = services.to('POST', `/internal/orders/${orderId}/transition`)[0]?.headers[
        'x-request-id'
      ];
      expect(sent).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('inside an activity context', () => {
    function environment(startToCloseTimeoutMs: number) {
      const logger = new CollectingLogger();
      const env = new MockActivityEnvironment(
        {
          activityId: '3',
          activityType: 'releaseInventory',
          workflowExecution: { workflowId: `checkout-${orderId}`, runId: 'run-1' },
          startToCloseTimeoutMs,
        },
        { logger },
      );
      return { env, logger };
    }

    it('without a request id from the workflow, sends <workflowId>:<activityId>, and logs a no-op', async () => {
      const { env, logger } = environment(10_000);
      await env.run(activities.releaseInventory, { orderId });
      const sent = services.to('POST', `/internal/inventory/reservations/${orderId}/release`)[0];
      expect(sent?.headers['x-request-id']).toBe(`checkout-${orderId}:3`);
      expect(logger.entries).toContainEqual(
        expect.objectContaining({
          level: 'INFO',
          message: 'releaseInventory: nothing was reserved',
          meta: expect.objectContaining({ orderId, code: 'RESERVATION_NOT_FOUND' }) as unknown,
        }),
      );
    });

    it('gives up on a slow service before the activity’s own timeout, as retryable', async () => {
      services.reservations.set(orderId, { status: 'RESERVED' });
      services.answerNext('POST', `/internal/inventory/reservations/${orderId}/commit`, {
        status: 200,
        body: {},
        delayMs: 3_000,
      });
      const { env } = environment(500);
      const started = Date.now();
      const e = await outcome(env.run(activities.commitInventory, ctx));
      expect(Date.now() - started).toBeLessThan(2_000);
      expectRetryable(e);
      expect(e).toMatchObject({ kind: 'timeout', retryable: true });
    });

    it('a business refusal reaches Temporal as a non-retryable ApplicationFailure', async () => {
      const { env, logger } = environment(10_000);
      services.reservations.set(orderId, { status: 'COMMITTED' });
      expectNonRetryable(
        await outcome(env.run(activities.releaseInventory, ctx)),
        'ReservationCommitted',
      );
      expect(
        logger.entries.some(
          (e) => e.level === 'WARN' && e.message.startsWith('releaseInventory refused'),
        ),
      ).toBe(true);
    });
  });
});
