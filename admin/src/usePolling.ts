import { useCallback, useEffect, useState } from 'react';

export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => Promise<void>;
}

/**
 * `load` now and every `intervalMs` while the page is open (so a second operator's decision or a
 * campaign's progress shows up without a reload), and again whenever `load` changes (memoise it
 * with useCallback over its inputs). `load` returns the data or throws with a message.
 */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();

  const reload = useCallback(async () => {
    try {
      setData(await load());
      setError(undefined);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }, [load]);

  useEffect(() => {
    const first = window.setTimeout(() => void reload(), 0);
    const timer = window.setInterval(() => void reload(), intervalMs);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(timer);
    };
  }, [reload, intervalMs]);

  return { data, error, reload };
}
