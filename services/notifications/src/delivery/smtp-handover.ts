import { setTimeout as sleep } from 'node:timers/promises';
import type { ComposedMail } from './mail-message';
import { SendAbortedError, type SmtpPool, SmtpSendError } from './smtp-pool';

/**
 * The send step both email processors share (transactional `email` and `campaign-email`): the
 * SMTP envelope and body go out, then, just before the final `.` of DATA, the gate checks that the
 * worker is not shutting down and that the claim has time left, and writes the hand-over mark.
 * The end of the message follows at the next turn of the event loop: by then the store's driver
 * has written the mark to its socket (it needs no I/O to get there), so the mark leaves the
 * process first and the end follows a fraction of a millisecond later, without waiting for the
 * store's answer. A crash between the two is the only way a message can be lost.
 */
export interface HandoverSendOptions {
  readonly signal: AbortSignal;
  /** When the claim was taken (ms) and how long it holds. */
  readonly claimedAt: number;
  readonly leaseMs: number;
  /** Writes the hand-over mark; resolves to whether it applied (the claim was still ours). */
  readonly markHandover: () => Promise<boolean>;
}

export type HandoverSendResult =
  /** The server answered 250; `markApplied` is false when the mark found the claim gone. */
  | { readonly ok: true; readonly markApplied: boolean }
  /** The send failed; the mark (if it went out) has settled. */
  | { readonly ok: false; readonly error: unknown };

export async function sendWithHandover(
  smtp: SmtpPool,
  mail: ComposedMail,
  options: HandoverSendOptions,
): Promise<HandoverSendResult> {
  const { signal, claimedAt, leaseMs } = options;
  let handover: Promise<boolean> | undefined;
  try {
    await smtp.send(
      mail.envelope,
      mail.raw,
      () => {
        if (signal.aborted) throw new SendAbortedError('the worker is shutting down');
        // Other workers take the claim over only once the lease has run out by their clock;
        // stop well before that (the margin absorbs clock skew between workers).
        if (Date.now() > claimDeadline(claimedAt, leaseMs)) {
          throw new SendAbortedError('the claim is about to run out; trying again later');
        }
        handover = options.markHandover();
        handover.catch(() => undefined); // settled below
        return new Promise<void>((resolve) => setImmediate(resolve));
      },
      signal,
    );
  } catch (error) {
    // Whatever happens next is conditional on the claim: let the hand-over mark land first.
    if (handover) await settled(handover);
    return { ok: false, error };
  }
  return { ok: true, markApplied: handover ? await settled(handover) : false };
}

/** What to do about a failed send. */
export type SendFailure =
  /**
   * The end of the message went out but no answer came back (connection lost): the server most
   * likely accepted it. Counting it as sent (unconfirmed) is the side that never duplicates.
   */
  | { readonly kind: 'unconfirmed'; readonly reason: string }
  /** Stopped before the hand-over (shutdown, claim running out): release, not an attempt. */
  | { readonly kind: 'aborted'; readonly reason: string }
  /** A permanent refusal (5xx) or the job's last attempt: failed for good. */
  | { readonly kind: 'failed'; readonly reason: string }
  /** Anything else: release the claim and let BullMQ retry with backoff. */
  | { readonly kind: 'retry'; readonly reason: string };

export function judgeSendFailure(error: unknown, lastAttempt: boolean): SendFailure {
  const smtp = error instanceof SmtpSendError ? error : undefined;
  const cause = smtp ? smtp.cause : error;
  if (smtp?.handedOver && smtp.responseCode === undefined) {
    return { kind: 'unconfirmed', reason: smtp.message };
  }
  const reason = describe(error);
  if (cause instanceof SendAbortedError) return { kind: 'aborted', reason };
  if (smtp?.permanent || lastAttempt) return { kind: 'failed', reason };
  return { kind: 'retry', reason };
}

/**
 * Records a message the server accepted, retrying a failing write (100 ms, doubling, at most 2 s
 * apart) until the claim's deadline: after it, another attempt may take the claim over, and only
 * this process knows the message went out. A plain loop rather than a retry library, because the
 * bound is this claim's deadline, not a number of tries.
 */
export async function recordUntil(
  write: () => Promise<void>,
  deadline: number,
  what: string,
): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      lastError = error;
      const pause = Math.min(100 * 2 ** attempt, 2000);
      if (Date.now() + pause > deadline) break;
      await sleep(pause);
    }
  }
  throw new Error(`${what} was sent but could not be recorded: ${describe(lastError)}`);
}

/** The last moment a claim may hand a message over: its lease less a safety margin. */
export function claimDeadline(claimedAt: number, leaseMs: number): number {
  return claimedAt + leaseMs - leaseMargin(leaseMs);
}

/** Stop sending this long before the claim's lease runs out (a quarter of it, at most 10 s). */
export function leaseMargin(leaseMs: number): number {
  return Math.min(Math.floor(leaseMs / 4), 10_000);
}

/** The promise's value, or false when it rejected (the rejection is handled by the caller's log). */
export async function settled(write: Promise<boolean>): Promise<boolean> {
  try {
    return await write;
  } catch {
    return false;
  }
}

export function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}
