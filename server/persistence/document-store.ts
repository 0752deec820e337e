// The storage interface every backend implements (SQLite by default, memory for tests; Postgres later).
// It stores Yjs updates as opaque bytes: append many at once, load them back, compact them into one.
// Every backend must pass tests/persistence/store-contract.ts.

export interface StoredUpdate {
  readonly documentId: string;
  readonly update: Uint8Array;
}

export interface DocumentStore {
  /** Every stored update of the document, oldest first; an unknown document has none. */
  loadUpdates(documentId: string): Promise<Uint8Array[]>;
  /**
   * Durably store updates of any number of documents as one atomic unit: when the promise resolves,
   * all of them survive a crash; when it rejects, none of them were stored.
   */
  appendUpdates(batch: readonly StoredUpdate[]): Promise<void>;
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
