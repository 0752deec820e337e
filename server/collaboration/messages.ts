// Encoders for the frames the server sends. Each broadcast is encoded once and the same bytes are sent
// to every receiver.
import * as encoding from 'lib0/encoding';
import { MessageType, SyncMessageType } from '../../shared/protocol.js';

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, SyncMessageType.step1);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, SyncMessageType.step2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, SyncMessageType.update);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, awarenessUpdate);
  return encoding.toUint8Array(encoder);
}

export function encodeSavedMessage(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.saved);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

/** A message sent to many sockets: encoded once, and framed once for all of them. */
export interface Broadcast {
  readonly message: Uint8Array;
  /** The message as one unmasked binary WebSocket frame (see encodeBinaryFrame). */
  readonly frame: Buffer;
}

export function broadcastOf(message: Uint8Array): Broadcast {
  return { message, frame: encodeBinaryFrame(message) };
}

/**
 * Wraps a message in one final, unmasked binary WebSocket frame, as a server sends it (RFC 6455
 * §5.2): 0x82 (FIN, opcode 2), then the payload length in 7 bits, or 126 and 16 bits, or 127 and 64
 * bits, then the payload. ws frames every send itself; a broadcast framed once and written to each
 * socket as is saved ~5% of the server's CPU in a 200-person room (see Connection.sendBroadcast).
 */
export function encodeBinaryFrame(message: Uint8Array): Buffer {
  const length = message.byteLength;
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x82;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(message, headerLength);
  return frame;
}
