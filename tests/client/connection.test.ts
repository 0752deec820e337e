// @vitest-environment jsdom
// The wiring between y-websocket, the Yjs doc and the save tracker, driven through a stand-in socket
// that the test plays the server on: when the tab counts as live, what the save request covers, and
// that edits made offline are only called saved after the server acknowledged them on a new socket.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { AUTH_PERMISSION_DENIED, CloseCodes, MessageType, READ_ONLY_REASON } from '../../shared/protocol.js';
import { connectToDocument, type DocumentConnection, type ServerRefusal } from '../../client/src/collab/connection.js';
import { describeSaveStatus } from '../../client/src/collab/save-tracker.js';

type Frame = { kind: 'step1' | 'step2' | 'update'; payload: Uint8Array } | { kind: 'saved'; seq: number } | { kind: 'awareness' };

function decodeFrame(data: Uint8Array): Frame {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  if (type === MessageType.saved) return { kind: 'saved', seq: decoding.readVarUint(decoder) };
  if (type === MessageType.awareness) return { kind: 'awareness' };
  const sub = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  return { kind: sub === 0 ? 'step1' : sub === 1 ? 'step2' : 'update', payload };
}

function encode(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A WebSocket stand-in: the test opens it, reads what the client sent, and answers as the server. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static all: FakeSocket[] = [];
  readonly OPEN = 1;
  readyState = 0;
  binaryType = 'blob';
  sent: Frame[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: Uint8Array): void {
    this.sent.push(decodeFrame(data));
  }
  close(): void {
    this.readyState = 3;
  }
  // ---- the test's side ----
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  deliver(frame: Uint8Array): void {
    this.onmessage?.({ data: frame.slice().buffer });
  }
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  kinds(): string[] {
    return this.sent.filter((f) => f.kind !== 'awareness').map((f) => f.kind);
  }
}

/** The server's copy of the document and its replies, as Concord's server gives them. */
class FakeServer {
  readonly doc = new Y.Doc();
  step1(): Uint8Array {
    return encode((e) => {
      encoding.writeVarUint(e, MessageType.sync);
      syncProtocol.writeSyncStep1(e, this.doc);
    });
  }
  step2For(socket: FakeSocket): Uint8Array {
    const request = socket.sent.find((f) => f.kind === 'step1');
    if (!request || request.kind !== 'step1') throw new Error('client sent no step 1');
    return encode((e) => {
      encoding.writeVarUint(e, MessageType.sync);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(this.doc, request.payload));
    });
  }
  /** Applies every update and step 2 the client sent on `socket`. */
  receive(socket: FakeSocket): void {
    for (const frame of socket.sent) if (frame.kind === 'update' || frame.kind === 'step2') Y.applyUpdate(this.doc, frame.payload);
  }
  saved(seq: number): Uint8Array {
    return encode((e) => {
      encoding.writeVarUint(e, MessageType.saved);
      encoding.writeVarUint(e, seq);
    });
  }
}

const text = (doc: Y.Doc) => doc.getText('t').toJSON();
let connection: DocumentConnection | null = null;

afterEach(() => {
  connection?.destroy();
  connection = null;
  FakeSocket.all = [];
});

function open(refusals: ServerRefusal[] = []): { connection: DocumentConnection; socket: () => FakeSocket; status: () => string } {
  connection = connectToDocument('doc1', {
    serverUrl: 'ws://test/collab',
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    onRefusal: (refusal) => refusals.push(refusal),
  });
  const c = connection;
  return {
    connection: c,
    socket: () => {
      const last = FakeSocket.all.at(-1);
      if (!last) throw new Error('no socket yet');
      return last;
    },
    status: () => describeSaveStatus(c.saveTracker.snapshot),
  };
}

/** The server side of a full handshake, with the server's step 2 arriving before its step 1. */
function handshake(server: FakeServer, socket: FakeSocket): void {
  socket.open();
  socket.deliver(server.step2For(socket));
  socket.deliver(server.step1());
}

