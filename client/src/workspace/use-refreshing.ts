// Data from the server that should stay current while the page is open (who is online, links'
// joined counts): loaded at once, again every few seconds while the tab is visible, and at once when
// the person comes back to the tab. A refresh never blanks what is shown; a failed one is reported
// beside the data it could not renew.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Refreshing<T> {
  data: T | null;
  /** The last refresh's failure, cleared by the next success. */
  error: unknown;
  /** Loads again now (after a change this page made); resolves when done. */
  reload: () => Promise<void>;
}

export function useRefreshing<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number | null, onError?: (error: unknown) => void): Refreshing<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef({ load, onError });
  latest.current = { load, onError };
  const inFlight = useRef<AbortController | null>(null);

  const reload = useCallback(async () => {
    // A newer request supersedes an older one, so an answer never overwrites a fresher one.
    inFlight.current?.abort();
    const abort = new AbortController();
    inFlight.current = abort;
    try {
      const loaded = await latest.current.load(abort.signal);
      if (abort.signal.aborted) return;
      setData(loaded);
      setError(null);
    } catch (failure) {
      if (abort.signal.aborted) return;
      setError(failure);
      latest.current.onError?.(failure);
    } finally {
      if (inFlight.current === abort) inFlight.current = null;
    }
  }, []);

  useEffect(() => {
    void reload();
    const refreshIfVisible = (): void => {
      if (document.visibilityState === 'visible') void reload();
    };
    const timer = intervalMs === null ? null : setInterval(refreshIfVisible, intervalMs);
    window.addEventListener('focus', refreshIfVisible);
    document.addEventListener('visibilitychange', refreshIfVisible);
    return () => {
      if (timer !== null) clearInterval(timer);
      window.removeEventListener('focus', refreshIfVisible);
      document.removeEventListener('visibilitychange', refreshIfVisible);
      inFlight.current?.abort();
    };
  }, [reload, intervalMs]);

  return { data, error, reload };
}
