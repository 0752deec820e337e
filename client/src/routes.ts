// The client's pages and their URLs: `/` (the lobby, or the sign-in explanation), `/join/<code>` (an
// invitation link) and `/d/<documentId>` (a document). Also reads a document id or an invitation code
// back out of whatever a user pastes (a full link or the bare value).
import { isValidDocumentId } from '../../shared/protocol.js';

export type Route =
  | { page: 'home' }
  | { page: 'join'; code: string }
  | { page: 'document'; documentId: string }
  | { page: 'not-found'; path: string };

const DOCUMENT_PATH = /^\/d\/([^/]+)\/?$/;
const JOIN_PATH = /^\/join\/([^/]+)\/?$/;
/** Invitation codes are base64url (the server makes 24 characters); the server accepts up to 200. */
const INVITATION_CODE = /^[A-Za-z0-9_-]{8,200}$/;

export function isPlausibleInvitationCode(code: string): boolean {
  return INVITATION_CODE.test(code);
}

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  const document = DOCUMENT_PATH.exec(pathname);
  if (document) {
    const documentId = safeDecode(document[1] ?? '');
    if (documentId !== null && isValidDocumentId(documentId)) return { page: 'document', documentId };
  }
  const join = JOIN_PATH.exec(pathname);
  if (join) {
    const code = safeDecode(join[1] ?? '');
    if (code !== null && isPlausibleInvitationCode(code)) return { page: 'join', code };
  }
  return { page: 'not-found', path: pathname };
}

export function documentPath(documentId: string): string {
  return `/d/${encodeURIComponent(documentId)}`;
}

export function joinPath(code: string): string {
  return `/join/${encodeURIComponent(code)}`;
}

/** An invitation code from a pasted link (`https://host/join/abc…`, `/join/abc…`) or a bare code; null if neither. */
export function invitationCodeFromInput(input: string): string | null {
  const text = input.trim();
  if (text === '') return null;
  if (isPlausibleInvitationCode(text)) return text;
  const route = parseRoute(pathnameOf(text) ?? '');
  return route.page === 'join' ? route.code : null;
}

/** A document id from a pasted link (`https://host/d/abc`, `/d/abc`) or a bare id; null if neither. */
export function documentIdFromInput(input: string): string | null {
  const text = input.trim();
  if (text === '') return null;
  if (isValidDocumentId(text)) return text;
  const route = parseRoute(pathnameOf(text) ?? '');
  return route.page === 'document' ? route.documentId : null;
}

/** The path of a full or relative link, ignoring its host: links may come from another address of the same server. */
function pathnameOf(text: string): string | null {
  try {
    return new URL(text, 'http://concord.invalid').pathname;
  } catch {
    return null;
  }
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Moves to `path` without a reload and tells the app (pushState fires no event of its own). */
export function navigate(path: string): void {
  if (window.location.pathname === path) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
