/** How long after listening the process is left to settle before the one collection. */
export const STARTUP_GC_DELAY_MS = 5_000;

/**
 * One full collection a few seconds after the app listens. Loading modules, decorator metadata,
 * building validators and the Temporal worker's bundle leave tens of megabytes of garbage in the
 * old generation; V8 collects it only when allocation later pushes the heap to its next limit, so
 * an idle process would keep it resident indefinitely (about 10 MB per process here;
 * docs/benchmarks.md, "Idle memory"). Needs `--expose-gc` (tools/src/node-flags.ts): without it,
 * nothing happens. The timer does not hold the process open.
 */
export function collectStartupGarbage(delayMs = STARTUP_GC_DELAY_MS): NodeJS.Timeout | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return undefined;
  const timer = setTimeout(() => gc(), delayMs);
  timer.unref();
  return timer;
}
