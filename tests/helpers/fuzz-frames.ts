// Generates hostile websocket frames from a seeded PRNG, each labelled with what the server must do
// with it (see CloseCodes in shared/protocol.ts): random bytes, truncated varints, unknown message
// types, trailing bytes, invalid updates, text frames, oversized frames, and mutations of valid
// sync/awareness frames. Valid frames are mixed in as controls that must be accepted.
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCodes, EDITOR_FRAGMENT, MessageType } from '../../shared/protocol.js';
import {
  awarenessFrame,
  halfValidUpdate,
  saveRequestFrame,
  syncStep1Frame,
  syncStep2Frame,
  syncUpdateFrame,
} from './frames.js';

export interface FuzzFrame {
  kind: string;
  data: Uint8Array | string;
  /** Close codes the server may answer with. */
  closeCodes: readonly number[];
  /** Whether the server may accept the frame and keep the socket open. */
  mayStayOpen: boolean;
}

const C = CloseCodes;
const EITHER_BAD = [C.malformedMessage.code, C.invalidUpdate.code] as const;

/** A Y.Doc whose client id comes from the PRNG, so a seed reproduces the same bytes. */
function seededDoc(rng: prng.PRNG): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = prng.uint32(rng, 1, 2 ** 31);
  return doc;
}

/** Valid frames of every message type, from small realistic documents. */
function validCorpus(rng: prng.PRNG): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 6; i++) {
    const doc = seededDoc(rng);
    const text = doc.getText('text');
    text.insert(0, prng.utf16String(rng, 30));
    const before = Y.encodeStateVector(doc);
    text.insert(prng.int32(rng, 0, text.length), prng.word(rng, 1, 12));
    if (text.length > 4) text.delete(1, 2);
    doc.getMap('meta').set(prng.word(rng, 1, 5), { n: prng.int32(rng, 0, 1000), s: prng.word(rng) });
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('dir', prng.oneOf(rng, ['rtl', 'ltr']));
    paragraph.insert(0, [new Y.XmlText(prng.utf16String(rng, 10))]);
    doc.getXmlFragment(EDITOR_FRAGMENT).insert(0, [paragraph]);
    frames.push(syncStep1Frame(doc));
    frames.push(syncStep2Frame(Y.encodeStateAsUpdate(doc)));
    frames.push(syncUpdateFrame(Y.encodeStateAsUpdate(doc, before)));
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: prng.word(rng), color: '#abcdef' }, cursor: { anchor: i, head: i + 2 } });
    frames.push(awarenessFrame(awareness));
    awareness.setLocalState(null);
    frames.push(awarenessFrame(awareness, [doc.clientID]));
    awareness.destroy();
    doc.destroy();
  }
  frames.push(new Uint8Array([MessageType.queryAwareness]));
  frames.push(saveRequestFrame(prng.uint32(rng, 0, 1000)));
  return frames;
}

function bytes(rng: prng.PRNG, min: number, max: number): Uint8Array {
  return prng.uint8Array(rng, prng.int32(rng, min, max));
}

function concat(...parts: Array<Uint8Array | number[]>): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => Array.from(p)));
}

function varUint(n: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, n);
  return encoding.toUint8Array(e);
}

/** A varint whose continuation bit is set on its last byte: the decoder runs out of bytes. */
function truncatedVarint(rng: prng.PRNG): number[] {
  return Array.from({ length: prng.int32(rng, 1, 4) }, () => 0x80 | prng.int32(rng, 0, 127));
}

function mutate(rng: prng.PRNG, frame: Uint8Array): Uint8Array {
  const out = Array.from(frame);
  const rounds = prng.int32(rng, 1, 3);
  for (let r = 0; r < rounds; r++) {
    const at = prng.int32(rng, 0, Math.max(0, out.length - 1));
    switch (prng.int32(rng, 0, 6)) {
      case 0: // flip a bit
        if (out.length) out[at] = out[at]! ^ (1 << prng.int32(rng, 0, 7));
        break;
      case 1: // replace a byte
        if (out.length) out[at] = prng.int32(rng, 0, 255);
        break;
      case 2: // truncate
        out.length = at;
        break;
      case 3: // insert random bytes
        out.splice(at, 0, ...bytes(rng, 1, 8));
        break;
      case 4: // delete a range
        out.splice(at, prng.int32(rng, 1, 8));
        break;
      case 5: // duplicate a slice
        out.splice(at, 0, ...out.slice(at, at + prng.int32(rng, 1, 16)));
        break;
      default: // a huge varint somewhere
        out.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
    }
  }
  return new Uint8Array(out);
}

