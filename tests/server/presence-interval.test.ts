// How often a room relays presence: at the configured interval in rooms of up to
// PRESENCE_BASE_ROOM_SIZE sockets, and proportionally less often in larger ones (each flush costs a
// frame per socket and an echo back from each stock client). The room's clock is faked, so the test
// reads the exact moment of each flush instead of waiting for it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import { pino } from 'pino';
import { MessageType } from '../../shared/protocol.js';
import { Connection } from '../../server/collaboration/connection.js';
import { handleMessage } from '../../server/collaboration/message-handler.js';
import { PRESENCE_BASE_ROOM_SIZE, Room } from '../../server/collaboration/room.js';
import { FakeSocket } from '../helpers/fake-socket.js';
import { awarenessFrame } from '../helpers/frames.js';

const silent = pino({ level: 'silent' });
const INTERVAL_MS = 100;

function presenceMessagesIn(socket: FakeSocket): number {
  return socket.inbox.filter((frame) => decoding.readVarUint(decoding.createDecoder(frame)) === MessageType.awareness).length;
}

/** A room with `size` sockets; the first one moves its caret, the last one watches. */
function roomOf(size: number): { room: Room; mover: Connection; watcher: FakeSocket } {
  const room = new Room('presence', { schedule() {}, scheduleCompaction() {} }, 1000, INTERVAL_MS, silent, () => Promise.resolve([]));
  const sockets = Array.from({ length: size }, () => new FakeSocket());
  const connections = sockets.map((socket) => new Connection('presence', socket as unknown as WebSocket, null, 1 << 30, silent));
  for (const connection of connections) room.addConnection(connection);
  return { room, mover: connections[0] as Connection, watcher: sockets[size - 1] as FakeSocket };
}

function moveCaret(room: Room, mover: Connection, position: number): void {
  const clientAwareness = new awarenessProtocol.Awareness(new Y.Doc());
  clientAwareness.setLocalState({ cursor: { anchor: position, head: position } });
  handleMessage(room, mover, awarenessFrame(clientAwareness));
}

describe('presence flush interval', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('relays a caret move after the configured interval in a room of a working group’s size', () => {
    const { room, mover, watcher } = roomOf(16);
    moveCaret(room, mover, 3);
    vi.advanceTimersByTime(INTERVAL_MS - 1);
    expect(presenceMessagesIn(watcher)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(presenceMessagesIn(watcher)).toBe(1);
    room.destroy();
  });

  it('stretches the interval in proportion to the room’s size beyond the base size', () => {
    const size = PRESENCE_BASE_ROOM_SIZE * 2.5;
    const { room, mover, watcher } = roomOf(size);
    moveCaret(room, mover, 3);
    vi.advanceTimersByTime(INTERVAL_MS * 2.5 - 1);
    expect(presenceMessagesIn(watcher)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(presenceMessagesIn(watcher)).toBe(1);
    room.destroy();
  });
});
