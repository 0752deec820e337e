// What the document page concludes when the server refuses its socket: the person's access was
// revoked, their session ended, the document is gone, or (access merely changed) the page may
// reconnect. Decided from the close code and a fresh `GET /api/documents/:id`, since neither alone
// tells "revoked" from "your role changed" or "the server is down" from "you may not".
import { CloseCodes } from '../../../shared/protocol.js';

export type AccessLoss = 'revoked' | 'signed-out' | 'removed';

export type AccessVerdict =
  /** The API still lets you in: reconnect (with the access it now says you have). */
  | { kind: 'readmit' }
  /** Nothing is known yet (server unreachable): keep trying as before. */
  | { kind: 'keep-trying' }
  | { kind: 'lost'; loss: AccessLoss };

/**
 * `closeCode`: the socket's close code when the server closed it, or null when the socket never
 * opened. `checkStatus`: the status of the fresh document request (0 = server unreachable).
 */
export function judgeAccess(closeCode: number | null, checkStatus: number): AccessVerdict {
  if (closeCode === CloseCodes.unauthenticated.code) return { kind: 'lost', loss: 'signed-out' };
  if (checkStatus >= 200 && checkStatus < 300) return { kind: 'readmit' };
  if (checkStatus === 404) return { kind: 'lost', loss: 'removed' };
  if (checkStatus === 403) return { kind: 'lost', loss: 'revoked' };
  // A revoked person's session stops working too, so after a revocation close the API answers 401.
  if (checkStatus === 401) return { kind: 'lost', loss: closeCode === CloseCodes.accessRevoked.code ? 'revoked' : 'signed-out' };
  // The server said "revoked" on the socket; an unreachable API does not take that back.
  if (closeCode === CloseCodes.accessRevoked.code) return { kind: 'lost', loss: 'revoked' };
  return { kind: 'keep-trying' };
}

export interface AccessLossText {
  title: string;
  body: string;
  linkText: string;
}

export const ACCESS_LOSS_TEXT: Record<AccessLoss, AccessLossText> = {
  revoked: {
    title: 'Your access has been revoked',
    body: 'The organisers revoked your access to this document. What you see is no longer updated, and nothing you type here is saved.',
    linkText: 'Go to the lobby',
  },
  'signed-out': {
    title: 'You are signed out',
    body: 'Your session has ended. Sign in again with your invitation link to keep working; what you see here is no longer updated.',
    linkText: 'Sign in again',
  },
  removed: {
    title: 'This document no longer exists',
    body: 'It was removed while you had it open. What you see here is no longer updated.',
    linkText: 'Go to the lobby',
  },
};
