// Where a change to a room's Y.Doc came from. The room reads this in one place to decide whether the
// change is stored and to whom it is relayed (see Room.onDocumentUpdate).
import type { Connection } from './connection.js';

export type UpdateOrigin =
  /** A client's update: stored, then relayed to every other connection in the room. */
  | { readonly kind: 'connection'; readonly connection: Connection }
  /** Replayed from storage while loading: neither stored again nor relayed. */
  | { readonly kind: 'storage' }
  /** Made by the server itself (e.g. a restore): stored, then relayed to every connection. */
  | { readonly kind: 'server'; readonly reason: string };

export const STORAGE_ORIGIN: UpdateOrigin = { kind: 'storage' };

export function isUpdateOrigin(value: unknown): value is UpdateOrigin {
  return typeof value === 'object' && value !== null && 'kind' in value;
}
