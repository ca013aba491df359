/** Error raised when a dependency (a check, Redis, a queue) does not answer in time. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Runs `work` and rejects with a TimeoutError after `ms`. The late result of `work` is swallowed, so
 * a hanging driver call can never become an unhandled rejection after the caller gave up. The timer
 * does not keep the process alive (a queue that hangs while closing must not hold up the exit).
 * Health checks, the token verifier and the analytics publisher share it.
 */
export async function withTimeout<T>(work: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const pending = Promise.resolve().then(work);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
    pending.catch(() => undefined);
  }
}
