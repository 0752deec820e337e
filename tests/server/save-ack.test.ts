// Concord's save acknowledgement: `[100, seq]` is echoed exactly once every update received before it
// on that socket is on disk. Proven the hard way: SIGKILL the server the moment the ack arrives and
// check that a new process on the same DATA_DIR has every edit, deletions included.
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { readSaveAck, saveRequestFrame, syncUpdateFrame, textInsertUpdate } from '../helpers/frames.js';
import { connectProvider, requestSave } from '../helpers/provider.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { seededRandom } from '../helpers/seed.js';
import { makeDataDir, spawnServerProcess, startTestServer } from '../helpers/test-server.js';
import { insertAtRandomBoundary } from '../helpers/typist.js';
import { waitFor } from '../helpers/wait-for.js';

const text = (doc: Y.Doc): Y.Text => doc.getText('text');

describe('save acknowledgement', () => {
  it('echoes [100, seq] byte for byte, in order, for any seq', async () => {
    const server = await startTestServer();
    const socket = await RawSocket.open(server.url, 'acks');
    const seqs = [7, 0, 127, 128, 2 ** 31, 2 ** 40];
    for (const seq of seqs) socket.send(saveRequestFrame(seq));
    const echoed = (): number[] => socket.received.map(readSaveAck).filter((seq) => seq !== undefined);
    await waitFor(() => echoed().length >= seqs.length, { message: 'every save request to be echoed' });
    expect(echoed()).toEqual(seqs);
    expect(socket.received.filter((f) => readSaveAck(f) === 7)[0]).toEqual(new Uint8Array([100, 7]));
    expect(socket.isOpen).toBe(true);
  });

  it('is not sent to anyone but the socket that asked', async () => {
    const server = await startTestServer();
    const asker = await RawSocket.open(server.url, 'acks-private');
    const bystander = await RawSocket.open(server.url, 'acks-private');
    asker.send(syncUpdateFrame(textInsertUpdate('x')));
    expect(await asker.saveBarrier(5)).toEqual({ acked: true });
    // The bystander gets the relayed update, but never the ack.
    expect(await bystander.saveBarrier(6)).toEqual({ acked: true });
    expect(bystander.received.map(readSaveAck).filter((seq) => seq !== undefined)).toEqual([6]);
  });

  it('means "on disk": edits acked just before a SIGKILL survive, deletions included', { timeout: 60_000 }, async () => {
    const { rng } = seededRandom();
    const dataDir = await makeDataDir();
    let server = await spawnServerProcess({ dataDir });
    let expected = '';

    for (let round = 0; round < 3; round++) {
      const editor = await connectProvider(server.url, 'acked');
      expect(text(editor.doc).toJSON()).toBe(expected);
      // Many small updates right before the request: a server that acks before its write lands
      // (or batches writes on a timer) loses the last of them.
      for (let i = 0; i < 300; i++) insertAtRandomBoundary(text(editor.doc), `[r${round}:${i}]`, rng);
      const victim = text(editor.doc).toJSON().indexOf('[');
      text(editor.doc).delete(victim, prng.int32(rng, 1, 40));
      for (let i = 0; i < 50; i++) text(editor.doc).insert(text(editor.doc).length, String(i % 10));
      expected = text(editor.doc).toJSON();

      await requestSave(editor.provider, 7);
      await server.kill('SIGKILL');
      editor.provider.destroy();

      server = await spawnServerProcess({ dataDir });
      const fresh = await connectProvider(server.url, 'acked');
      expect(text(fresh.doc).toJSON(), `round ${round}: text after SIGKILL`).toBe(expected);
      fresh.provider.destroy();
    }
  });
});
