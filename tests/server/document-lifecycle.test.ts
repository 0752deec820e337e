// Documents live in memory only while someone has them open: loaded on first join, stored, compacted
// and dropped a short while after the last client leaves, and loaded again on the next join.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteDocumentStore } from '../../server/persistence/sqlite-store.js';
import { connectProvider } from '../helpers/provider.js';
import { getHealth, makeDataDir, startTestServer } from '../helpers/test-server.js';
import { BACKGROUND_WORK_TIMEOUT_MS, waitFor } from '../helpers/wait-for.js';

async function documentsInMemory(url: string): Promise<number> {
  const { body } = await getHealth(url);
  return (body as { documentsInMemory: number }).documentsInMemory;
}

describe('document lifecycle', { timeout: 60_000 }, () => {
  it('holds none of 10,000 stored documents in memory until one is opened, and drops it after the last client leaves', async () => {
    const dataDir = await makeDataDir();
    const store = new SqliteDocumentStore(dataDir);
    const batch = [];
    for (let i = 0; i < 10_000; i++) {
      const doc = new Y.Doc();
      doc.getText('text').insert(0, `document ${i}`);
      batch.push({ documentId: `doc-${i}`, update: Y.encodeStateAsUpdate(doc) });
    }
    await store.appendUpdates(batch);
    await store.close();

    const server = await startTestServer({ DATA_DIR: dataDir, UNLOAD_DELAY_MS: '50', COMPACT_AFTER_UPDATES: '5' });
    expect(await documentsInMemory(server.url)).toBe(0);

    const client = await connectProvider(server.url, 'doc-9876');
    expect(client.doc.getText('text').toJSON()).toBe('document 9876');
    expect(await documentsInMemory(server.url)).toBe(1);
    for (let i = 0; i < 12; i++) client.doc.getText('text').insert(0, `${i}`);
    client.provider.destroy();

    // Edited, so an automatic version (export process) comes before the unload.
    await waitFor(async () => (await documentsInMemory(server.url)) === 0, {
      timeout: BACKGROUND_WORK_TIMEOUT_MS,
      message: 'the document to be unloaded after its last client left',
    });
    // Unloading stored and compacted it: one row holding everything.
    const reopened = await connectProvider(server.url, 'doc-9876');
    expect(reopened.doc.getText('text').toJSON()).toBe('11109876543210document 9876');
    await server.close();
    const check = new SqliteDocumentStore(dataDir);
    expect(await check.countUpdates('doc-9876')).toBe(1);
    await check.close();
  });
});
