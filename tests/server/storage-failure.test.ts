// When storage fails, nothing is lost and nothing unsaved leaks: the document stays in memory, edits
// are not relayed (relay follows the commit), the health check says "retrying", and once storage works
// again every edit is stored and delivered.
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import { pino } from 'pino';
import { readConfig } from '../../server/config.js';
import { startConcord } from '../../server/main.js';
import type { DocumentStore, StoredUpdate } from '../../server/persistence/document-store.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-store.js';
import { connectProvider, requestSave } from '../helpers/provider.js';
import { getHealth } from '../helpers/test-server.js';
import { registerServer } from '../helpers/test-access.js';
import { waitFor } from '../helpers/wait-for.js';

/** A memory store whose appends can be made to fail, counting the attempts. */
class FlakyStore implements DocumentStore {
  readonly inner = new MemoryDocumentStore();
  failing = false;
  failedAppends = 0;
  loads = 0;
  loadUpdates(documentId: string): Promise<Uint8Array[]> {
    this.loads++;
    return this.inner.loadUpdates(documentId);
  }
  appendUpdates(batch: readonly StoredUpdate[]): Promise<void> {
    if (this.failing) {
      this.failedAppends++;
      return Promise.reject(new Error('disk full (simulated)'));
    }
    return this.inner.appendUpdates(batch);
  }
  compact(documentId: string, state: Uint8Array): Promise<void> {
    return this.inner.compact(documentId, state);
  }
  countUpdates(documentId: string): Promise<number> {
    return this.inner.countUpdates(documentId);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function startWith(store: DocumentStore, env: Record<string, string> = {}) {
  // STORAGE=memory keeps the workspace (people, documents) in memory too; documents go to `store`.
  const server = await startConcord(readConfig({ PORT: '0', HOST: '127.0.0.1', STORAGE: 'memory', ...env }), {
    store,
    log: pino({ level: 'silent' }),
  });
  onTestFinished(() => server.close());
  registerServer(server.url, `memory:${server.url}`, server.organiserInvitationUrl);
  return server;
}

async function storedText(store: DocumentStore, documentId: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of await store.loadUpdates(documentId)) Y.applyUpdate(doc, update);
  return doc.getText('text').toJSON();
}

describe('storage failures', () => {
  it('keeps edits in memory, relays nothing unsaved, and delivers and stores everything once storage recovers', async () => {
    const store = new FlakyStore();
    const server = await startWith(store);
    const a = await connectProvider(server.url, 'flaky');
    const b = await connectProvider(server.url, 'flaky');

    store.failing = true;
    a.doc.getText('text').insert(0, 'سولې while the disk is full');
    await waitFor(() => store.failedAppends >= 2, { message: 'the server to retry the failed commit' });
    // Retried at least once, yet the edit reached nobody: relay waits for the commit.
    expect(b.doc.getText('text').toJSON()).toBe('');
    expect((await getHealth(server.url)).body).toMatchObject({ ok: true, storage: 'retrying' });
    const saved = requestSave(a.provider, 1, 20_000);

    store.failing = false;
    await saved;
    expect(await storedText(store.inner, 'flaky')).toBe('سولې while the disk is full');
    await waitFor(() => b.doc.getText('text').toJSON() === 'سولې while the disk is full', {
      timeout: 10_000,
      message: 'the edit to reach the other client after recovery',
    });
    expect((await getHealth(server.url)).body).toMatchObject({ storage: 'ok' });
  });

  it('loads a document once when many clients join at once', async () => {
    const store = new FlakyStore();
    const server = await startWith(store);
    const clients = await Promise.all(Array.from({ length: 20 }, () => connectProvider(server.url, 'crowd')));
    expect(clients).toHaveLength(20);
    expect(store.loads).toBe(1);
  });
});
