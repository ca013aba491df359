import type Stripe from 'stripe';
import { intentEvent } from './signed-events';
import { settlementOf } from './webhooks.service';

const event = (type: Parameters<typeof intentEvent>[0]['type']) =>
  intentEvent({ type, intentId: 'pi_1', orderId: 'o' }) as unknown as Stripe.Event;

describe('what a webhook event settles', () => {
  it('captures on payment_intent.succeeded', () => {
    expect(settlementOf(event('payment_intent.succeeded'))).toEqual({
      intent: expect.objectContaining({ id: 'pi_1', metadata: { orderId: 'o' } }),
      settlement: { status: 'CAPTURED' },
    });
  });

  it('fails with AUTHENTICATION_FAILED on payment_intent.payment_failed', () => {
    expect(settlementOf(event('payment_intent.payment_failed'))?.settlement).toEqual({
      status: 'FAILED',
      failureCode: 'AUTHENTICATION_FAILED',
      failureMessage: 'The customer did not complete 3-D Secure authentication.',
    });
  });

  it('fails with CANCELLED on payment_intent.canceled', () => {
    expect(settlementOf(event('payment_intent.canceled'))?.settlement).toMatchObject({
      status: 'FAILED',
      failureCode: 'CANCELLED',
    });
  });

  it('ignores other events', () => {
    expect(
      settlementOf({
        type: 'charge.refunded',
        data: { object: { id: 'ch_1' } },
      } as unknown as Stripe.Event),
    ).toBeNull();
  });
});
