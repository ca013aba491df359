import { AppError } from '@commerce/nest-kit';
import { parseDay, resolveRange } from './summary-range';

const now = new Date('2026-03-15T22:30:00Z');

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError && error.getStatus() === 400) {
      return (error.details?.[0] as { field: string }).field;
    }
    throw error;
  }
  return undefined;
}

describe('summary range', () => {
  it('parses only days that exist', () => {
    expect(parseDay('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDay('2026-02-29')).toBeUndefined();
    expect(parseDay('2026-13-01')).toBeUndefined();
    expect(parseDay('2026-1-01')).toBeUndefined();
  });

  it('defaults to the last 30 days up to today (UTC)', () => {
    expect(resolveRange({}, 366, now)).toEqual({ from: '2026-02-14', to: '2026-03-15' });
    expect(resolveRange({ to: '2026-01-30' }, 366, now)).toEqual({
      from: '2026-01-01',
      to: '2026-01-30',
    });
    expect(resolveRange({ from: '2026-03-01' }, 366, now)).toEqual({
      from: '2026-03-01',
      to: '2026-03-15',
    });
  });

  it('accepts one day and exactly the longest range', () => {
    expect(resolveRange({ from: '2026-01-01', to: '2026-01-01' }, 1, now)).toEqual({
      from: '2026-01-01',
      to: '2026-01-01',
    });
    expect(resolveRange({ from: '2025-01-01', to: '2026-01-01' }, 366, now).from).toBe(
      '2025-01-01',
    );
  });

  it('names the field of a bad range', () => {
    expect(fieldOf(() => resolveRange({ from: '2026-02-30' }, 366, now))).toBe('from');
    expect(fieldOf(() => resolveRange({ to: '2026-04-31' }, 366, now))).toBe('to');
    expect(fieldOf(() => resolveRange({ from: '2026-03-02', to: '2026-03-01' }, 366, now))).toBe(
      'from',
    );
    expect(fieldOf(() => resolveRange({ from: '2024-12-31', to: '2026-01-01' }, 366, now))).toBe(
      'to',
    );
  });
});
