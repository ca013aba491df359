import { pauseRecheckDelay } from './campaign.processor';

describe('pauseRecheckDelay', () => {
  it('doubles the first wait with every start of the job, up to the longest wait', () => {
    expect([1, 2, 3, 4, 5, 6].map((starts) => pauseRecheckDelay(starts, 5000, 60_000))).toEqual([
      5000, 10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
  });

  it('never waits less than the first wait, nor overflows for a job started very often', () => {
    expect(pauseRecheckDelay(0, 5000, 60_000)).toBe(5000);
    expect(pauseRecheckDelay(1, 5000, 1000)).toBe(5000);
    expect(pauseRecheckDelay(10_000, 5000, 60_000)).toBe(60_000);
  });
});
