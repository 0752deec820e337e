// Who is signed in, as the server says (`GET /api/me`): loaded once when the app starts, again after
// joining through an invitation, and dropped when the server stops recognising the session (signed
// out elsewhere, or revoked). The session itself is an httpOnly cookie this code never sees.
import { useCallback, useEffect, useState } from 'react';
import type { MeView } from '../../shared/workspace.js';
import { ApiError, workspaceApi } from './workspace/workspace-api.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-in'; me: MeView }
  /** `ended`: we were signed in and the server stopped accepting the session (revoked, expired). */
  | { status: 'signed-out'; ended: boolean }
  | { status: 'unreachable'; message: string };

export interface Session {
  state: SessionState;
  /** Asks the server again; resolves once the state is known. */
  refresh: () => Promise<void>;
  /** Signs out on the server (clears the cookie) and forgets the person here. */
  signOut: () => Promise<void>;
  /** A request answered 401: the session is gone, whatever we believed. */
  ended: () => void;
}

export function useSession(): Session {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async (signal?: AbortSignal) => {
    try {
      const me = await workspaceApi.me(signal);
      setState({ status: 'signed-in', me });
    } catch (error) {
      if (signal?.aborted) return;
      if (error instanceof ApiError && error.status === 401) setState({ status: 'signed-out', ended: false });
      else setState({ status: 'unreachable', message: error instanceof ApiError ? error.message : 'Could not reach the Concord server.' });
    }
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    void refresh(abort.signal);
    return () => abort.abort();
  }, [refresh]);

  const signOut = useCallback(async () => {
    try {
      await workspaceApi.signOut();
    } catch {
      // Even if the server is unreachable, this tab stops acting as the person; the cookie expires on its own.
    }
    setState({ status: 'signed-out', ended: false });
  }, []);

  const ended = useCallback(() => {
    setState((current) => (current.status === 'signed-out' ? current : { status: 'signed-out', ended: true }));
  }, []);

  return { state, refresh: () => refresh(), signOut, ended };
}
