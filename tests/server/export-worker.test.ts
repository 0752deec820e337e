// The export process as the server uses it: a bounded queue for exports and comparisons, and reads
// of the live text (what every open versions panel polls) that are never refused for a full queue.
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import { ExportWorker, MAX_JOBS_IN_FLIGHT } from '../../server/export/export-worker-client.js';
import { createLogger } from '../../server/log.js';
import { setBlocks } from './versions-support.js';

describe('export process', () => {
  it('refuses exports and comparisons beyond its queue, but never a read of the live text', async () => {
    const worker = new ExportWorker({ chromiumPath: null, logLevel: 'silent', storedFile: null, log: createLogger('silent') });
    onTestFinished(() => worker.close());
    const doc = new Y.Doc();
    setBlocks(doc, ['Joint communiqué', 'د سولې لپاره همکارۍ']);
    const state = Y.encodeStateAsUpdate(doc);
    const job = { from: state, to: state, authors: { writers: [], deletions: [] } };
    // All submitted in one turn: none can have been answered yet.
    const accepted = Array.from({ length: MAX_JOBS_IN_FLIGHT }, () => worker.compare(job));
    const refused = worker.compare(job);
    const read = worker.describe({ text: { kind: 'state', state }, full: true });
    await expect(refused).rejects.toMatchObject({ status: 503, code: 'export_busy' });
    const described = await read;
    expect(described).toMatchObject({ characters: 'Joint communiqué'.length + 'د سولې لپاره همکارۍ'.length });
    expect(described.content?.text).toBe('Joint communiqué\nد سولې لپاره همکارۍ');
    for (const comparison of await Promise.all(accepted)) {
      expect(comparison.summary).toMatchObject({ insertedCharacters: 0, deletedCharacters: 0 });
      expect(comparison.fromHash).toBe(described.contentHash);
    }
  });
});
