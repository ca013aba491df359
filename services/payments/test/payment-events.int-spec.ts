import { TestTokenIssuer } from '@commerce/testing';
import { randomUUID } from 'node:crypto';
import {
  HttpPaymentEventsPublisher,
  ordersClient,
} from '../src/events/http-payment-events.publisher';
import { PaymentEventsDeliveryError } from '../src/events/payment-events.publisher';
import { StandInServices } from './support/stand-ins';

describe('HTTP payment events publisher against a real HTTP server', () => {
  const issuer = new TestTokenIssuer();
  const stand = new StandInServices(issuer);
  let clock = 1_000_000;

  beforeAll(async () => {
    await Promise.all([issuer.start(), stand.start()]);
    issuer.clients.set('payments', 'the-client-secret');
  });
  afterAll(() => Promise.all([issuer.stop(), stand.stop()]));
  beforeEach(() => {
    stand.eventsFailWith = undefined;
  });

  const event = () => ({
    type: 'payment.confirmed' as const,
    orderId: randomUUID(),
    paymentId: randomUUID(),
    status: 'CAPTURED' as const,
    failureCode: null,
  });

  function publisher(secret = 'the-client-secret', url = stand.url) {
    const orders = ordersClient({
      ordersUrl: url,
      authUrl: issuer.url,
      clientId: 'payments',
      clientSecret: secret,
      timeoutMs: 1000,
      now: () => clock,
    });
    return { publisher: new HttpPaymentEventsPublisher(orders) };
  }

  it('posts the event with a SERVICE token from client credentials, cached until near expiry', async () => {
    issuer.tokenExpiresIn = 300;
    const { publisher: p } = publisher();
    const before = issuer.tokenRequests;
    const first = event();
    expect(await p.publish(first)).toEqual({ kind: 'delivered' });
    expect(stand.events.at(-1)).toEqual({
      orderId: first.orderId,
      event: first,
      authorization: `Bearer ${issuer.issuedTokens.at(-1)}`,
    });
    await p.publish(event());
    await Promise.all([p.publish(event()), p.publish(event())]);
    expect(issuer.tokenRequests - before).toBe(1);
    // 30 s before expiry the token is renewed.
    clock += 269_000;
    await p.publish(event());
    expect(issuer.tokenRequests - before).toBe(1);
    clock += 2_000;
    await p.publish(event());
    expect(issuer.tokenRequests - before).toBe(2);
  });

  it('renews a refused token once and delivers', async () => {
    const { publisher: p } = publisher();
    await p.publish(event());
    stand.refusedTokens.add(issuer.issuedTokens.at(-1)!);
    const before = issuer.tokenRequests;
    expect(await p.publish(event())).toEqual({ kind: 'delivered' });
    expect(issuer.tokenRequests).toBe(before + 1);
  });

  it('throws when it could not deliver, so the webhook is redelivered', async () => {
    const { publisher: p } = publisher();
    stand.eventsFailWith = 503;
    await expect(p.publish(event())).rejects.toBeInstanceOf(PaymentEventsDeliveryError);
    const { publisher: unreachable } = publisher('the-client-secret', 'http://127.0.0.1:1');
    await expect(unreachable.publish(event())).rejects.toBeInstanceOf(PaymentEventsDeliveryError);
    const { publisher: wrongSecret } = publisher('not-the-secret');
    await expect(wrongSecret.publish(event())).rejects.toThrow(/answered 401/);
  });

  it('treats 409 and 422 as final refusals', async () => {
    const { publisher: p } = publisher();
    stand.eventsFailWith = 409;
    expect(await p.publish(event())).toEqual({
      kind: 'refused',
      reason: expect.stringMatching(/^409/),
    });
    stand.eventsFailWith = 422;
    expect(await p.publish(event())).toMatchObject({ kind: 'refused' });
  });
});
