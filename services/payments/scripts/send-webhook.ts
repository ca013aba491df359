/**
 * Sends a signed Stripe-style webhook to the payments service, e.g. to finish a 3-D Secure payment
 * made with the test-mode adapter (`pm_card_authenticationRequired`):
 *
 *   npx tsx services/payments/scripts/send-webhook.ts --intent pi_test_... \
 *     [--type payment_intent.succeeded|payment_intent.payment_failed] [--order <orderId>] \
 *     [--url http://127.0.0.1:3000/api/payments/webhooks/stripe] [--secret whsec_...] \
 *     [--event-id evt_... (to replay an event)] [--print (sign and print, send nothing)]
 *
 * The secret defaults to STRIPE_WEBHOOK_SECRET, else the development secret the service uses.
 */
import { parseArgs } from 'node:util';
import {
  DEV_WEBHOOK_SECRET,
  type IntentEventType,
  intentEvent,
  signatureHeader,
} from '../src/webhooks/signed-events';

const TYPES: readonly IntentEventType[] = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      intent: { type: 'string' },
      type: { type: 'string', default: 'payment_intent.succeeded' },
      order: { type: 'string' },
      url: { type: 'string', default: 'http://127.0.0.1:3000/api/payments/webhooks/stripe' },
      secret: { type: 'string' },
      'event-id': { type: 'string' },
      print: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const type = values.type as IntentEventType;
  if (!values.intent || !TYPES.includes(type)) {
    process.stderr.write(
      `usage: send-webhook --intent pi_... [--type ${TYPES.join('|')}] [--order <orderId>] [--url <webhook url>] [--secret whsec_...] [--event-id evt_...] [--print]\n`,
    );
    return 2;
  }
  const secret = values.secret || process.env.STRIPE_WEBHOOK_SECRET || DEV_WEBHOOK_SECRET;
  const payload = JSON.stringify(
    intentEvent({
      type,
      intentId: values.intent,
      orderId: values.order,
      eventId: values['event-id'],
    }),
  );
  const signature = signatureHeader(payload, secret);
  if (values.print) {
    process.stdout.write(`stripe-signature: ${signature}\n${payload}\n`);
    return 0;
  }
  const res = await fetch(values.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload,
  });
  process.stdout.write(`${res.status} ${await res.text()}\n`);
  return res.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `send-webhook: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
