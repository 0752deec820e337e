// Runs one server change from a form or button, keeping what the person needs to see: that it is
// under way (so a second click does not send it twice) and, if it failed, why, in words.
import { useCallback, useState } from 'react';
import { ApiError, describeApiError } from '../workspace/workspace-api.js';

export interface Action {
  busy: boolean;
  error: string | null;
  /** Runs `change`; resolves true when it succeeded. A 401 also tells the app the session ended. */
  run: (change: () => Promise<unknown>) => Promise<boolean>;
  clearError: () => void;
}

export function useAction(onSessionEnded: () => void): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (change: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      try {
        await change();
        return true;
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
        setError(describeApiError(failure));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [onSessionEnded],
  );
  return { busy, error, run, clearError: useCallback(() => setError(null), []) };
}
