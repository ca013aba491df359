import { OrderStatus } from '@commerce/contracts';
import type { OrdersConfig } from '../config';
import { OrderChanges, type StatusReader } from './order-changes';

const config = { ORDER_WAIT_MAX_MS: 4000, ORDER_WAIT_RECHECK_MS: 500 } as OrdersConfig;

/** Resolves true when `promise` settled by now (after pending microtasks), false otherwise. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await jest.advanceTimersByTimeAsync(0);
  return done;
}

describe('OrderChanges', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('wakes the waiters of an order when this instance stores a move of it, and only them', async () => {
    const changes = new OrderChanges(config);
    const mine = changes.waitWhile('o-1', OrderStatus.CHARGING);
    const other = changes.waitWhile('o-2', OrderStatus.CHARGING);

    changes.changed('o-1');

    expect(await settled(mine)).toBe(true);
    expect(await settled(other)).toBe(false);
    changes.onModuleDestroy();
    expect(await settled(other)).toBe(true);
  });

  it('ends a wait after ORDER_WAIT_MAX_MS when nothing moved', async () => {
    const changes = new OrderChanges(config);
    const wait = changes.waitWhile('o-1', OrderStatus.RESERVING);

    await jest.advanceTimersByTimeAsync(3999);
    expect(await settled(wait)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await settled(wait)).toBe(true);
  });

  it('sees a move stored by another instance with one batched read per period', async () => {
    const stored = new Map<string, OrderStatus>([
      ['o-1', OrderStatus.CHARGING],
      ['o-2', OrderStatus.CHARGING],
    ]);
    const reads: string[][] = [];
    const reader: StatusReader = (ids) => {
      reads.push([...ids]);
      return Promise.resolve(ids.map((id) => ({ id, status: stored.get(id)! })));
    };
    const changes = new OrderChanges(config);
    changes.readStatusesWith(reader);
    const first = changes.waitWhile('o-1', OrderStatus.CHARGING);
    const twin = changes.waitWhile('o-1', OrderStatus.CHARGING);
    const second = changes.waitWhile('o-2', OrderStatus.CHARGING);

    await jest.advanceTimersByTimeAsync(500);
    expect(reads).toEqual([['o-1', 'o-2']]);
    expect(await settled(first)).toBe(false);

    stored.set('o-1', OrderStatus.CONFIRMING);
    await jest.advanceTimersByTimeAsync(500);
    expect(await settled(first)).toBe(true);
    expect(await settled(twin)).toBe(true);
    expect(await settled(second)).toBe(false);

    changes.changed('o-2');
    expect(await settled(second)).toBe(true);
    // Nobody waits any more: no further reads.
    await jest.advanceTimersByTimeAsync(5000);
    expect(reads).toHaveLength(2);
  });

  it('keeps waiting, until its deadline, when the re-read fails', async () => {
    const changes = new OrderChanges(config);
    changes.readStatusesWith(() => Promise.reject(new Error('database down')));
    const wait = changes.waitWhile('o-1', OrderStatus.CHARGING);

    await jest.advanceTimersByTimeAsync(1000);
    expect(await settled(wait)).toBe(false);
    await jest.advanceTimersByTimeAsync(3000);
    expect(await settled(wait)).toBe(true);
  });
});
