import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { intentEvent, signatureHeader } from '../src/webhooks/signed-events';
import { PaymentsTestEnvironment, errorShape } from './support/payments-app';

const REPO_ROOT = join(__dirname, '..', '..', '..');

describe('provider webhooks', () => {
  const env = new PaymentsTestEnvironment();

  beforeAll(() => env.setUp({ LOG_LEVEL: 'info' }, { captureLogs: true }));
  afterAll(() => env.tearDown());
  beforeEach(() => {
    env.stand.eventsFailWith = undefined;
  });

  /** A payment waiting for 3-D Secure, as the test-mode adapter makes it. */
  async function awaitingAction() {
    const res = await env.charge({ paymentMethodId: 'pm_card_authenticationRequired' });
    expect(res.body.status).toBe('REQUIRES_ACTION');
    return res.body as typeof res.body & { providerPaymentId: string };
  }

  const eventsFor = (orderId: string) => env.stand.events.filter((e) => e.orderId === orderId);

  it('settles a REQUIRES_ACTION payment, issues its invoice and tells the orders service once', async () => {
    const payment = await awaitingAction();
    const eventId = `evt_${randomUUID()}`;
    const res = await env.webhook({
      type: 'payment_intent.succeeded',
      intentId: payment.providerPaymentId,
      eventId,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, eventId, outcome: 'APPLIED', duplicate: false });
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({
      status: 'CAPTURED',
      invoiceNumber: expect.stringMatching(/^INV-/),
    });
    expect(eventsFor(payment.orderId)).toEqual([
      {
        orderId: payment.orderId,
        authorization: expect.stringMatching(/^Bearer /),
        event: {
          type: 'payment.confirmed',
          orderId: payment.orderId,
          paymentId: payment.id,
          status: 'CAPTURED',
          failureCode: null,
        },
      },
    ]);
    const [row] = (
      await env.sql.query<{ outcome: string; hook_delivered_at: Date | null }>(
        'select outcome, hook_delivered_at from webhook_events where id = $1',
        [eventId],
      )
    ).rows;
    expect(row).toMatchObject({ outcome: 'APPLIED', hook_delivered_at: expect.any(Date) });

    // A replay of the same event is a no-op; a new event about a settled payment changes nothing.
    const replay = await env.webhook({
      type: 'payment_intent.succeeded',
      intentId: payment.providerPaymentId,
      eventId,
    });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ duplicate: true, outcome: 'APPLIED' });
    const later = await env.webhook({
      type: 'payment_intent.succeeded',
      intentId: payment.providerPaymentId,
    });
    expect(later.body).toMatchObject({ duplicate: false, outcome: 'NOOP' });
    expect(eventsFor(payment.orderId)).toHaveLength(1);
    expect(await env.count('invoices', 'order_id = $1', [payment.orderId])).toBe(1);
  });

  it('fails a payment whose authentication failed and announces payment.failed', async () => {
    const payment = await awaitingAction();
    const res = await env.webhook({
      type: 'payment_intent.payment_failed',
      intentId: payment.providerPaymentId,
    });
    expect(res.status).toBe(200);
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({
      status: 'FAILED',
      failureCode: 'AUTHENTICATION_FAILED',
      invoiceNumber: null,
    });
    expect(eventsFor(payment.orderId).map((e) => e.event)).toEqual([
      {
        type: 'payment.failed',
        orderId: payment.orderId,
        paymentId: payment.id,
        status: 'FAILED',
        failureCode: 'AUTHENTICATION_FAILED',
      },
    ]);
  });

  it('processes concurrent deliveries of one event once', async () => {
    const payment = await awaitingAction();
    const eventId = `evt_${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        env.webhook({
          type: 'payment_intent.succeeded',
          intentId: payment.providerPaymentId,
          eventId,
        }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(eventsFor(payment.orderId)).toHaveLength(1);
    expect(await env.count('webhook_events', 'id = $1', [eventId])).toBe(1);
  });

  describe('refuses what the provider did not sign, and stores nothing', () => {
    it.each([
      ['signed with another secret', { secret: 'whsec_someone_else' }],
      ['unsigned', { header: null }],
      ['with a garbage signature', { header: 't=123,v1=deadbeef' }],
      ['signed too long ago', { timestamp: Math.floor(Date.now() / 1000) - 600 }],
    ])('%s: 400 WEBHOOK_SIGNATURE_INVALID', async (_name, sign) => {
      const payment = await awaitingAction();
      const eventId = `evt_${randomUUID()}`;
      const res = await env.webhook(
        { type: 'payment_intent.succeeded', intentId: payment.providerPaymentId, eventId },
        sign,
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject(errorShape(400, 'WEBHOOK_SIGNATURE_INVALID'));
      expect(await env.count('webhook_events', 'id = $1', [eventId])).toBe(0);
      expect((await env.byOrder(payment.orderId)).body).toMatchObject({
        status: 'REQUIRES_ACTION',
      });
      expect(eventsFor(payment.orderId)).toHaveLength(0);
    });

    it('a body changed after signing: 400', async () => {
      const payment = await awaitingAction();
      const signed = JSON.stringify(
        intentEvent({ type: 'payment_intent.payment_failed', intentId: payment.providerPaymentId }),
      );
      const forged = signed.replace('payment_intent.payment_failed', 'payment_intent.succeeded');
      const res = await env.request('POST', '/payments/webhooks/stripe', {
        body: forged,
        headers: { 'stripe-signature': signatureHeader(signed, 'whsec_dev_commerce') },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
      expect((await env.byOrder(payment.orderId)).body).toMatchObject({
        status: 'REQUIRES_ACTION',
      });
    });

    it('the same bytes re-serialised (whitespace) no longer verify: the raw body is used', async () => {
      const payment = await awaitingAction();
      const event = intentEvent({
        type: 'payment_intent.succeeded',
        intentId: payment.providerPaymentId,
      });
      const pretty = JSON.stringify(event, null, 2);
      const accepted = await env.request('POST', '/payments/webhooks/stripe', {
        body: pretty,
        headers: { 'stripe-signature': signatureHeader(pretty, 'whsec_dev_commerce') },
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ outcome: 'APPLIED' });
    });
  });

  it('acknowledges and records events about intents it does not own, or types it ignores', async () => {
    const eventId = `evt_${randomUUID()}`;
    const res = await env.webhook({
      type: 'payment_intent.succeeded',
      intentId: 'pi_not_ours',
      eventId,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'IGNORED', duplicate: false });
    expect(await env.count('webhook_events', "id = $1 and outcome = 'IGNORED'", [eventId])).toBe(1);
    const other = await env.webhook({
      id: `evt_${randomUUID()}`,
      object: 'event',
      type: 'customer.created',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'cus_1', object: 'customer' } },
    });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ outcome: 'IGNORED' });
  });

  it('answers 503 until the orders service takes the event; a redelivery retries it', async () => {
    const payment = await awaitingAction();
    const eventId = `evt_${randomUUID()}`;
    const deliver = () =>
      env.webhook({
        type: 'payment_intent.succeeded',
        intentId: payment.providerPaymentId,
        eventId,
      });
    env.stand.eventsFailWith = 500;
    const first = await deliver();
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject(errorShape(503, 'PAYMENT_EVENT_UNDELIVERED'));
    // The payment itself is settled; only the announcement is owed.
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({ status: 'CAPTURED' });
    const second = await deliver();
    expect(second.status).toBe(503);
    const [owed] = (
      await env.sql.query<{ hook_attempts: number; hook_delivered_at: Date | null }>(
        'select hook_attempts, hook_delivered_at from webhook_events where id = $1',
        [eventId],
      )
    ).rows;
    expect(owed).toEqual({ hook_attempts: 2, hook_delivered_at: null });
    expect(eventsFor(payment.orderId)).toHaveLength(0);

    env.stand.eventsFailWith = undefined;
    const third = await deliver();
    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ duplicate: true });
    expect(eventsFor(payment.orderId)).toHaveLength(1);
    const fourth = await deliver();
    expect(fourth.status).toBe(200);
    expect(eventsFor(payment.orderId)).toHaveLength(1);
  });

  it('records a refusal by the orders service (409) and does not retry it', async () => {
    const payment = await awaitingAction();
    env.stand.eventsFailWith = 409;
    const res = await env.webhook({
      type: 'payment_intent.succeeded',
      intentId: payment.providerPaymentId,
    });
    expect(res.status).toBe(200);
    const [row] = (
      await env.sql.query<{ hook_last_error: string; hook_delivered_at: Date | null }>(
        'select hook_last_error, hook_delivered_at from webhook_events where payment_id = $1',
        [payment.id],
      )
    ).rows;
    expect(row?.hook_last_error).toMatch(/^refused: 409/);
    expect(row?.hook_delivered_at).toEqual(expect.any(Date));
  });

  it('reuses its SERVICE token, and renews it when refused', async () => {
    const before = env.issuer.tokenRequests;
    for (let i = 0; i < 3; i++) {
      const payment = await awaitingAction();
      await env.webhook({ type: 'payment_intent.succeeded', intentId: payment.providerPaymentId });
    }
    expect(env.issuer.tokenRequests - before).toBeLessThanOrEqual(1);
    const beforeRefusal = env.issuer.tokenRequests;
    env.stand.refusedTokens.add(env.issuer.issuedTokens.at(-1)!);
    const payment = await awaitingAction();
    const res = await env.webhook({
      type: 'payment_intent.succeeded',
      intentId: payment.providerPaymentId,
    });
    expect(res.status).toBe(200);
    expect(eventsFor(payment.orderId)).toHaveLength(1);
    expect(env.issuer.tokenRequests).toBe(beforeRefusal + 1);
  });

  // The kit's request log lists request headers (stripe-signature among them: an HMAC of one
  // payload, useless for any other, not a secret); bodies and the signing secret never appear.
  it('keeps webhook bodies and the signing secret out of the logs', async () => {
    const payment = await awaitingAction();
    const payload = JSON.stringify(
      intentEvent({ type: 'payment_intent.succeeded', intentId: payment.providerPaymentId }),
    );
    const signature = signatureHeader(payload, 'whsec_dev_commerce');
    await env.request('POST', '/payments/webhooks/stripe', {
      body: payload,
      headers: { 'stripe-signature': signature },
    });
    await env.request('POST', '/payments/webhooks/stripe', {
      body: payload,
      headers: { 'stripe-signature': 't=1,v1=forged' },
    });
    const logs = env.logs.join('\n');
    expect(logs).toContain('/payments/webhooks/stripe');
    expect(logs).not.toContain('"object":"event"');
    expect(logs).not.toContain('payment_intent.succeeded","data"');
    expect(logs).not.toContain('whsec_dev_commerce');
  });

  it('finishes a 3-D Secure payment with the send-webhook script', async () => {
    const payment = await awaitingAction();
    const { stdout } = await promisify(execFile)(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [
        join(REPO_ROOT, 'services', 'payments', 'scripts', 'send-webhook.ts'),
        '--intent',
        payment.providerPaymentId,
        '--url',
        `${env.url}/payments/webhooks/stripe`,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, STRIPE_WEBHOOK_SECRET: '' } },
    );
    expect(stdout).toMatch(/^200 /);
    expect((await env.byOrder(payment.orderId)).body).toMatchObject({ status: 'CAPTURED' });
    expect(eventsFor(payment.orderId)).toHaveLength(1);
  });
});

describe('provider webhooks with ORDERS_URL=none', () => {
  const env = new PaymentsTestEnvironment();

  beforeAll(() => env.setUp({ ORDERS_URL: 'none' }));
  afterAll(() => env.tearDown());

  it('settles the payment and only logs the event', async () => {
    const charge = await env.charge({ paymentMethodId: 'pm_card_authenticationRequired' });
    const res = await env.webhook({
      type: 'payment_intent.succeeded',
      intentId: charge.body.providerPaymentId!,
    });
    expect(res.status).toBe(200);
    expect((await env.byOrder(charge.body.orderId)).body).toMatchObject({ status: 'CAPTURED' });
    expect(env.stand.eventAttempts).toBe(0);
    expect(env.issuer.tokenRequests).toBe(0);
  });
});
