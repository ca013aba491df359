import type { CheckoutState } from '@commerce/contracts';
import type { OrdersConfig } from '../config';
import type { CheckoutClient } from './checkout-client';
import { LiveCheckoutStatus, type StoredOrderVersion } from './live-status';

/** A checkout client whose `status` answers from a script and counts the queries it was asked. */
function fakeClient(answer: (orderId: string) => Promise<CheckoutState | undefined>) {
  const asked: string[] = [];
  const client = {
    status: (orderId: string) => {
      asked.push(orderId);
      return answer(orderId);
    },
  } as unknown as CheckoutClient;
  return { client, asked };
}

const state = (orderId: string, step: CheckoutState['step']): CheckoutState => ({
  orderId,
  status: 'CHARGING',
  step,
  timeline: [],
});

const order = (status: StoredOrderVersion['status'], updatedAt: string): StoredOrderVersion => ({
  id: 'o-1',
  status,
  updatedAt,
});

// Long enough that nothing expires while a test runs: expiry itself is lru-cache's.
const config = (ttl: number) => ({ CHECKOUT_LIVE_STATUS_TTL_MS: ttl }) as OrdersConfig;

describe('LiveCheckoutStatus', () => {
  it('shares one query among concurrent requests and reuses the answer while the row is unchanged', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { client, asked } = fakeClient(async (id) => {
      await gate;
      return state(id, 'authorizePayment');
    });
    const live = new LiveCheckoutStatus(client, config(60_000));
    const stored = order('CHARGING', '2026-12-07T10:00:00.000Z');

    const pending = [live.of(stored), live.of(stored), live.of(stored)];
    release();
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a?.step)).toEqual([
      'authorizePayment',
      'authorizePayment',
      'authorizePayment',
    ]);
    await live.of(stored);
    expect(asked).toEqual(['o-1']);
  });

  it('asks again as soon as the stored status or row changes', async () => {
    let step: CheckoutState['step'] = 'reserveInventory';
    const { client, asked } = fakeClient((id) => Promise.resolve(state(id, step)));
    const live = new LiveCheckoutStatus(client, config(60_000));

    expect((await live.of(order('RESERVING', '2026-12-07T10:00:00.000Z')))?.step).toBe(
      'reserveInventory',
    );
    step = 'authorizePayment';
    expect((await live.of(order('CHARGING', '2026-12-07T10:00:01.000Z')))?.step).toBe(
      'authorizePayment',
    );
    step = 'capturePayment';
    // Same status, newer row (e.g. a second move into CHARGING after review).
    expect((await live.of(order('CHARGING', '2026-12-07T10:00:02.000Z')))?.step).toBe(
      'capturePayment',
    );
    expect(asked).toHaveLength(3);
  });

  it('does not remember a query that got no answer', async () => {
    let up = false;
    const { client, asked } = fakeClient((id) =>
      Promise.resolve(up ? state(id, 'capturePayment') : undefined),
    );
    const live = new LiveCheckoutStatus(client, config(60_000));
    const stored = order('CHARGING', '2026-12-07T10:00:00.000Z');

    expect(await live.of(stored)).toBeUndefined();
    up = true;
    expect((await live.of(stored))?.step).toBe('capturePayment');
    expect(asked).toHaveLength(2);
  });

  it('asks on every request when the TTL is 0', async () => {
    const { client, asked } = fakeClient((id) => Promise.resolve(state(id, 'capturePayment')));
    const live = new LiveCheckoutStatus(client, config(0));
    const stored = order('CHARGING', '2026-12-07T10:00:00.000Z');

    await live.of(stored);
    await live.of(stored);
    expect(asked).toHaveLength(2);
  });
});
