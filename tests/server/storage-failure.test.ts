// When storage fails, nothing is lost and nothing unsaved leaks: the document stays in memory, edits
// are not relayed (relay follows the commit), the health check says "retrying", and once storage works
// again every edit is stored and delivered. When only making commits durable (the sync) fails or is
// slow, edits are relayed (they are committed) but nobody is told they are saved until they are durable.
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import { pino } from 'pino';
import { readConfig } from '../../server/config.js';
import { startConcord } from '../../server/main.js';
import type { DocumentStore, StoredUpdate } from '../../server/persistence/document-store.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-store.js';
import { connectProvider, requestSave } from '../helpers/provider.js';
import { getHealth } from '../helpers/test-server.js';
import { organiserToken, registerServer } from '../helpers/test-access.js';
import { BACKGROUND_WORK_TIMEOUT_MS, pendingAfterATurn, waitFor } from '../helpers/wait-for.js';
import type { VersionListView } from '../../shared/versions.js';
import { api, setBlocks } from './versions-support.js';

/** A memory store whose appends and syncs can be made to fail (or syncs to wait), counting the attempts. */
class FlakyStore implements DocumentStore {
  readonly inner = new MemoryDocumentStore();
  failing = false;
  failedAppends = 0;
  loads = 0;
  syncFailing = false;
  failedSyncs = 0;
  holdingSyncs = false;
  readonly heldSyncs: Array<() => void> = [];
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
  sync(): Promise<void> {
    if (this.syncFailing) {
      this.failedSyncs++;
      return Promise.reject(new Error('EIO: fsync failed (simulated)'));
    }
    if (this.holdingSyncs) return new Promise((resolve) => this.heldSyncs.push(resolve));
    return this.inner.sync();
  }
  releaseSyncs(): void {
    this.holdingSyncs = false;
    for (const release of this.heldSyncs.splice(0)) release();
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

  it('relays a committed edit at once but acknowledges it as saved only once the store made it durable', async () => {
    const store = new FlakyStore();
    const server = await startWith(store);
    const a = await connectProvider(server.url, 'slow-disk');
    const b = await connectProvider(server.url, 'slow-disk');

    store.holdingSyncs = true;
    a.doc.getText('text').insert(0, 'د سولې لپاره ګډې هڅې');
    const saved = requestSave(a.provider, 1);
    // The other delegate sees the edit while the disk is still flushing it…
    await waitFor(() => b.doc.getText('text').toJSON() === 'د سولې لپاره ګډې هڅې', { message: 'the committed edit to be relayed' });
    await waitFor(() => store.heldSyncs.length > 0, { message: 'the server to ask for a sync' });
    expect(await storedText(store.inner, 'slow-disk')).toBe('د سولې لپاره ګډې هڅې');
    // …but its author is not told it is saved before the flush completes.
    expect(await pendingAfterATurn(saved)).toBe(true);
    store.releaseSyncs();
    await expect(saved).resolves.toBeUndefined();
  });

  it('stores the edits of a failed sync again and acknowledges them only once a sync succeeds', async () => {
    const store = new FlakyStore();
    const server = await startWith(store);
    const a = await connectProvider(server.url, 'eio');
    const b = await connectProvider(server.url, 'eio');

    store.syncFailing = true;
    a.doc.getText('text').insert(0, 'Joint communiqué: ');
    const saved = requestSave(a.provider, 1, 20_000);
    await waitFor(() => b.doc.getText('text').toJSON() === 'Joint communiqué: ', { message: 'the committed edit to be relayed' });
    await waitFor(() => store.failedSyncs >= 2, { message: 'the server to retry the failed sync' });
    expect(await pendingAfterATurn(saved)).toBe(true);
    expect((await getHealth(server.url)).body).toMatchObject({ ok: true, storage: 'retrying' });
    const rowsWhileFailing = await store.inner.countUpdates('eio');

    store.syncFailing = false;
    await expect(saved).resolves.toBeUndefined();
    // The retry committed the edit again (Yjs ignores the duplicate) before the sync that succeeded.
    expect(await store.inner.countUpdates('eio')).toBeGreaterThan(rowsWhileFailing);
    expect(await storedText(store.inner, 'eio')).toBe('Joint communiqué: ');
    expect((await getHealth(server.url)).body).toMatchObject({ storage: 'ok' });
  });

  it('gets relayed edits that a power cut took from its disk back from the pages that hold them', async () => {
    const before = new FlakyStore();
    const first = await startWith(before);
    const author = await connectProvider(first.url, 'power-cut');
    const colleague = await connectProvider(first.url, 'power-cut');
    author.doc.getText('text').insert(0, 'Saved before the cut. ');
    await requestSave(author.provider, 1);
    const durableRows = await before.inner.loadUpdates('power-cut');

    // Committed and relayed, but the flush never completes: the power goes.
    before.holdingSyncs = true;
    author.doc.getText('text').insert(author.doc.getText('text').length, 'Relayed, never flushed.');
    const everything = 'Saved before the cut. Relayed, never flushed.';
    await waitFor(() => colleague.doc.getText('text').toJSON() === everything, { message: 'the edit to be relayed' });
    author.provider.destroy();
    colleague.provider.destroy();

    // The server comes back with only what was flushed.
    const after = new MemoryDocumentStore();
    await after.appendUpdates(durableRows.map((update) => ({ documentId: 'power-cut', update })));
    const second = await startWith(after);
    const newcomer = await connectProvider(second.url, 'power-cut');
    expect(newcomer.doc.getText('text').toJSON()).toBe('Saved before the cut. ');
    // The colleague's page reconnects (as y-websocket does after any outage) and the sync exchange
    // hands the server what it lacks; everyone has it again, and it is stored.
    const reconnected = await connectProvider(second.url, 'power-cut', { doc: colleague.doc });
    await waitFor(() => newcomer.doc.getText('text').toJSON() === everything, { message: 'the lost edit to come back' });
    await requestSave(reconnected.provider, 2);
    expect(await storedText(after, 'power-cut')).toBe(everything);
    before.releaseSyncs();
  });

  it('keeps a document in memory until its edits are flushed, so a reload cannot acknowledge them early', { timeout: 60_000 }, async () => {
    const store = new FlakyStore();
    const server = await startWith(store, { UNLOAD_DELAY_MS: '0' });
    const author = await connectProvider(server.url, 'unflushed');
    store.holdingSyncs = true;
    setBlocks(author.doc, ['Draft recommendation 4: open the Torkham crossing at night']);
    await waitFor(async () => (await store.inner.countUpdates('unflushed')) > 0, { message: 'the edit to be committed' });
    await waitFor(() => store.heldSyncs.length > 0, { message: 'the server to ask for a sync' });
    author.provider.destroy();
    // Nobody has it open: the unload begins, saving an automatic version first (its last step before
    // the document is dropped). Once that version exists, the document would be gone — but it stays
    // loaded while the flush is owed…
    const token = await organiserToken(server.url);
    await waitFor(
      async () => {
        const answer = await api<VersionListView>(server, token, 'GET', '/documents/unflushed/versions');
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        return answer.body.versions.some((v) => v.kind === 'auto');
      },
      { timeout: BACKGROUND_WORK_TIMEOUT_MS, message: 'the automatic version of the unload' },
    );
    expect(((await getHealth(server.url)).body as { documentsInMemory: number }).documentsInMemory).toBe(1);
    // …and unloads once it is done.
    store.releaseSyncs();
    await waitFor(async () => ((await getHealth(server.url)).body as { documentsInMemory: number }).documentsInMemory === 0, {
      timeout: BACKGROUND_WORK_TIMEOUT_MS,
      message: 'the document to unload after the flush',
    });
  });

  it('loads a document once when many clients join at once', async () => {
    const store = new FlakyStore();
    const server = await startWith(store);
    const clients = await Promise.all(Array.from({ length: 20 }, () => connectProvider(server.url, 'crowd')));
    expect(clients).toHaveLength(20);
    expect(store.loads).toBe(1);
  });
});
