// Decodes one binary frame from a client, checks every byte of it, and hands it to the room.
// Anything that does not decode exactly (bad varints, truncation, trailing bytes, unknown types,
// updates Yjs cannot decode) throws a ProtocolError before the room is touched, so nothing from a bad
// frame is applied, stored or relayed. We decode ourselves instead of calling y-protocols'
// readSyncMessage, which applies an update and only logs (by default) when it fails.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { AUTH_PERMISSION_DENIED, CloseCodes, MessageType, READ_ONLY_REASON, SyncMessageType } from '../../shared/protocol.js';
import { ProtocolError } from '../errors.js';
import type { Connection } from './connection.js';
import type { RawAwarenessEntry, Room } from './room.js';

/** y-protocols auth "permission denied" with the reason clients show: observers cannot edit. */
const READ_ONLY_MESSAGE = (() => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.auth);
  encoding.writeVarUint(encoder, AUTH_PERMISSION_DENIED);
  encoding.writeVarString(encoder, READ_ONLY_REASON);
  return encoding.toUint8Array(encoder);
})();

export function handleMessage(room: Room, connection: Connection, frame: Uint8Array): void {
  const decoder = decoding.createDecoder(frame);
  const messageType = read(() => decoding.readVarUint(decoder));
  switch (messageType) {
    case MessageType.sync:
      handleSync(room, connection, decoder);
      return;
    case MessageType.awareness: {
      const update = read(() => decoding.readVarUint8Array(decoder));
      expectEnd(decoder);
      room.applyAwarenessUpdate(update, decodeAwarenessUpdate(update), connection);
      return;
    }
    case MessageType.queryAwareness:
      expectEnd(decoder);
      room.sendAllAwareness(connection);
      return;
    case MessageType.saved: {
      const seq = read(() => decoding.readVarUint(decoder));
      expectEnd(decoder);
      room.requestSaveAcknowledgement(connection, seq);
      return;
    }
    default:
      throw new ProtocolError(CloseCodes.malformedMessage, `unknown message type ${messageType}`);
  }
}

function handleSync(room: Room, connection: Connection, decoder: decoding.Decoder): void {
  const syncType = read(() => decoding.readVarUint(decoder));
  const payload = read(() => decoding.readVarUint8Array(decoder));
  expectEnd(decoder);
  switch (syncType) {
    case SyncMessageType.step1:
      read(() => checkStateVector(payload));
      room.answerSyncStep1(connection, payload);
      return;
    case SyncMessageType.step2:
    case SyncMessageType.update: {
      let decoded: ReturnType<typeof Y.decodeUpdate>;
      try {
        // Reads every struct and the delete set: a malformed update fails here, before the doc is touched.
        decoded = Y.decodeUpdate(payload);
      } catch (error) {
        throw new ProtocolError(CloseCodes.invalidUpdate, `undecodable update: ${String(error)}`);
      }
      if (!connection.canWrite) {
        // Every client answers the server's state vector with a (usually empty) step 2; only a change
        // with content is a write attempt. It is dropped, and the client is told it is read-only.
        if (decoded.structs.length > 0 || decoded.ds.clients.size > 0) connection.send(READ_ONLY_MESSAGE);
        return;
      }
      // A copy: the payload is a view into the socket's read buffer, and Yjs keeps views into an update
      // it applied (binary content), which would keep that whole buffer alive.
      room.applyClientUpdate(new Uint8Array(payload), connection);
      return;
    }
    default:
      throw new ProtocolError(CloseCodes.malformedMessage, `unknown sync message type ${syncType}`);
  }
}

function checkStateVector(encoded: Uint8Array): void {
  const decoder = decoding.createDecoder(encoded);
  const entries = decoding.readVarUint(decoder);
  for (let i = 0; i < entries; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
  }
  expectEnd(decoder);
}

/**
 * Reads an awareness update's entries completely (y-protocols would apply them one by one and stop at a
 * bad one). The JSON states are decoded and parsed later, by the room, only for entries that are not
 * stale echoes.
 */
function decodeAwarenessUpdate(update: Uint8Array): RawAwarenessEntry[] {
  return read(() => {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: RawAwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      // The state's UTF-8 bytes, not yet a string: most entries are echoes that are dropped unread.
      entries.push({ clientId, clock, json: decoding.readVarUint8Array(decoder) });
    }
    expectEnd(decoder);
    return entries;
  });
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError(CloseCodes.malformedMessage, 'trailing bytes after message');
  }
}

/** Runs a decoding step; any failure (truncation, overflow, bad UTF-8 or JSON) means a malformed frame. */
function read<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(CloseCodes.malformedMessage, `cannot decode frame: ${String(error)}`);
  }
}
