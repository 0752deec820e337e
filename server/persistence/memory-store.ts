// In-memory DocumentStore: for tests and for STORAGE=memory demos. Nothing survives a restart.
import type { DocumentStore, StoredUpdate } from './document-store.js';

export class MemoryDocumentStore implements DocumentStore {
  private readonly documents = new Map<string, Uint8Array[]>();
  private closed = false;

  loadUpdates(documentId: string): Promise<Uint8Array[]> {
    this.assertOpen();
    return Promise.resolve((this.documents.get(documentId) ?? []).map((u) => u.slice()));
  }

  appendUpdates(batch: readonly StoredUpdate[]): Promise<void> {
    this.assertOpen();
    for (const { documentId, update } of batch) {
      let updates = this.documents.get(documentId);
      if (!updates) this.documents.set(documentId, (updates = []));
      // Copy: the caller's buffer may be a view into a socket frame that gets reused.
      updates.push(update.slice());
    }
    return Promise.resolve();
  }

  compact(documentId: string, state: Uint8Array): Promise<void> {
    this.assertOpen();
    this.documents.set(documentId, [state.slice()]);
    return Promise.resolve();
  }

  countUpdates(documentId: string): Promise<number> {
    this.assertOpen();
    return Promise.resolve(this.documents.get(documentId)?.length ?? 0);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}
