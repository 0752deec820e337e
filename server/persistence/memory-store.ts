// In-memory DocumentStore: for tests and for STORAGE=memory demos. Nothing survives a restart.
import type { DocumentStore, StoredUpdate } from './document-store.js';
import { settleNow } from './settle-now.js';

export class MemoryDocumentStore implements DocumentStore {
  private readonly documents = new Map<string, Uint8Array[]>();
  private closed = false;

  loadUpdates(documentId: string): Promise<Uint8Array[]> {
    return settleNow(() => {
      this.assertOpen();
      return (this.documents.get(documentId) ?? []).map((u) => u.slice());
    });
  }

  appendUpdates(batch: readonly StoredUpdate[]): Promise<void> {
    return settleNow(() => {
      this.assertOpen();
      for (const { documentId, update } of batch) {
        let updates = this.documents.get(documentId);
        if (!updates) this.documents.set(documentId, (updates = []));
        // Copy: the caller's buffer may be a view into a socket frame that gets reused.
        updates.push(update.slice());
      }
    });
  }

  /** Nothing to make durable: memory survives neither a crash nor a power loss. */
  sync(): Promise<void> {
    return settleNow(() => this.assertOpen());
  }

  compact(documentId: string, state: Uint8Array): Promise<void> {
    return settleNow(() => {
      this.assertOpen();
      this.documents.set(documentId, [state.slice()]);
    });
  }

  countUpdates(documentId: string): Promise<number> {
    return settleNow(() => {
      this.assertOpen();
      return this.documents.get(documentId)?.length ?? 0;
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}
