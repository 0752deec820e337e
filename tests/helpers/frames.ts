// Builds and reads y-websocket/Concord binary frames byte by byte, for tests that talk to the server
// without a provider (crafted, broken or minimal frames). Message types come from shared/protocol.ts.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MessageType, SyncMessageType } from '../../shared/protocol.js';

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** `[0, 0, stateVector]`: asks the server for everything this doc is missing. */
export function syncStep1Frame(doc: Y.Doc): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncMessageType.step1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  });
}

/** `[0, 1, update]` */
export function syncStep2Frame(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncMessageType.step2);
    encoding.writeVarUint8Array(e, update);
  });
}

/** `[0, 2, update]`: the payload is written as given, valid or not. */
export function syncUpdateFrame(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncMessageType.update);
    encoding.writeVarUint8Array(e, update);
  });
}

/** `[1, awarenessUpdate]` for the given clients of `awareness` (all known clients by default). */
export function awarenessFrame(awareness: awarenessProtocol.Awareness, clients?: number[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(
      e,
      awarenessProtocol.encodeAwarenessUpdate(awareness, clients ?? [...awareness.getStates().keys()]),
    );
  });
}

/** `[100, seq]`: Concord's save request; the server echoes it once everything before it is on disk. */
export function saveRequestFrame(seq: number): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.saved);
    encoding.writeVarUint(e, seq);
  });
}

/** The seq of a `[100, seq]` frame, or undefined for any other frame. */
export function readSaveAck(data: Uint8Array): number | undefined {
  try {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MessageType.saved) return undefined;
    const seq = decoding.readVarUint(decoder);
    return decoding.hasContent(decoder) ? undefined : seq;
  } catch {
    return undefined;
  }
}

/** The update carried by a `[0, 1|2, update]` frame, or undefined for any other frame. */
export function readSyncUpdate(data: Uint8Array): Uint8Array | undefined {
  try {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MessageType.sync) return undefined;
    const sub = decoding.readVarUint(decoder);
    if (sub !== SyncMessageType.step2 && sub !== SyncMessageType.update) return undefined;
    return decoding.readVarUint8Array(decoder);
  } catch {
    return undefined;
  }
}

/** A Yjs update inserting `content` at the start of the Y.Text `name`, made by a throwaway doc. */
export function textInsertUpdate(content: string, name = 'text'): Uint8Array {
  const doc = new Y.Doc();
  doc.getText(name).insert(0, content);
  return Y.encodeStateAsUpdate(doc);
}

/**
 * An update Yjs cannot apply in one piece: valid structs inserting `content`, then a delete set that
 * claims three clients and ends. `Y.applyUpdate` integrates the insertion *before* it throws on the
 * truncated delete set (and emits an 'update' event for it), so a server that applies first and
 * validates later would keep, store or relay `content`.
 */
export function halfValidUpdate(content: string, name = 'text'): Uint8Array {
  const valid = textInsertUpdate(content, name);
  // A struct-only update ends with the empty delete set, a single 0 byte.
  if (valid[valid.length - 1] !== 0) throw new Error('expected an update ending with an empty delete set');
  const broken = valid.slice();
  broken[broken.length - 1] = 3;
  return broken;
}
