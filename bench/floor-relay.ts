// A measuring stick for the bench, not a server for anyone to run: the leanest y-websocket relay we
// could write in Node, to show how low "server CPU per delivery" can go on this protocol with stock
// clients. It does what any relay must (apply each update to the room's Y.Doc so that joiners get the
// document, relay what Yjs emitted, answer the sync handshake) and Concord's relaying tricks (each
// broadcast framed once and written raw, presence batched), and none of what Concord must also do:
// it stores nothing, validates nothing beyond what y-protocols reads, knows no sessions and has no
// back-pressure limit. `npm run bench -- --servers concord,peer,floor` measures it beside the others.
import http from 'node:http';
import type { Socket } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType } from '../shared/protocol.js';
import { encodeAwarenessMessage, encodeBinaryFrame, encodeSyncUpdate } from '../server/collaboration/messages.js';
import { readConfig } from '../server/config.js';

// HOST, PORT and PRESENCE_INTERVAL_MS read as Concord reads them, so that a setting varied for a bench
// run (e.g. PRESENCE_INTERVAL_MS=0) applies to both.
const config = readConfig();

interface FloorRoom {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Each socket's TCP transport (broadcasts are written to it already framed) and its awareness ids. */
  readonly sockets: Map<WebSocket, { readonly transport: Socket; readonly clientIds: Set<number> }>;
  readonly changedPresence: Set<number>;
  presenceTimer: NodeJS.Timeout | null;
}

const rooms = new Map<string, FloorRoom>();

function broadcast(room: FloorRoom, message: Uint8Array, except: unknown): void {
  const frame = encodeBinaryFrame(message);
  for (const [socket, { transport }] of room.sockets) {
    if (socket !== except && socket.readyState === socket.OPEN) transport.write(frame);
  }
}

function roomNamed(name: string): FloorRoom {
  const existing = rooms.get(name);
  if (existing) return existing;
  const doc = new Y.Doc();
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null);
  const room: FloorRoom = { doc, awareness, sockets: new Map(), changedPresence: new Set(), presenceTimer: null };
  doc.on('update', (update: Uint8Array, origin: unknown) => broadcast(room, encodeSyncUpdate(update), origin));
  awareness.on('update', ({ added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>, origin: unknown) => {
    const ids = room.sockets.get(origin as WebSocket)?.clientIds;
    for (const id of added) ids?.add(id);
    for (const id of removed) ids?.delete(id);
    for (const id of [...added, ...updated, ...removed]) room.changedPresence.add(id);
    room.presenceTimer ??= setTimeout(() => {
      room.presenceTimer = null;
      const changed = [...room.changedPresence];
      room.changedPresence.clear();
      broadcast(room, encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(awareness, changed)), null);
    }, config.presenceIntervalMs);
  });
  rooms.set(name, room);
  return room;
}

function allPresence(room: FloorRoom): Uint8Array {
  return encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()]));
}

function onMessage(room: FloorRoom, socket: WebSocket, data: Uint8Array): void {
  const decoder = decoding.createDecoder(data);
  switch (decoding.readVarUint(decoder)) {
    case MessageType.sync: {
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MessageType.sync);
      syncProtocol.readSyncMessage(decoder, reply, room.doc, socket);
      if (encoding.length(reply) > 1) socket.send(encoding.toUint8Array(reply));
      return;
    }
    case MessageType.awareness:
      awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), socket);
      return;
    case MessageType.queryAwareness:
      socket.send(allPresence(room));
      return;
  }
}

const sockets = new WebSocketServer({ noServer: true });
const server = http.createServer((_request, response) => response.end('floor relay'));
server.on('upgrade', (request: http.IncomingMessage, transport: Socket, head: Buffer) => {
  sockets.handleUpgrade(request, transport, head, (socket) => {
    const room = roomNamed((request.url ?? '/').split('?')[0] ?? '/');
    room.sockets.set(socket, { transport, clientIds: new Set() });
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer) => {
      try {
        onMessage(room, socket, data);
      } catch {
        socket.close();
      }
    });
    socket.on('close', () => {
      const ids = room.sockets.get(socket)?.clientIds;
      room.sockets.delete(socket);
      if (ids?.size) awarenessProtocol.removeAwarenessStates(room.awareness, [...ids], null);
    });
    const greeting = encoding.createEncoder();
    encoding.writeVarUint(greeting, MessageType.sync);
    syncProtocol.writeSyncStep1(greeting, room.doc);
    socket.send(encoding.toUint8Array(greeting));
    if (room.awareness.getStates().size > 0) socket.send(allPresence(room));
  });
});
server.listen(config.port, config.host);
process.on('SIGTERM', () => process.exit(0));
