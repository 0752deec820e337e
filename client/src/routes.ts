// The client's two pages and their URLs: `/` (start) and `/d/<documentId>` (a document). Also makes
// new document ids and reads an id back out of whatever a user pastes (a full link or a bare id).
import { isValidDocumentId } from '../../shared/protocol.js';

export type Route = { page: 'home' } | { page: 'document'; documentId: string } | { page: 'not-found'; path: string };

const DOCUMENT_PATH = /^\/d\/([^/]+)\/?$/;

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  const match = DOCUMENT_PATH.exec(pathname);
  if (match) {
    const documentId = safeDecode(match[1] ?? '');
    if (documentId !== null && isValidDocumentId(documentId)) return { page: 'document', documentId };
  }
  return { page: 'not-found', path: pathname };
}

export function documentPath(documentId: string): string {
  return `/d/${encodeURIComponent(documentId)}`;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const NEW_DOCUMENT_ID_LENGTH = 12;

/**
 * 12 characters from a 64-letter alphabet: 72 random bits, so ids cannot be guessed. Until there
 * are accounts, knowing a document's link is what grants access to it.
 */
export function newDocumentId(getRandomValues: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = getRandomValues(new Uint8Array(NEW_DOCUMENT_ID_LENGTH));
  // 256 is a multiple of 64, so `% 64` keeps every letter equally likely.
  return Array.from(bytes, (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

/** A document id from a pasted link (`https://host/d/abc`, `/d/abc`) or a bare id; null if neither. */
export function documentIdFromInput(input: string): string | null {
  const text = input.trim();
  if (text === '') return null;
  if (isValidDocumentId(text)) return text;
  let pathname: string;
  try {
    pathname = new URL(text, 'http://concord.invalid').pathname;
  } catch {
    return null;
  }
  const route = parseRoute(pathname);
  return route.page === 'document' ? route.documentId : null;
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
