import { activityLog, callTimeoutMs, currentContext, requestIdFor } from './activity-context';

const info = {
  activityId: '7',
  workflowExecution: { workflowId: 'checkout-3f7a', runId: 'run-1' },
};

describe('requestIdFor', () => {
  it("keeps the checkout's request id", () => {
    expect(requestIdFor({ requestId: 'req-42' }, info)).toBe('req-42');
  });

  it('derives one from the workflow and activity ids when the workflow passed none', () => {
    expect(requestIdFor({}, info)).toBe('checkout-3f7a:7');
  });

  it('makes one up outside an activity', () => {
    expect(requestIdFor({})).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('makes an id the services would refuse acceptable (printable, at most 128)', () => {
    expect(requestIdFor({ requestId: 'a b/c"d' })).toBe('a_b_c_d');
    expect(requestIdFor({ requestId: 'x'.repeat(200) })).toHaveLength(128);
  });
});

describe('callTimeoutMs', () => {
  it('leaves a margin before the activity’s own timeout', () => {
    expect(callTimeoutMs({ startToCloseTimeoutMs: 10_000 })).toBe(9_000);
    expect(callTimeoutMs({ startToCloseTimeoutMs: 45_000 })).toBe(44_000);
    expect(callTimeoutMs({ startToCloseTimeoutMs: 500 })).toBe(450);
  });

  it('is undefined outside an activity or without a timeout (the client default applies)', () => {
    expect(callTimeoutMs()).toBeUndefined();
    expect(callTimeoutMs({ startToCloseTimeoutMs: 0 })).toBeUndefined();
  });
});

describe('outside an activity', () => {
  it('has no context and logs nothing, without throwing', () => {
    expect(currentContext()).toBeUndefined();
    expect(() => activityLog('info', 'hello')).not.toThrow();
  });
});
