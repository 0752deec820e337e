// The storage interface every backend implements (SQLite by default, memory for tests; Postgres later).
// It stores Yjs updates as opaque bytes: append many at once, load them back, compact them into one.
// Every backend must pass tests/persistence/store-contract.ts.
//
// Two levels of "stored", because they cost very different amounts of time: a *commit* (append,
// compact) is visible to every reader and survives the server process being killed; `sync()` then
// makes everything committed so far survive a power loss too (an fsync, milliseconds on a good disk,
// tens on a poor one). The server relays an edit once it is committed and acknowledges it as saved
// once it is synced (see server/collaboration/update-writer.ts).

export interface StoredUpdate {
  readonly documentId: string;
  readonly update: Uint8Array;
}

export interface DocumentStore {
  /** Every stored update of the document, oldest first; an unknown document has none. */
  loadUpdates(documentId: string): Promise<Uint8Array[]>;
  /**
   * Commit updates of any number of documents as one atomic unit: when the promise resolves, all of
   * them are visible to readers and survive a crash of this process; when it rejects, none of them
   * were stored.
   */
  appendUpdates(batch: readonly StoredUpdate[]): Promise<void>;
  /**
   * Resolves once everything committed before the call also survives a power loss (at once for a
   * backend that has nothing more to do). Rejects when the storage reports that it could not make
   * it durable; the caller must then commit those updates again before it counts them as safe.
   */
  sync(): Promise<void>;
  /**
   * Atomically replace everything stored for the document with one merged `state`. The caller
   * guarantees that `state` contains every update stored so far (no append for this document is in
   * flight). A crash at any point leaves either the old updates or the new state, never neither.
   */
  compact(documentId: string, state: Uint8Array): Promise<void>;
  /** Number of stored rows for the document (decides when to compact). */
  countUpdates(documentId: string): Promise<number>;
  close(): Promise<void>;
}
