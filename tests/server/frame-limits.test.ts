// Frame-level limits: a frame over MAX_MESSAGE_BYTES closes the socket with 1009 before any of it is
// read, and a text frame closes it with 1003; in both cases the document is unchanged (for the
// clients already there, for a newcomer, and on disk), while frames within the limit still work.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCodes } from '../../shared/protocol.js';
import { syncUpdateFrame, textInsertUpdate } from '../helpers/frames.js';
import { connectProvider } from '../helpers/provider.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { getHealth, startTestServer } from '../helpers/test-server.js';
import { waitFor, withTimeout } from '../helpers/wait-for.js';

const LIMIT = 64 * 1024;
const text = (doc: Y.Doc): Y.Text => doc.getText('text');

describe('frame limits', () => {
  it(`closes a frame over MAX_MESSAGE_BYTES (${LIMIT}) with 1009 and leaves the document unchanged`, async () => {
    const server = await startTestServer({ MAX_MESSAGE_BYTES: String(LIMIT) });
    const watcher = await connectProvider(server.url, 'limits');
    let remoteUpdates = 0;
    watcher.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === watcher.provider) remoteUpdates++;
    });

    // Just under the limit: accepted, stored and relayed (so the limit is the configured one).
    const near = syncUpdateFrame(textInsertUpdate('n'.repeat(LIMIT - 200)));
    expect(near.byteLength).toBeLessThan(LIMIT);
    const sender = await RawSocket.open(server.url, 'limits');
    sender.send(near);
    expect(await sender.saveBarrier(1)).toEqual({ acked: true });
    await waitFor(() => text(watcher.doc).length === LIMIT - 200);
    const before = text(watcher.doc).toJSON();
    const updatesBefore = remoteUpdates;

    // Over the limit: a perfectly valid update, only too big.
    const over = syncUpdateFrame(textInsertUpdate('X'.repeat(LIMIT + 10)));
    const oversized = await RawSocket.open(server.url, 'limits');
    oversized.send(over);
    expect(await oversized.closed).toMatchObject({ code: CloseCodes.messageTooLarge.code });

    // A marker sent afterwards on another socket arrives; anything relayed from the big frame would
    // have arrived before it.
    const marker = await RawSocket.open(server.url, 'limits');
    marker.send(syncUpdateFrame(textInsertUpdate('MARK')));
    await waitFor(() => text(watcher.doc).toJSON().includes('MARK'));
    expect(remoteUpdates - updatesBefore).toBe(1);
    expect(text(watcher.doc).toJSON()).not.toContain('X');
    expect(text(watcher.doc).length).toBe(before.length + 4);

    // A newcomer and a restarted server agree.
    const newcomer = await connectProvider(server.url, 'limits');
    expect(text(newcomer.doc).toJSON()).toBe(text(watcher.doc).toJSON());
    expect((await getHealth(server.url)).status).toBe(200);
    const expected = text(watcher.doc).toJSON();
    await server.close();
    const restarted = await startTestServer({ DATA_DIR: server.dataDir, MAX_MESSAGE_BYTES: String(LIMIT) });
    const afterRestart = await connectProvider(restarted.url, 'limits');
    expect(text(afterRestart.doc).toJSON()).toBe(expected);
  });

  it('disconnects a client that stops reading (4408) once MAX_BUFFERED_BYTES waits for it, and only that client', async () => {
    const server = await startTestServer({ MAX_BUFFERED_BYTES: String(256 * 1024) });
    const watcher = await connectProvider(server.url, 'slow-reader');
    const stalled = await RawSocket.open(server.url, 'slow-reader');
    // It stops reading its TCP socket: the kernel's buffers fill first, then the server's.
    stalled.ws.pause();
    const sender = await RawSocket.open(server.url, 'slow-reader');
    const chunk = 's'.repeat(32 * 1024);
    const updates = 200; // 6.4 MiB relayed to each reader, more than loopback's buffers hold
    for (let i = 0; i < updates; i++) sender.send(syncUpdateFrame(textInsertUpdate(chunk)));
    await waitFor(() => text(watcher.doc).length === updates * chunk.length, {
      timeout: 30_000,
      message: 'the reading client to receive every update',
    });

    // Reading again, it finds the close frame after what had been sent to it before the limit.
    stalled.ws.resume();
    expect(await withTimeout(stalled.closed, 10_000, 'the stalled client to be closed')).toEqual({
      code: CloseCodes.slowConsumer.code,
      reason: CloseCodes.slowConsumer.reason,
    });
    expect(watcher.provider.wsconnected).toBe(true);
    expect(sender.isOpen).toBe(true);
    // A newcomer gets everything: what the slow client missed, it would get back on reconnect.
    const newcomer = await connectProvider(server.url, 'slow-reader');
    expect(text(newcomer.doc).length).toBe(updates * chunk.length);
  });

  it('closes a text frame with 1003 and applies nothing from it', async () => {
    const server = await startTestServer();
    const watcher = await connectProvider(server.url, 'text-frames');
    const texter = await RawSocket.open(server.url, 'text-frames');
    // The bytes of a valid update, sent as a text frame: still refused.
    texter.send(Buffer.from(syncUpdateFrame(textInsertUpdate('TEXT'))).toString('latin1'));
    expect(await texter.closed).toEqual({ code: CloseCodes.textFrame.code, reason: CloseCodes.textFrame.reason });

    const marker = await RawSocket.open(server.url, 'text-frames');
    marker.send(syncUpdateFrame(textInsertUpdate('MARK')));
    await waitFor(() => text(watcher.doc).toJSON() === 'MARK');
    expect((await getHealth(server.url)).status).toBe(200);
  });
});
