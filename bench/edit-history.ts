// Builds the long document of the cold-join scenario: a text drafted over many sessions, edit by edit, in
// the editor's shape (paragraphs of Y.XmlText in the 'default' fragment). It is deterministic (seeded), so
// both servers receive byte-identical uploads, and it is built once per bench run and handed to the load
// process as a file.
import { readFileSync, writeFileSync } from 'node:fs';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { EDITOR_FRAGMENT } from '../shared/protocol.js';

export interface EditHistoryOptions {
  /** Number of single edits (keystrokes, backspaces, pastes, selection deletes). */
  edits: number;
  /** Editing sessions; each is a page load with its own Yjs client id, as in a browser. */
  sessions: number;
  /** Edits merged into one upload message. */
  editsPerBatch: number;
  seed: number;
}

export interface EditHistory {
  /** Merged updates, in edit order, ready to send as sync update messages. */
  batches: Uint8Array[];
  edits: number;
  characters: number;
  paragraphs: number;
  /** Size of Y.encodeStateAsUpdate of the final document. */
  encodedBytes: number;
}

const PROSE =
  'The Committee takes note of the report of the Secretary-General and welcomes the progress achieved. ' +
  'Member States are invited to submit their views on the draft recommendations before the next session. ' +
  'The delegation of the host country proposed alternative wording for operative paragraph seven. ' +
  'Further consultations will be held on the budgetary implications of the proposed programme of work. ';

/** mulberry32: a small seeded generator, so the document is the same on every run and for both servers. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The mix models a long text typed over days: 88% one typed character (now and then Enter, which starts a
 * paragraph), 11% backspace, 0.5% pasting a sentence or two, 0.5% deleting a selection; about every 30
 * edits the caret jumps elsewhere to revise, which fragments the text as real revision does (100k edits
 * give ~97k characters and ~400 KiB encoded). Every edit is its own transaction, as keystrokes are.
 */
export function buildEditHistory(options: EditHistoryOptions): EditHistory {
  const random = seededRandom(options.seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(EDITOR_FRAGMENT);
  // Mirror of the paragraphs' texts in document order, so locating one is O(1) instead of a list walk.
  const texts: Y.XmlText[] = [];
  const batches: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => pending.push(update));
  const flush = (): void => {
    if (pending.length > 0) batches.push(Y.mergeUpdates(pending));
    pending = [];
  };

  const addParagraph = (at: number): void => {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.insert(at, [paragraph]);
    texts.splice(at, 0, text);
  };

  let paragraph = 0;
  let offset = 0;
  let prose = 0;
  const editsPerSession = Math.ceil(options.edits / options.sessions);
  for (let edit = 0; edit < options.edits; edit++) {
    if (edit % editsPerSession === 0) {
      // A new page load: fresh client id, caret somewhere in the text.
      doc.clientID = 1 + pick(2 ** 31 - 2);
      if (texts.length === 0) addParagraph(0);
      paragraph = pick(texts.length);
      offset = texts[paragraph]?.length ?? 0;
    }
    if (random() < 0.035) {
      paragraph = pick(texts.length);
      offset = pick((texts[paragraph]?.length ?? 0) + 1);
    }
    const text = texts[paragraph];
    if (!text) throw new Error('paragraph mirror out of step');
    offset = Math.min(offset, text.length);
    const roll = random();
    if (roll < 0.88) {
      if (random() < 1 / 300) {
        addParagraph(paragraph + 1);
        paragraph++;
        offset = 0;
      } else {
        text.insert(offset, PROSE[prose] ?? ' ');
        prose = (prose + 1) % PROSE.length;
        offset++;
      }
    } else if (roll < 0.99) {
      if (offset > 0) {
        text.delete(offset - 1, 1);
        offset--;
      } else {
        text.insert(offset, ' ');
        offset++;
      }
    } else if (roll < 0.995) {
      const start = pick(PROSE.length);
      const pasted = (PROSE + PROSE).slice(start, start + 30 + pick(140));
      text.insert(offset, pasted);
      offset += pasted.length;
    } else {
      const from = pick(offset + 1);
      const length = Math.min(text.length - from, 10 + pick(150));
      if (length > 0) text.delete(from, length);
      offset = from;
    }
    if ((edit + 1) % options.editsPerBatch === 0) flush();
  }
  flush();

  let characters = 0;
  for (const text of texts) characters += text.length;
  return {
    batches,
    edits: options.edits,
    characters,
    paragraphs: texts.length,
    encodedBytes: Y.encodeStateAsUpdate(doc).byteLength,
  };
}

/** Writes the upload batches as varUint count + length-prefixed updates (lib0 encoding). */
export function writeEditHistory(path: string, history: EditHistory): void {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, history.batches.length);
  for (const batch of history.batches) encoding.writeVarUint8Array(encoder, batch);
  writeFileSync(path, encoding.toUint8Array(encoder));
}

export function readEditHistoryBatches(path: string): Uint8Array[] {
  const decoder = decoding.createDecoder(new Uint8Array(readFileSync(path)));
  const count = decoding.readVarUint(decoder);
  const batches: Uint8Array[] = [];
  for (let i = 0; i < count; i++) batches.push(decoding.readVarUint8Array(decoder));
  return batches;
}
