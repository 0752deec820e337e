// A minimal y-protocols sync client (no awareness, timers or reconnects) for tests that need many
// clients in one process; it speaks the same frames as WebsocketProvider.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType } from '../../shared/protocol.js';
import { syncStep1Frame, syncUpdateFrame } from './frames.js';
import { authorizedCollabUrl } from './test-access.js';
import { withTimeout } from './wait-for.js';

export class SyncClient {
  readonly doc = new Y.Doc();
  /** Frames received that were not sync messages (awareness, acks…): counted, not interpreted. */
  otherFrames = 0;
  private syncedResolve!: () => void;
  readonly synced = new Promise<void>((resolve) => (this.syncedResolve = resolve));

  private constructor(private readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this && ws.readyState === WebSocket.OPEN) ws.send(syncUpdateFrame(update));
    });
  }

  /** Connects, sends sync step 1 and resolves once the server's step 2 arrived. */
  static async connect(serverUrl: string, docId: string, timeout = 10_000): Promise<SyncClient> {
    const ws = new WebSocket(await authorizedCollabUrl(serverUrl, docId));
    const client = new SyncClient(ws);
    onTestFinished(() => client.close());
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }),
      timeout,
      `sync client for ${docId} to open`,
    );
    ws.send(syncStep1Frame(client.doc));
    await withTimeout(client.synced, timeout, `sync client for ${docId} to sync`);
    return client;
  }

  get text(): Y.Text {
    return this.doc.getText('text');
  }

  close(): void {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    this.doc.destroy();
  }

  private receive(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MessageType.sync) {
      this.otherFrames++;
      return;
    }
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, MessageType.sync);
    const kind = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
    if (kind === syncProtocol.messageYjsSyncStep2) this.syncedResolve();
    if (encoding.length(reply) > 1 && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(encoding.toUint8Array(reply));
    }
  }
}
