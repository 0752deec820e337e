// Relayed updates and presence are framed once and written to each socket's transport as is
// (Connection.sendBroadcast). A stock ws client must read those frames exactly like ws's own, at every
// length encoding (7, 16 and 64 bits), interleaved with frames ws sends itself.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeBinaryFrame } from '../../server/collaboration/messages.js';
import { waitFor } from '../helpers/wait-for.js';

const LENGTHS = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000];

function payload(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('broadcast frames', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('are read by a ws client as the same messages, in order with ws-framed ones, at every length', async () => {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 1 << 20 });
    cleanups.push(() => {
      wss.close();
      http.close();
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const accepted = once(wss, 'connection') as Promise<[WebSocket, IncomingMessage]>;
    const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
    cleanups.push(() => client.terminate());
    const received: Uint8Array[] = [];
    client.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
    const [serverSide, request] = await accepted;

    // As in Concord: the upgrade request's socket is the transport; ws's own sends go to it too.
    const expected: Uint8Array[] = [];
    LENGTHS.forEach((length, i) => {
      const framedOnce = payload(length, i);
      request.socket.write(encodeBinaryFrame(framedOnce));
      const framedByWs = payload(length, i + 100);
      serverSide.send(framedByWs, { binary: true });
      expected.push(framedOnce, framedByWs);
    });

    await waitFor(() => received.length === expected.length, { message: 'every frame to arrive' });
    expect(received.map((m) => m.byteLength)).toEqual(expected.map((m) => m.byteLength));
    received.forEach((message, i) => expect(Buffer.compare(message, expected[i] as Uint8Array)).toBe(0));
    expect(client.readyState).toBe(WebSocket.OPEN);
  });
});