describe('connectToDocument', () => {
  it('connects to <server>/collab/<documentId>', () => {
    const { socket } = open();
    expect(socket().url).toBe('ws://test/collab/doc1');
  });

  it('is live only after the server state arrived and our own state went out', async () => {
    const server = new FakeServer();
    const { socket, status } = open();
    socket().open();
    socket().deliver(server.step2For(socket()));
    await Promise.resolve();
    expect(status()).toBe('Connecting…'); // synced, but the server has not asked for our state yet
    socket().deliver(server.step1());
    await vi.waitFor(() => expect(status()).toBe('Live'));
  });

  it('asks for an acknowledgement after a local edit and says saved only when it arrives', async () => {
    const server = new FakeServer();
    const { connection: c, socket, status } = open();
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    c.doc.getText('t').insert(0, 'سلام');
    expect(status()).toBe('Saving…');
    await vi.waitFor(() => expect(socket().kinds().at(-1)).toBe('saved'));
    // The request goes after the update it vouches for.
    expect(socket().kinds().slice(-2)).toEqual(['update', 'saved']);
    const request = socket().sent.at(-1);
    if (request?.kind !== 'saved') throw new Error('expected a save request');
    socket().deliver(server.saved(request.seq));
    expect(status()).toBe('All changes saved');
    expect(c.saveTracker.hasUnsavedChanges).toBe(false);
  });

  it('does not count changes that came from the server', async () => {
    const server = new FakeServer();
    server.doc.getText('t').insert(0, 'from someone else');
    const { connection: c, socket, status } = open();
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    expect(text(c.doc)).toBe('from someone else');
    expect(c.saveTracker.snapshot.unsavedChanges).toBe(0);
  });

  it('counts edits made offline and calls them saved only after the new socket delivered them', async () => {
    const server = new FakeServer();
    const { connection: c, socket, status } = open();
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    const first = socket();
    first.drop();
    expect(status()).toBe('Offline — reconnecting…');
    c.doc.getText('t').insert(0, 'a');
    c.doc.getText('t').insert(1, 'b');
    expect(status()).toBe('Offline — 2 changes not yet saved');

    await vi.waitFor(() => expect(FakeSocket.all.length).toBe(2), { timeout: 3000 });
    const second = socket();
    second.open();
    second.deliver(server.step2For(second));
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // No request may precede our step 2, or its answer would vouch for nothing.
    expect(second.kinds()).not.toContain('saved');
    second.deliver(server.step1());
    await vi.waitFor(() => expect(second.kinds().at(-1)).toBe('saved'));
    expect(second.kinds().indexOf('step2')).toBeLessThan(second.kinds().indexOf('saved'));
    server.receive(second);
    expect(text(server.doc)).toBe('ab');
    const request = second.sent.at(-1);
    if (request?.kind !== 'saved') throw new Error('expected a save request');
    second.deliver(server.saved(request.seq));
    expect(status()).toBe('All changes saved');
  });

  it('warns before the tab closes only while something is unconfirmed', async () => {
    const server = new FakeServer();
    const { connection: c, socket, status } = open();
    const leaving = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    expect(leaving()).toBe(false);
    c.doc.getText('t').insert(0, 'x');
    expect(leaving()).toBe(true);
    await vi.waitFor(() => expect(socket().kinds().at(-1)).toBe('saved'));
    const request = socket().sent.at(-1);
    if (request?.kind !== 'saved') throw new Error('expected a save request');
    socket().deliver(server.saved(request.seq));
    expect(leaving()).toBe(false);
  });

  it('on close, leaves presence at once but keeps delivering unsaved edits until acknowledged', async () => {
    const server = new FakeServer();
    const { connection: c, socket, status } = open();
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    socket().drop();
    c.doc.getText('t').insert(0, 'written offline');
    c.close();
    expect(c.provider.awareness.getLocalState()).toBeNull();
    expect(c.provider.shouldConnect).toBe(true); // still trying

    await vi.waitFor(() => expect(FakeSocket.all.length).toBe(2), { timeout: 3000 });
    const second = socket();
    handshake(server, second);
    await vi.waitFor(() => expect(second.kinds().at(-1)).toBe('saved'));
    server.receive(second);
    expect(text(server.doc)).toBe('written offline');
    const request = second.sent.at(-1);
    if (request?.kind !== 'saved') throw new Error('expected a save request');
    second.deliver(server.saved(request.seq));
    expect(c.provider.shouldConnect).toBe(false); // destroyed once saved
  });

  it('on close with nothing unsaved, goes at once', async () => {
    const server = new FakeServer();
    const { connection: c, socket, status } = open();
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    c.close();
    expect(c.provider.shouldConnect).toBe(false);
  });

  it('reports a server refusal (44xx close) and stops retrying', () => {
    const { socket, status, connection: c } = open();
    socket().open();
    socket().drop(4422);
    expect(status()).toMatch(/^Disconnected by the server/);
    expect(c.provider.shouldConnect).toBe(false);
  });

  it('reports the server’s read-only answer (auth permission denied) instead of only logging it', async () => {
    const refusals: ServerRefusal[] = [];
    const server = new FakeServer();
    const { socket, status } = open(refusals);
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    socket().deliver(
      encode((e) => {
        encoding.writeVarUint(e, MessageType.auth);
        encoding.writeVarUint(e, AUTH_PERMISSION_DENIED);
        encoding.writeVarString(e, READ_ONLY_REASON);
      }),
    );
    expect(refusals).toEqual([{ kind: 'permission-denied', reason: READ_ONLY_REASON }]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('reports a revocation close with its code, once, and does not reconnect', async () => {
    const refusals: ServerRefusal[] = [];
    const server = new FakeServer();
    const { socket, status, connection: c } = open(refusals);
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    vi.useFakeTimers();
    try {
      socket().drop(CloseCodes.accessRevoked.code, CloseCodes.accessRevoked.reason);
      expect(refusals).toEqual([{ kind: 'closed', code: 4403, reason: 'access revoked' }]);
      expect(status()).toBe('Disconnected by the server (access revoked)');
      expect(c.provider.shouldConnect).toBe(false);
      vi.advanceTimersByTime(60_000); // every reconnect delay y-websocket would use
      expect(FakeSocket.all).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a socket that closed before it opened (a refused upgrade looks like this), but not a drop after opening', async () => {
    const refusals: ServerRefusal[] = [];
    const server = new FakeServer();
    const { socket, status } = open(refusals);
    socket().drop(1006);
    expect(refusals).toEqual([{ kind: 'not-admitted' }]);
    await vi.waitFor(() => expect(FakeSocket.all.length).toBe(2), { timeout: 3000 });
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    socket().drop(1006);
    expect(refusals).toHaveLength(1);
  });

  it('stop() ends reconnecting and says why, keeping unsaved changes counted', async () => {
    const server = new FakeServer();
    const { socket, status, connection: c } = open();
    handshake(server, socket());
    await vi.waitFor(() => expect(status()).toBe('Live'));
    socket().drop();
    c.doc.getText('t').insert(0, 'typed while away');
    c.stop('access revoked');
    expect(c.provider.shouldConnect).toBe(false);
    expect(status()).toBe('Disconnected by the server (access revoked) — 1 change not saved');
    expect(c.saveTracker.hasUnsavedChanges).toBe(true);
  });
});
