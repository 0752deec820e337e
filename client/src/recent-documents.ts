// The documents this browser opened lately, newest first, so the start page can offer them again.
// Kept in localStorage only: the server has no list of documents to hand out (links are the keys).
import { isValidDocumentId } from '../../shared/protocol.js';

export interface RecentDocument {
  documentId: string;
  /** The document's first line when last seen, or '' if it was empty. */
  title: string;
  openedAt: number;
}

const STORAGE_KEY = 'concord.recentDocuments';
export const MAX_RECENT_DOCUMENTS = 8;
const MAX_TITLE_LENGTH = 80;

export function loadRecentDocuments(storage: Storage = window.localStorage): RecentDocument[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((entry): entry is RecentDocument => {
        if (typeof entry !== 'object' || entry === null) return false;
        const { documentId, title, openedAt } = entry as Record<string, unknown>;
        return typeof documentId === 'string' && isValidDocumentId(documentId) && typeof title === 'string' && typeof openedAt === 'number';
      })
      .slice(0, MAX_RECENT_DOCUMENTS);
  } catch {
    return [];
  }
}

/** Moves `documentId` to the front of the list, keeping its last known title unless given a new one. */
export function rememberDocument(
  documentId: string,
  title: string | null,
  storage: Storage = window.localStorage,
  now: number = Date.now(),
): void {
  const existing = loadRecentDocuments(storage);
  const previous = existing.find((entry) => entry.documentId === documentId);
  const entry: RecentDocument = {
    documentId,
    title: (title ?? previous?.title ?? '').slice(0, MAX_TITLE_LENGTH),
    openedAt: now,
  };
  const next = [entry, ...existing.filter((e) => e.documentId !== documentId)].slice(0, MAX_RECENT_DOCUMENTS);
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Storage full or refused: the list is a convenience, the document itself is on the server.
  }
}
