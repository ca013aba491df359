import {
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  OrderStatus,
  TERMINAL_ORDER_STATUSES,
  canTransitionOrder,
  isOrderStatus,
  isTerminalOrderStatus,
} from '@commerce/contracts';
import { decideTransition, describeIllegal } from './order-status';

describe('order status table (DESIGN §4)', () => {
  it('lists the eight statuses', () => {
    expect(ORDER_STATUSES).toEqual([
      'PENDING',
      'RESERVING',
      'AWAITING_APPROVAL',
      'CHARGING',
      'CONFIRMING',
      'COMPLETED',
      'CANCELLED',
      'FAILED',
    ]);
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it('has the happy path', () => {
    const path = ['PENDING', 'RESERVING', 'CHARGING', 'CONFIRMING', 'COMPLETED'] as const;
    for (let i = 1; i < path.length; i++)
      expect(canTransitionOrder(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransitionOrder('RESERVING', 'AWAITING_APPROVAL')).toBe(true);
    expect(canTransitionOrder('AWAITING_APPROVAL', 'CHARGING')).toBe(true);
    // Revised checkout: authorised (CHARGING) before review, back to CHARGING to capture.
    expect(canTransitionOrder('CHARGING', 'AWAITING_APPROVAL')).toBe(true);
  });

  it('makes COMPLETED, CANCELLED and FAILED final', () => {
    expect(TERMINAL_ORDER_STATUSES).toEqual(['COMPLETED', 'CANCELLED', 'FAILED']);
    for (const status of TERMINAL_ORDER_STATUSES) {
      expect(ORDER_TRANSITIONS[status]).toEqual([]);
      expect(isTerminalOrderStatus(status)).toBe(true);
    }
    expect(isTerminalOrderStatus('CHARGING')).toBe(false);
  });

  it('lets every non-final status fail or be cancelled, and nothing go back to PENDING', () => {
    for (const status of ORDER_STATUSES.filter((s) => !isTerminalOrderStatus(s))) {
      expect(canTransitionOrder(status, 'FAILED')).toBe(true);
      expect(canTransitionOrder(status, 'CANCELLED')).toBe(true);
    }
    for (const status of ORDER_STATUSES) {
      expect(canTransitionOrder(status, 'PENDING')).toBe(false);
      expect(canTransitionOrder(status, status)).toBe(false);
    }
  });

  it('never skips a step forward', () => {
    expect(canTransitionOrder('PENDING', 'CHARGING')).toBe(false);
    expect(canTransitionOrder('PENDING', 'COMPLETED')).toBe(false);
    expect(canTransitionOrder('RESERVING', 'CONFIRMING')).toBe(false);
    expect(canTransitionOrder('CHARGING', 'COMPLETED')).toBe(false);
    expect(canTransitionOrder('AWAITING_APPROVAL', 'CONFIRMING')).toBe(false);
  });

  it('recognises status strings', () => {
    expect(isOrderStatus('PENDING')).toBe(true);
    expect(isOrderStatus('pending')).toBe(false);
    expect(isOrderStatus(3)).toBe(false);
  });
});

describe('decideTransition', () => {
  it('applies a legal move', () => {
    expect(decideTransition(OrderStatus.CONFIRMING, OrderStatus.COMPLETED)).toEqual({
      kind: 'apply',
      from: 'CONFIRMING',
      to: 'COMPLETED',
    });
  });

  it('treats a move to the current status as a no-op (a retried activity)', () => {
    expect(decideTransition('COMPLETED', 'COMPLETED')).toEqual({
      kind: 'noop',
      status: 'COMPLETED',
    });
    expect(decideTransition('RESERVING', 'RESERVING')).toEqual({
      kind: 'noop',
      status: 'RESERVING',
    });
  });

  it('refuses an illegal move with what is allowed', () => {
    expect(decideTransition('COMPLETED', 'CANCELLED')).toEqual({
      kind: 'illegal',
      from: 'COMPLETED',
      to: 'CANCELLED',
      allowed: [],
    });
    expect(decideTransition('PENDING', 'CHARGING')).toMatchObject({
      kind: 'illegal',
      allowed: ['RESERVING', 'CANCELLED', 'FAILED'],
    });
  });

  it('names the current status in the message', () => {
    expect(describeIllegal('COMPLETED', 'CANCELLED')).toBe(
      'Order is COMPLETED, a final status; it cannot move to CANCELLED',
    );
    expect(describeIllegal('PENDING', 'CHARGING')).toContain('Order is PENDING');
  });
});
