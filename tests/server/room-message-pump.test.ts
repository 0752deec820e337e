// Convergence proven in memory, with a message pump the test controls: N Y.Docs talk to the real
// Room + message handler + UpdateWriter (memory store) through fake sockets. The pump delivers frames
// in random order across clients, duplicates server→client frames, drops and reconnects clients, and
// at the end every client, the server and what the store replays must hold the same document.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebSocket } from 'ws';
import { pino } from 'pino';
import { MessageType } from '../../shared/protocol.js';
import { Connection } from '../../server/collaboration/connection.js';
import { handleMessage } from '../../server/collaboration/message-handler.js';
import { RoomRegistry } from '../../server/collaboration/room-registry.js';
import { UpdateWriter } from '../../server/collaboration/update-writer.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-store.js';
import { FakeSocket } from '../helpers/fake-socket.js';

const silent = pino({ level: 'silent' });

/** Mulberry32: small seeded PRNG so a failing run can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PumpClient {
  doc: Y.Doc;
  socket: FakeSocket | null;
  connection: Connection | null;
  /** Frames the client sent, not yet delivered to the server. */
  outbox: Uint8Array[];
}

function syncFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

async function runPump(seed: number, clientCount: number, steps: number): Promise<void> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const store = new MemoryDocumentStore();
  const writer = new UpdateWriter(store, silent);
  const registry = new RoomRegistry(store, writer, { unloadDelayMs: 60_000, compactAfterUpdates: 25 }, silent);
  const room = await registry.getOrLoad('pump');

  const clients: PumpClient[] = Array.from({ length: clientCount }, () => {
    const client: PumpClient = { doc: new Y.Doc(), socket: null, connection: null, outbox: [] };
    client.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote' || !client.connection) return;
      client.outbox.push(syncFrame((e) => syncProtocol.writeUpdate(e, update)));
    });
    return client;
  });

  const connect = (client: PumpClient): void => {
    const socket = new FakeSocket();
    client.socket = socket;
    client.connection = new Connection('pump', socket as unknown as WebSocket, null, 1 << 30, silent);
    room.addConnection(client.connection);
    room.greet(client.connection);
    client.outbox.push(syncFrame((e) => syncProtocol.writeSyncStep1(e, client.doc)));
  };
  const disconnect = (client: PumpClient): void => {
    if (!client.connection) return;
    room.removeConnection(client.connection);
    client.connection = null;
    client.socket = null;
    client.outbox = []; // frames in flight are lost with the socket
  };
  const deliverToServer = (client: PumpClient): void => {
    const frame = client.outbox.shift();
    if (frame && client.connection) handleMessage(room, client.connection, frame);
  };
  const deliverToClient = async (client: PumpClient, duplicate: boolean): Promise<void> => {
    const socket = client.socket;
    const frame = duplicate ? socket?.inbox[0] : socket?.inbox.shift();
    if (!frame || !client.connection) return;
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.sync) return; // awareness/acks are not under test here
    await expectOnDisk(frame);
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, MessageType.sync);
    syncProtocol.readSyncMessage(decoder, reply, client.doc, 'remote');
    if (encoding.length(reply) > 1) client.outbox.push(encoding.toUint8Array(reply));
  };
  /** Whatever a client receives must already be in the store: replaying it onto the stored state changes nothing. */
  const expectOnDisk = async (frame: Uint8Array): Promise<void> => {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarUint(decoder);
    if (decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep1) return;
    const update = decoding.readVarUint8Array(decoder);
    const stored = new Y.Doc();
    for (const u of await store.loadUpdates('pump')) Y.applyUpdate(stored, u);
    // Compared as a reader sees it (state vector and text): byte encodings may differ by struct splits.
    const before = [Array.from(Y.encodeStateVector(stored)), stored.getText('t').toJSON()];
    Y.applyUpdate(stored, update);
    const after = [Array.from(Y.encodeStateVector(stored)), stored.getText('t').toJSON()];
    expect(after, `seed ${seed}: a client received an update not yet stored`).toEqual(before);
  };
  const edit = (client: PumpClient): void => {
    const text = client.doc.getText('t');
    if (text.length > 0 && random() < 0.3) {
      const at = Math.floor(random() * text.length);
      text.delete(at, Math.min(1 + Math.floor(random() * 3), text.length - at));
    } else {
      text.insert(Math.floor(random() * (text.length + 1)), pick(['a', 'ب', 'ځ', 'توصیه‌های', ' ', 'x']));
    }
  };

  for (const client of clients) connect(client);
  for (let step = 0; step < steps; step++) {
    const client = pick(clients);
    const r = random();
    if (r < 0.3) edit(client);
    else if (r < 0.55) deliverToServer(client);
    else if (r < 0.8) await deliverToClient(client, false);
    else if (r < 0.85) await deliverToClient(client, true);
    else if (r < 0.88) disconnect(client);
    else if (r < 0.92 && !client.connection) connect(client);
    else await writer.flush(); // the event-loop turn ends: a group commit, then relays
  }

  // Heal: everyone connected, then pump until nothing moves.
  for (const client of clients) if (!client.connection) connect(client);
  for (let round = 0; round < 1000; round++) {
    let moved = false;
    for (const client of clients) {
      while (client.outbox.length > 0) {
        deliverToServer(client);
        moved = true;
      }
    }
    await writer.flush();
    for (const client of clients) {
      while ((client.socket?.inbox.length ?? 0) > 0) {
        await deliverToClient(client, false);
        moved = true;
      }
    }
    if (!moved && clients.every((c) => c.outbox.length === 0)) break;
  }

  const serverText = room.doc.getText('t').toJSON();
  for (const client of clients) expect(client.doc.getText('t').toJSON(), `seed ${seed}`).toBe(serverText);
  const replayed = new Y.Doc();
  for (const update of await store.loadUpdates('pump')) Y.applyUpdate(replayed, update);
  expect(replayed.getText('t').toJSON(), `seed ${seed}: storage replays to the live text`).toBe(serverText);
  for (const client of clients) expect(client.socket?.closedWith ?? null).toBeNull();
  expect(serverText.length).toBeGreaterThan(0);
}

describe('room convergence under a controlled message pump', () => {
  for (const seed of [1, 2, 3, 42, 1234, 98765]) {
    it(`converges with 5 clients, random order, duplicates and reconnects (seed ${seed})`, async () => {
      await runPump(seed, 5, 1500);
    });
  }
});
