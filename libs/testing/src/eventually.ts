import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` until it returns something other than `undefined` or `false`, and returns that;
 * fails after `timeoutMs`. Hand-written because p-wait-for, the usual library, is ESM-only and
 * these tests run as CommonJS under Jest.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