export function makeFuzzFrames(rng: prng.PRNG, count: number, { maxMessageBytes }: { maxMessageBytes: number }): FuzzFrame[] {
  const corpus = validCorpus(rng);
  const generators: Array<[weight: number, make: () => FuzzFrame]> = [
    [20, () => ({ kind: 'random bytes', data: bytes(rng, 1, 512), closeCodes: EITHER_BAD, mayStayOpen: true })],
    [30, () => ({ kind: 'mutated valid frame', data: mutate(rng, prng.oneOf(rng, corpus)), closeCodes: EITHER_BAD, mayStayOpen: true })],
    [
      5,
      () => {
        const a = prng.oneOf(rng, corpus);
        const b = prng.oneOf(rng, corpus);
        const cut = prng.int32(rng, 1, a.length);
        return { kind: 'spliced frames', data: concat(a.slice(0, cut), b.slice(prng.int32(rng, 0, b.length - 1))), closeCodes: EITHER_BAD, mayStayOpen: true };
      },
    ],
    [8, () => ({ kind: 'valid frame', data: prng.oneOf(rng, corpus), closeCodes: [], mayStayOpen: true })],
    [
      8,
      () => {
        // Every message type's prefix, cut inside a varint.
        const prefix = prng.oneOf(rng, [[], [0], [0, 0], [0, 1], [0, 2], [1], [100]]);
        return { kind: 'truncated varint', data: concat(prefix, truncatedVarint(rng)), closeCodes: [C.malformedMessage.code], mayStayOpen: false };
      },
    ],
    [
      6,
      () => {
        const type = prng.oneOf(rng, [4, 5, 42, 99, 101, 127, 128, 255, 4400, 2 ** 20, 2 ** 31]);
        return { kind: 'unknown message type', data: concat(varUint(type), bytes(rng, 0, 32)), closeCodes: [C.malformedMessage.code], mayStayOpen: false };
      },
    ],
    [
      4,
      () => ({
        kind: 'unknown sync sub-type',
        data: concat([0], varUint(prng.int32(rng, 3, 300)), varUint(2), [0, 0]),
        closeCodes: [C.malformedMessage.code],
        mayStayOpen: false,
      }),
    ],
    [
      6,
      () => ({ kind: 'trailing bytes', data: concat(prng.oneOf(rng, corpus), bytes(rng, 1, 8)), closeCodes: [C.malformedMessage.code], mayStayOpen: false }),
    ],
    [
      6,
      () => {
        // Shapes that never decode (random bytes can, now and then, be a valid update: not used here).
        const update = prng.oneOf(rng, [
          halfValidUpdate(prng.word(rng, 1, 8)),
          varUint(prng.int32(rng, 1, 1000)),
          new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
          new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ]);
        const frame = prng.bool(rng) ? syncUpdateFrame(update) : syncStep2Frame(update);
        return { kind: 'invalid update', data: frame, closeCodes: [C.invalidUpdate.code], mayStayOpen: false };
      },
    ],
    [
      3,
      () => {
        // Not JSON at all must be refused; JSON that is not an object may be refused or kept.
        const broken = prng.bool(rng);
        const json = broken ? prng.oneOf(rng, ['{"a":', 'null]', 'nope', '']) : prng.oneOf(rng, ['"just a string"', '[1,2]', '42']);
        const inner = concat([1], varUint(prng.uint32(rng, 1, 2 ** 30)), [1], varUint(json.length), Array.from(json, (c) => c.charCodeAt(0)));
        const data = concat([MessageType.awareness], varUint(inner.length), inner);
        return broken
          ? { kind: 'awareness with broken JSON', data, closeCodes: [C.malformedMessage.code], mayStayOpen: false }
          : { kind: 'awareness with a non-object state', data, closeCodes: [C.malformedMessage.code], mayStayOpen: true };
      },
    ],
    [2, () => ({ kind: 'empty frame', data: new Uint8Array(0), closeCodes: [C.malformedMessage.code], mayStayOpen: false })],
    [
      4,
      () => ({
        kind: 'text frame',
        data: prng.oneOf(rng, [prng.utf16String(rng, 40), '\u0000\u0001', '{"type":"sync"}', 'x']),
        closeCodes: [C.textFrame.code],
        mayStayOpen: false,
      }),
    ],
    [
      1,
      () => ({
        kind: 'oversized frame',
        data: concat(syncUpdateFrame(bytes(rng, maxMessageBytes, maxMessageBytes + 1000))),
        closeCodes: [C.messageTooLarge.code],
        mayStayOpen: false,
      }),
    ],
  ];
  const total = generators.reduce((sum, [w]) => sum + w, 0);
  const frames: FuzzFrame[] = [];
  for (let i = 0; i < count; i++) {
    let pick = prng.int32(rng, 0, total - 1);
    const generator = generators.find(([w]) => (pick -= w) < 0)!;
    frames.push(generator[1]());
  }
  return frames;
}

/** First bytes of a frame in hex, for failure messages. */
export function describeFrame(frame: FuzzFrame): string {
  if (typeof frame.data === 'string') return `${frame.kind}: text ${JSON.stringify(frame.data.slice(0, 40))}`;
  const hex = Buffer.from(frame.data.slice(0, 48)).toString('hex');
  return `${frame.kind}: ${frame.data.length} bytes ${hex}${frame.data.length > 48 ? '…' : ''}`;
}
