// Turns a committed Yjs state into what a version stores and shows: the editor's ProseMirror document
// (and its JSON), the plain text, the character count and the content hash; and, for compares, the
// Yjs item id behind every position of that document.
//
// Reading builds the same ProseMirror document as y-prosemirror's yXmlFragmentToProseMirrorRootNode
// (the editor's own conversion) but never writes: y-prosemirror *deletes* elements and texts the schema
// cannot hold (and merges adjacent texts) in the Y.Doc it reads, which on a room's live doc would be a
// change made by a read. Here they are skipped instead, so the result is what an editor shows after
// its own clean-up, and a room's doc can be read in place (no copy: applying a 200,000-character state
// with history to a fresh Y.Doc takes ~200 ms).
import crypto from 'node:crypto';
import { Fragment, type Node as ProseMirrorNode, type Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { EDITOR_FRAGMENT } from '../../shared/protocol.js';
import { canonicalJson, type EditorJson } from '../../shared/versions.js';

export interface EditorContent {
  node: ProseMirrorNode;
  json: EditorJson;
  text: string;
  characters: number;
  contentHash: string;
}

/** The editor document held in a Yjs state, with the copy it was read from (for item ids). */
export interface LoadedState {
  doc: Y.Doc;
  node: ProseMirrorNode;
}

/** The editor document held in `doc`'s editor fragment (read only; see above). */
export function readEditorDocument(doc: Y.Doc, schema: Schema): ProseMirrorNode {
  const blocks: ProseMirrorNode[] = [];
  for (const child of doc.getXmlFragment(EDITOR_FRAGMENT).toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    const node = readElement(child, schema);
    if (node) blocks.push(node);
  }
  return schema.topNodeType.create(null, Fragment.fromArray(blocks));
}

function readElement(element: Y.XmlElement, schema: Schema): ProseMirrorNode | null {
  const children: ProseMirrorNode[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlElement) {
      const node = readElement(child, schema);
      if (node) children.push(node);
    } else if (child instanceof Y.XmlText) {
      children.push(...readText(child, schema));
    }
  }
  try {
    return schema.node(element.nodeName, element.getAttributes(), children);
  } catch {
    return null;
  }
}

/** y-prosemirror stores overlapping marks of one type as `name--<8-char hash>` attributes. */
const HASHED_MARK_NAME = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

function readText(text: Y.XmlText, schema: Schema): ProseMirrorNode[] {
  try {
    return (text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>).map((op) => {
      if (typeof op.insert !== 'string') throw new Error('embeds are not editor text');
      const marks = Object.entries(op.attributes ?? {}).map(([name, attrs]) =>
        schema.mark(HASHED_MARK_NAME.exec(name)?.[1] ?? name, attrs as Record<string, unknown> | null),
      );
      return schema.text(op.insert, marks);
    });
  } catch {
    return [];
  }
}

/** A stored state loaded into a Y.Doc of its own (for item ids), and its editor document. */
export function loadState(state: Uint8Array, schema: Schema): LoadedState {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return { doc, node: readEditorDocument(doc, schema) };
}

export function describeContent(node: ProseMirrorNode): EditorContent {
  const json = node.toJSON() as EditorJson;
  const text = plainText(node);
  return { node, json, text, characters: countCharacters(node.textContent), contentHash: contentHash(json) };
}

/** Reads a state into its content (the copy is discarded). */
export function contentOfState(state: Uint8Array, schema: Schema): EditorContent {
  const loaded = loadState(state, schema);
  loaded.doc.destroy();
  return describeContent(loaded.node);
}

/** SHA-256 (lowercase hex) of the UTF-8 bytes of the canonical JSON (see `canonicalJson`). */
export function contentHash(json: EditorJson): string {
  return crypto.createHash('sha256').update(canonicalJson(json), 'utf8').digest('hex');
}

/**
 * What export and checks read: each textblock (paragraph, heading, list item's paragraph…) on a line
 * of its own, a hard break (the only inline leaf) as a line break, rules as nothing. (TipTap's getText
 * would also separate list and list-item boundaries, giving blank lines inside lists.)
 */
export function plainText(node: ProseMirrorNode): string {
  return node.textBetween(0, node.content.size, '\n', (leaf) => (leaf.isInline ? '\n' : ''));
}

/** Unicode code points (an Urdu letter or a zero-width non-joiner is one; so is an emoji). */
export function countCharacters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The Yjs item (client, clock) behind each position of a document's content; -1 where there is none. */
export interface ItemIds {
  client: Float64Array;
  clock: Float64Array;
}

class Misaligned extends Error {}

/**
 * Walks the Y.Doc in the same order readEditorDocument built `node` from it and records, for every
 * position of `node.content`, the item that produced it: the character's item for text, the element's
 * item for a node's opening and closing tokens. Answers null if the walk and the document disagree
 * (content y-prosemirror dropped or an embed it does not produce): attribution is then unknown.
 */
export function itemIdsByPosition(loaded: LoadedState): ItemIds | null {
  const { doc, node } = loaded;
  const schema = node.type.schema;
  const size = node.content.size;
  const client = new Float64Array(size).fill(-1);
  const clock = new Float64Array(size).fill(-1);
  let pos = 0;
  const mark = (id: Y.ID, at: number): void => {
    if (at >= size) throw new Misaligned();
    client[at] = id.client;
    clock[at] = id.clock;
  };
  const walk = (parent: Y.XmlFragment | Y.XmlElement): void => {
    for (const child of parent.toArray()) {
      // Text directly in the fragment is not part of the document (readEditorDocument skips it).
      if (child instanceof Y.XmlText && parent instanceof Y.XmlElement) {
        for (let item = child._start; item !== null; item = item.right) {
          if (item.deleted || !item.countable) continue;
          if (!(item.content instanceof Y.ContentString)) throw new Misaligned();
          if (pos + item.length > size) throw new Misaligned();
          client.fill(item.id.client, pos, pos + item.length);
          for (let i = 0; i < item.length; i++) clock[pos + i] = item.id.clock + i;
          pos += item.length;
        }
      } else if (child instanceof Y.XmlElement) {
        const type = schema.nodes[child.nodeName];
        const item = child._item;
        if (!type || !item) throw new Misaligned();
        mark(item.id, pos);
        if (type.isLeaf) {
          pos += 1;
          continue;
        }
        pos += 1;
        walk(child);
        mark(item.id, pos);
        pos += 1;
      } else if (!(child instanceof Y.XmlText)) {
        throw new Misaligned();
      }
    }
  };
  try {
    walk(doc.getXmlFragment(EDITOR_FRAGMENT));
  } catch (error) {
    if (error instanceof Misaligned) return null;
    throw error;
  }
  return pos === size ? { client, clock } : null;
}
