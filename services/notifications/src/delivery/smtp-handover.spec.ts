import {
  claimDeadline,
  judgeSendFailure,
  leaseMargin,
  recordUntil,
  sendWithHandover,
} from './smtp-handover';
import type { ComposedMail } from './mail-message';
import { SendAbortedError, type SmtpPool, SmtpSendError } from './smtp-pool';

const smtpError = (responseCode?: number) =>
  Object.assign(new Error(`smtp ${responseCode ?? 'no answer'}`), { responseCode });

describe('judgeSendFailure', () => {
  it('counts a message handed over without an answer as sent (unconfirmed)', () => {
    const error = new SmtpSendError(smtpError(), true);
    expect(judgeSendFailure(error, false).kind).toBe('unconfirmed');
    expect(judgeSendFailure(error, true).kind).toBe('unconfirmed');
  });

  it('releases without an attempt when the gate stopped the send', () => {
    const error = new SmtpSendError(new SendAbortedError('shutting down'), false);
    expect(judgeSendFailure(error, false)).toEqual({
      kind: 'aborted',
      reason: 'shutting down',
    });
  });

  it('fails for good on a 5xx or the last attempt, and retries otherwise', () => {
    expect(judgeSendFailure(new SmtpSendError(smtpError(550), true), false).kind).toBe('failed');
    expect(judgeSendFailure(new SmtpSendError(smtpError(451), true), false).kind).toBe('retry');
    expect(judgeSendFailure(new SmtpSendError(smtpError(451), true), true).kind).toBe('failed');
    expect(judgeSendFailure(new Error('connection refused'), false)).toEqual({
      kind: 'retry',
      reason: 'connection refused',
    });
  });
});

describe('claimDeadline', () => {
  it('keeps a quarter of the lease, at most 10 s, as a margin', () => {
    expect(leaseMargin(60_000)).toBe(10_000);
    expect(leaseMargin(8_000)).toBe(2_000);
    expect(claimDeadline(1_000, 8_000)).toBe(7_000);
  });
});

describe('recordUntil', () => {
  it('retries a failing write until it succeeds', async () => {
    let calls = 0;
    await recordUntil(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(new Error('store down')) : Promise.resolve();
      },
      Date.now() + 5_000,
      'message 1',
    );
    expect(calls).toBe(3);
  });

  it('gives up before the deadline, naming what was sent', async () => {
    let calls = 0;
    const write = () => {
      calls += 1;
      return Promise.reject(new Error('store down'));
    };
    await expect(recordUntil(write, Date.now() + 250, 'message 2')).rejects.toThrow(
      'message 2 was sent but could not be recorded: store down',
    );
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});

describe('sendWithHandover', () => {
  const mail = {
    envelope: { from: 'a@x.test', to: ['b@x.test'] },
    raw: 'raw',
    messageId: '<m@x.test>',
  } as unknown as ComposedMail;
  /** A pool whose send runs the gate like the real one, then answers as told. */
  const pool = (after: () => Promise<void>) =>
    ({
      send: async (_envelope: unknown, _raw: unknown, gate: () => Promise<void>) => {
        await gate();
        await after();
      },
    }) as unknown as SmtpPool;

  it('writes the hand-over mark in the gate and reports whether it applied', async () => {
    let marks = 0;
    const result = await sendWithHandover(
      pool(() => Promise.resolve()),
      mail,
      {
        signal: new AbortController().signal,
        claimedAt: Date.now(),
        leaseMs: 60_000,
        markHandover: () => {
          marks += 1;
          return Promise.resolve(true);
        },
      },
    );
    expect(result).toEqual({ ok: true, markApplied: true });
    expect(marks).toBe(1);
  });

  it('stops at the gate, without a mark, once the claim is about to run out', async () => {
    let marks = 0;
    const result = await sendWithHandover(
      {
        send: async (_e: unknown, _r: unknown, gate: () => Promise<void>) => {
          try {
            await gate();
          } catch (error) {
            throw new SmtpSendError(error, false);
          }
        },
      } as unknown as SmtpPool,
      mail,
      {
        signal: new AbortController().signal,
        claimedAt: Date.now() - 59_000,
        leaseMs: 60_000,
        markHandover: () => {
          marks += 1;
          return Promise.resolve(true);
        },
      },
    );
    expect(result.ok).toBe(false);
    expect(marks).toBe(0);
    expect(judgeSendFailure(result.ok ? undefined : result.error, false).kind).toBe('aborted');
  });

  it('lets a rejected mark settle before reporting a failed send', async () => {
    const result = await sendWithHandover(
      pool(() => Promise.reject(new SmtpSendError(smtpError(), true))),
      mail,
      {
        signal: new AbortController().signal,
        claimedAt: Date.now(),
        leaseMs: 60_000,
        markHandover: () => Promise.reject(new Error('store down')),
      },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(judgeSendFailure(result.error, false).kind).toBe('unconfirmed');
  });
});
