import { collectStartupGarbage } from './startup-garbage';

describe('collectStartupGarbage', () => {
  const holder = globalThis as { gc?: () => void };
  const original = holder.gc;

  afterEach(() => {
    jest.useRealTimers();
    holder.gc = original;
  });

  it('collects once, after the delay', () => {
    jest.useFakeTimers();
    const gc = jest.fn();
    holder.gc = gc;
    const timer = collectStartupGarbage(1_000);
    expect(timer).toBeDefined();
    jest.advanceTimersByTime(999);
    expect(gc).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(gc).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(60_000);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it('does nothing when the process runs without --expose-gc', () => {
    delete holder.gc;
    expect(collectStartupGarbage(1_000)).toBeUndefined();
  });
});
