// Updates Yjs cannot decode are refused whole: the sender's socket closes with 4422, nothing reaches
// the other clients, nothing is stored (checked after a restart), and the document keeps working.
// Two of the updates are traps: one that Yjs integrates partly *before* it fails on the delete set
// (a server that applies first and validates afterwards would keep "LEAK"), and one that decodes
// cleanly but makes Yjs throw while integrating it (a server must not need to throw away the whole
// document, and disconnect everyone in it, to recover from one client's bad frame).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCodes } from '../../shared/protocol.js';
import { halfValidUpdate, syncStep2Frame, syncUpdateFrame, textInsertUpdate } from '../helpers/frames.js';
import { connectProvider } from '../helpers/provider.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { getHealth, startTestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';

const text = (doc: Y.Doc): Y.Text => doc.getText('text');

/** Byte-level proof that the helper's trap is what it claims (a regression guard on Yjs itself). */
function expectHalfAppliedByYjs(update: Uint8Array, content: string): void {
  const doc = new Y.Doc();
  expect(() => Y.applyUpdate(doc, update)).toThrow();
  expect(text(doc).toJSON()).toBe(content);
}

/**
 * Found by the fuzzer (seed 1982977987, a mutated valid update): `Y.decodeUpdate` reads it without
 * complaint, `Y.applyUpdate` then throws a TypeError half-way through integrating it. Checking that an
 * update decodes is not enough to know Yjs can apply it.
 */
const DECODES_BUT_FAILS_TO_APPLY = Buffer.from(
  '01099a979a7c000401047465787407c2b373c291c2b0449a979a7c000169c19a979a7c049a979a7c0002c49a979a7c069a979a7c0002667728' +
    '01046d657461046764647a017602016e7dbf050173770f797a78777a6e727a6e6b656e77687307010764656661756c7403097061726167726170' +
    '6807009a979a7c0a0604009a979a7c410ac2946e323d5bc2abc28c28009a979a7c0a036469720177036c7472019a979a7c010502',
  'hex',
);

const INVALID: Array<[string, Uint8Array]> = [
  ['garbage bytes', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])],
  ['a struct count with nothing after it', new Uint8Array([5])],
  ['an out-of-range varint', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
  ['an empty update', new Uint8Array([])],
  ['valid structs, then a truncated delete set', halfValidUpdate('LEAK')],
  ['an update that decodes but fails while Yjs integrates it', new Uint8Array(DECODES_BUT_FAILS_TO_APPLY)],
];

describe('invalid updates', () => {
  it('closes with 4422, relays and stores nothing, and keeps the document working', async () => {
    expectHalfAppliedByYjs(halfValidUpdate('LEAK'), 'LEAK');
    expect(() => Y.decodeUpdate(DECODES_BUT_FAILS_TO_APPLY)).not.toThrow();
    expect(() => Y.applyUpdate(new Y.Doc(), DECODES_BUT_FAILS_TO_APPLY)).toThrow();
    const server = await startTestServer();
    const watcher = await connectProvider(server.url, 'invalid');
    const writer = await connectProvider(server.url, 'invalid');
    text(writer.doc).insert(0, 'before ');
    await waitFor(() => text(watcher.doc).toJSON() === 'before ');
    const relayed: Uint8Array[] = [];
    watcher.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === watcher.provider) relayed.push(update);
    });
    // One client's bad frame must not disturb the others (no reconnect to a reloaded document).
    const disturbed: number[] = [];
    for (const { provider } of [watcher, writer]) provider.on('connection-close', (event) => disturbed.push(event?.code ?? 0));

    for (const [what, update] of INVALID) {
      for (const frame of [syncUpdateFrame(update), syncStep2Frame(update)]) {
        const socket = await RawSocket.open(server.url, 'invalid');
        socket.send(frame);
        expect(await socket.closed, what).toEqual({ code: CloseCodes.invalidUpdate.code, reason: CloseCodes.invalidUpdate.reason });
      }
    }

    // The writer's next edit arrives after anything the server could have relayed from the bad frames.
    text(writer.doc).insert(text(writer.doc).length, 'after');
    await waitFor(() => text(watcher.doc).toJSON() === 'before after');
    expect(relayed).toHaveLength(1);
    expect(text(writer.doc).toJSON()).toBe('before after');
    expect(disturbed, 'close codes seen by the other clients of the document').toEqual([]);

    // A newcomer is served the clean document, and so is a new server on the same DATA_DIR.
    const newcomer = await connectProvider(server.url, 'invalid');
    expect(text(newcomer.doc).toJSON()).toBe('before after');
    expect((await getHealth(server.url)).status).toBe(200);
    await server.close();
    const restarted = await startTestServer({ DATA_DIR: server.dataDir });
    const afterRestart = await connectProvider(restarted.url, 'invalid');
    expect(text(afterRestart.doc).toJSON()).toBe('before after');
    text(afterRestart.doc).insert(0, '+');
    const second = await connectProvider(restarted.url, 'invalid');
    await waitFor(() => text(second.doc).toJSON() === '+before after');
  });

  it('refuses a whole frame with trailing bytes (4400) without applying the valid update inside it', async () => {
    const server = await startTestServer();
    const watcher = await connectProvider(server.url, 'trailing');
    const valid = syncUpdateFrame(textInsertUpdate('TRAIL'));
    const socket = await RawSocket.open(server.url, 'trailing');
    socket.send(new Uint8Array([...valid, 0]));
    expect(await socket.closed).toEqual({ code: CloseCodes.malformedMessage.code, reason: CloseCodes.malformedMessage.reason });

    const marker = await RawSocket.open(server.url, 'trailing');
    marker.send(syncUpdateFrame(textInsertUpdate('MARK')));
    await waitFor(() => text(watcher.doc).toJSON().includes('MARK'));
    expect(text(watcher.doc).toJSON()).toBe('MARK');
    await server.close();
    const restarted = await startTestServer({ DATA_DIR: server.dataDir });
    const afterRestart = await connectProvider(restarted.url, 'trailing');
    expect(text(afterRestart.doc).toJSON()).toBe('MARK');
  });

  it('rejects a bad frame on a socket that already sent good ones, keeping the good ones', async () => {
    const server = await startTestServer();
    const socket = await RawSocket.open(server.url, 'mixed');
    socket.send(syncUpdateFrame(textInsertUpdate('good')));
    expect(await socket.saveBarrier(1)).toEqual({ acked: true });
    socket.send(syncUpdateFrame(halfValidUpdate('LEAK')));
    socket.send(syncUpdateFrame(textInsertUpdate('never read')));
    expect((await socket.closed).code).toBe(CloseCodes.invalidUpdate.code);

    const reader = await connectProvider(server.url, 'mixed');
    expect(text(reader.doc).toJSON()).toBe('good');
  });
});
