// Content outlives the server process: a clean close (in process) and a SIGTERM (child process) both
// leave everything on disk, also after the stored rows were compacted, and a new server on the same
// DATA_DIR serves it to a fresh client.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCodes, EDITOR_FRAGMENT } from '../../shared/protocol.js';
import { connectProvider } from '../helpers/provider.js';
import { seededRandom } from '../helpers/seed.js';
import { internalErrorsIn, makeDataDir, spawnServerProcess, startTestServer } from '../helpers/test-server.js';
import { startTyping, tagsIn } from '../helpers/typist.js';
import { waitFor, withTimeout } from '../helpers/wait-for.js';

const text = (doc: Y.Doc): Y.Text => doc.getText('text');

describe('restarting the server', () => {
  it('serves the same content after close and start on the same DATA_DIR', async () => {
    const first = await startTestServer({ COMPACT_AFTER_UPDATES: '5' });
    const writer = await connectProvider(first.url, 'kept');
    const reader = await connectProvider(first.url, 'kept');
    const untouched = await connectProvider(first.url, 'kept-too');

    text(writer.doc).insert(0, 'Agenda: 1. Opening');
    // Enough separate updates to pass COMPACT_AFTER_UPDATES, with deletions in between.
    for (let i = 0; i < 12; i++) text(writer.doc).insert(text(writer.doc).length, ` item${i}`);
    text(writer.doc).delete(0, 'Agenda: '.length);
    const paragraph = new Y.XmlElement('heading');
    paragraph.insert(0, [new Y.XmlText('Joint communiqué — البيان المشترك')]);
    writer.doc.getXmlFragment(EDITOR_FRAGMENT).push([paragraph]);
    text(untouched.doc).insert(0, 'second document');

    const expected = text(writer.doc).toJSON();
    await waitFor(() => text(reader.doc).toJSON() === expected, { message: 'the reader to see every edit' });
    await first.close();

    const second = await startTestServer({ DATA_DIR: first.dataDir });
    const fresh = await connectProvider(second.url, 'kept');
    expect(text(fresh.doc).toJSON()).toBe(expected);
    expect(fresh.doc.getXmlFragment(EDITOR_FRAGMENT).toJSON()).toBe(writer.doc.getXmlFragment(EDITOR_FRAGMENT).toJSON());
    const other = await connectProvider(second.url, 'kept-too');
    expect(text(other.doc).toJSON()).toBe('second document');
  });

  it('keeps content after a document was unloaded from memory and loaded again', async () => {
    const server = await startTestServer({ UNLOAD_DELAY_MS: '0', COMPACT_AFTER_UPDATES: '3' });
    const writer = await connectProvider(server.url, 'unloaded');
    for (let i = 0; i < 10; i++) text(writer.doc).insert(0, `${i}`);
    const expected = text(writer.doc).toJSON();
    const reader = await connectProvider(server.url, 'unloaded');
    await waitFor(() => text(reader.doc).toJSON() === expected);
    writer.provider.destroy();
    reader.provider.destroy();

    // Reconnect repeatedly while the room unloads and compacts (UNLOAD_DELAY_MS=0).
    for (let round = 0; round < 5; round++) {
      const again = await connectProvider(server.url, 'unloaded');
      expect(text(again.doc).toJSON()).toBe(expected);
      again.provider.destroy();
    }
  });

  it('on SIGTERM tells clients it is going away (1001), exits 0 and keeps everything', async () => {
    const { rng } = seededRandom();
    const dataDir = await makeDataDir();
    const first = await spawnServerProcess({ dataDir, env: { COMPACT_AFTER_UPDATES: '20' } });
    const writer = await connectProvider(first.url, 'sigterm');
    const reader = await connectProvider(first.url, 'sigterm');
    const typist = startTyping(text(writer.doc), 'w', rng, { everyMs: 2, count: 60 });
    await typist.done;
    await waitFor(() => tagsIn(text(reader.doc).toJSON()).length === 60, { message: 'the reader to see all 60 tags' });

    const closeCodes: number[] = [];
    reader.provider.on('connection-close', (event) => {
      if (event) closeCodes.push(event.code);
    });
    const status = await withTimeout(first.kill('SIGTERM'), 15_000, 'the server to exit after SIGTERM');
    expect(status, first.output()).toEqual({ code: 0, signal: null });
    expect(internalErrorsIn(first.output())).toEqual([]);
    await waitFor(() => closeCodes.length > 0, { message: 'the reader to see the socket close' });
    expect(closeCodes[0]).toBe(CloseCodes.goingAway.code);

    const second = await spawnServerProcess({ dataDir });
    const fresh = await connectProvider(second.url, 'sigterm');
    expect(text(fresh.doc).toJSON()).toBe(text(writer.doc).toJSON());
    expect(tagsIn(text(fresh.doc).toJSON()).sort()).toEqual([...typist.typed].sort());
  });
});
