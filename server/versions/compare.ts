// Compares two editor documents: inline insertions and deletions per block, who made them where known,
// and a summary count.
//
// 1. Both documents are cut into units: each textblock (or leaf block such as a rule) and the structure
//    tokens between them (list and quote openings/closings). Myers' diff over the units' keys finds
//    the blocks that differ, wherever they sit in the document; within a region where several blocks
//    differ, blocks are paired with their most similar earlier form (splitRegion).
// 2. Inside each piece, a token diff (characters with their marks, node boundaries with attributes)
//    finds the exact insertions and deletions; prosemirror-changeset's `simplifyChanges` then widens
//    changes that mix insertions and deletions within a word to the whole word.
//    Why not ChangeSet.addSteps with one ReplaceStep of the whole text: its diff gives up beyond 10,000
//    tokens or 2,500 edits and answers "everything replaced" (a 50-page text with edits at both ends),
//    and it merges touching ranges, which undoes the block pairing.
// 3. One walk over both documents emits the unchanged, deleted and inserted runs in reading order,
//    grouped into blocks (deleted blocks appear where they were), and splits inserted and deleted runs
//    by author using the Yjs item behind each position.
import { Change, simplifyChanges } from '@tiptap/pm/changeset';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { Delegation } from '../../shared/workspace.js';
import type { DiffBlock, DiffSpan, DiffSummary } from '../../shared/versions.js';
import type { Author } from './authorship.js';
import { countCharacters } from './version-content.js';
import { diffSequences, type Region } from './sequence-diff.js';

/** Who made the change at a position: of the newer document for insertions, of the older for deletions. */
export interface ChangeAttribution {
  insertedAt(position: number): Author | null;
  deletedAt(position: number): Author | null;
}

export interface Comparison {
  summary: DiffSummary;
  blocks: DiffBlock[];
}

type Token = string | number;

function attrsKey(node: ProseMirrorNode): string {
  const keys = Object.keys(node.attrs);
  return keys.length === 0 ? '' : JSON.stringify(node.attrs);
}

interface Unit {
  key: string;
  from: number;
  to: number;
  /** The block, for block units (gaps have none). */
  block: ProseMirrorNode | null;
}

function isUnitBlock(node: ProseMirrorNode): boolean {
  return node.isTextblock || (node.isBlock && node.isLeaf);
}

/** The document as alternating gaps (structure tokens) and blocks, covering [0, content.size). */
function unitsOf(doc: ProseMirrorNode): Unit[] {
  const units: Unit[] = [];
  let gapFrom = 0;
  let gapKey = '';
  const walk = (parent: ProseMirrorNode, contentStart: number): void => {
    parent.forEach((child, offset) => {
      const start = contentStart + offset;
      if (isUnitBlock(child)) {
        units.push({ key: `g${gapKey}`, from: gapFrom, to: start, block: null });
        units.push({ key: `b${JSON.stringify(child.toJSON())}`, from: start, to: start + child.nodeSize, block: child });
        gapFrom = start + child.nodeSize;
        gapKey = '';
      } else {
        gapKey += `<${child.type.name}${attrsKey(child)}`;
        walk(child, start + 1);
        gapKey += `>${child.type.name}`;
      }
    });
  };
  walk(doc, 0);
  units.push({ key: `g${gapKey}`, from: gapFrom, to: doc.content.size, block: null });
  return units;
}

/** The changed ranges between `a` and `b` (A positions in `a`, B positions in `b`), in order. */
export function changesBetween(a: ProseMirrorNode, b: ProseMirrorNode): readonly Change[] {
  const unitsA = unitsOf(a);
  const unitsB = unitsOf(b);
  const regions = diffSequences(
    unitsA.map((u) => u.key),
    unitsB.map((u) => u.key),
  );
  const positionA = (index: number): number => unitsA[index]?.from ?? a.content.size;
  const positionB = (index: number): number => unitsB[index]?.from ?? b.content.size;
  const changes: Change[] = [];
  for (const piece of regions.flatMap((region): Piece[] => splitRegion(region, unitsA, unitsB))) {
    const fromA = positionA(piece.aFrom);
    const toA = piece.aTo > piece.aFrom ? (unitsA[piece.aTo - 1]?.to ?? fromA) : fromA;
    const fromB = positionB(piece.bFrom);
    const toB = piece.bTo > piece.bFrom ? (unitsB[piece.bTo - 1]?.to ?? fromB) : fromB;
    if (toA === fromA && toB === fromB) continue;
    if (toA === fromA || toB === fromB || piece.whole) {
      changes.push(change(fromA, toA, fromB, toB));
      continue;
    }
    // Pieces start and end on block boundaries, so token i of a piece is position from + i.
    const tokensA = tokensBetween(a, fromA, toA);
    const tokensB = tokensBetween(b, fromB, toB);
    const minUnchanged = Math.min(15, Math.max(2, Math.floor(Math.max(tokensA.length, tokensB.length) / 10)));
    const joined: Region[] = [];
    for (const region of diffSequences(tokensA, tokensB)) {
      // Runs of a few matching tokens inside a rewrite are coincidences ("diff soup"): join across them.
      const last = joined[joined.length - 1];
      if (last && region.aFrom - last.aTo < minUnchanged && region.bFrom - last.bTo < minUnchanged) {
        last.aTo = region.aTo;
        last.bTo = region.bTo;
      } else {
        joined.push({ ...region });
      }
    }
    for (const r of joined) changes.push(change(fromA + r.aFrom, fromA + r.aTo, fromB + r.bFrom, fromB + r.bTo));
  }
  return changes.length === 0 ? changes : simplifyChanges(changes, b);
}

function change(fromA: number, toA: number, fromB: number, toB: number): Change {
  return Change.fromJSON({
    fromA,
    toA,
    fromB,
    toB,
    deleted: toA > fromA ? [{ length: toA - fromA, data: null }] : [],
    inserted: toB > fromB ? [{ length: toB - fromB, data: null }] : [],
  });
}

/**
 * The tokens of doc[from, to) (whole nodes or node boundaries only): a character by its code and marks
 * (the content hash covers formatting, so a compare must show it: newly bold text reads as deleted and
 * inserted again), a node opening by its type and attributes (so a paragraph turned into a heading
 * shows), a closing by its type, a leaf by its type and attributes.
 */
function tokensBetween(doc: ProseMirrorNode, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  const walk = (parent: ProseMirrorNode, contentStart: number): void => {
    parent.forEach((child, offset) => {
      const start = contentStart + offset;
      const end = start + child.nodeSize;
      if (end <= from || start >= to) return;
      if (child.isText) {
        const text = child.text ?? '';
        const marks = child.marks.length === 0 ? '' : `:${child.marks.map((m) => `${m.type.name}${Object.keys(m.attrs).length ? JSON.stringify(m.attrs) : ''}`).join(',')}`;
        for (let p = Math.max(from, start); p < Math.min(to, end); p++) {
          const code = text.charCodeAt(p - start);
          tokens.push(marks ? `${code}${marks}` : code);
        }
      } else if (child.isLeaf) {
        tokens.push(`<${child.type.name}${attrsKey(child)}`);
      } else {
        if (start >= from) tokens.push(`<${child.type.name}${attrsKey(child)}`);
        walk(child, start + 1);
        if (end <= to) tokens.push(`>${child.type.name}`);
      }
    });
  };
  walk(doc, 0);
  return tokens;
}

/** Blocks this similar (Dice coefficient of their character pairs) are compared with each other. */
const SIMILAR_BLOCKS = 0.4;
/** Regions with more block pairs than this are not split (bounds the work on a total rewrite). */
const MAX_PAIRINGS = 40_000;

/** A stretch of units to compare; `whole`: replaced as a whole (no similar blocks to diff inside). */
interface Piece extends Region {
  whole?: boolean;
}

/**
 * Splits a region in which blocks changed so that each edited block is compared with its own earlier
 * form, and blocks with no similar counterpart are whole deletions and insertions. Without this, an
 * edited paragraph followed by a new one may be diffed as one stretch, and unrelated paragraphs would
 * be shown as letter-by-letter rewrites of each other.
 */
function splitRegion(region: Region, unitsA: readonly Unit[], unitsB: readonly Unit[]): Piece[] {
  const blocksA: number[] = [];
  const blocksB: number[] = [];
  for (let i = region.aFrom; i < region.aTo; i++) if (unitsA[i]?.block) blocksA.push(i);
  for (let i = region.bFrom; i < region.bTo; i++) if (unitsB[i]?.block) blocksB.push(i);
  if (blocksA.length === 0 || blocksB.length === 0 || blocksA.length * blocksB.length > MAX_PAIRINGS) return [region];
  const textsA = blocksA.map((i) => unitsA[i]?.block?.textContent ?? '');
  const textsB = blocksB.map((i) => unitsB[i]?.block?.textContent ?? '');
  const pairsA = textsA.map(characterPairs);
  const pairsB = textsB.map(characterPairs);
  // Best total similarity of an order-preserving pairing (like an LCS with weights).
  const n = blocksA.length;
  const m = blocksB.length;
  const score = new Float64Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => score[i * (m + 1) + j] ?? 0;
  const similarity = new Float64Array(n * m);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const sim = dice(pairsA[i - 1] as Map<string, number>, pairsB[j - 1] as Map<string, number>, textsA[i - 1] ?? '', textsB[j - 1] ?? '');
      similarity[(i - 1) * m + (j - 1)] = sim;
      const matched = sim >= SIMILAR_BLOCKS ? at(i - 1, j - 1) + sim : -1;
      score[i * (m + 1) + j] = Math.max(at(i - 1, j), at(i, j - 1), matched);
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let i = n, j = m; i > 0 && j > 0; ) {
    const sim = similarity[(i - 1) * m + (j - 1)] ?? 0;
    if (sim >= SIMILAR_BLOCKS && at(i, j) === at(i - 1, j - 1) + sim) {
      pairs.push([blocksA[i - 1] as number, blocksB[j - 1] as number]);
      i--;
      j--;
    } else if (at(i, j) === at(i - 1, j)) {
      i--;
    } else {
      j--;
    }
  }
  pairs.reverse();
  const pieces: Piece[] = [];
  /** Units between pairs: whole if both sides hold (unmatched, so dissimilar) blocks. */
  const between = (aFrom: number, aTo: number, bFrom: number, bTo: number): void => {
    if (aTo <= aFrom && bTo <= bFrom) return;
    const hasBlock = (units: readonly Unit[], from: number, to: number): boolean => units.slice(from, to).some((u) => u.block);
    pieces.push({ aFrom, aTo, bFrom, bTo, whole: hasBlock(unitsA, aFrom, aTo) && hasBlock(unitsB, bFrom, bTo) });
  };
  let cursorA = region.aFrom;
  let cursorB = region.bFrom;
  for (const [ia, ib] of pairs) {
    between(cursorA, ia, cursorB, ib);
    pieces.push({ aFrom: ia, aTo: ia + 1, bFrom: ib, bTo: ib + 1 });
    cursorA = ia + 1;
    cursorB = ib + 1;
  }
  between(cursorA, region.aTo, cursorB, region.bTo);
  return pieces;
}

function characterPairs(text: string): Map<string, number> {
  const pairs = new Map<string, number>();
  for (let i = 0; i + 1 < text.length; i++) {
    const pair = text.slice(i, i + 2);
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  return pairs;
}

function dice(a: Map<string, number>, b: Map<string, number>, textA: string, textB: string): number {
  if (textA === textB) return 1;
  const total = Math.max(0, textA.length - 1) + Math.max(0, textB.length - 1);
  if (total === 0) return 0;
  let shared = 0;
  for (const [pair, count] of a) shared += Math.min(count, b.get(pair) ?? 0);
  return (2 * shared) / total;
}

/** Counts only: what a version list shows as its size of change. */
export function changeSize(a: ProseMirrorNode, b: ProseMirrorNode): { inserted: number; deleted: number } {
  let inserted = 0;
  let deleted = 0;
  for (const change of changesBetween(a, b)) {
    deleted += countCharacters(a.textBetween(change.fromA, change.toA));
    inserted += countCharacters(b.textBetween(change.fromB, change.toB));
  }
  return { inserted, deleted };
}

type SpanType = DiffSpan['type'];

/** The full compare of `a` (older) and `b` (newer). */
export function compareDocuments(a: ProseMirrorNode, b: ProseMirrorNode, attribution: ChangeAttribution | null = null): Comparison {
  const changes = changesBetween(a, b);
  const blocks: DiffBlock[] = [];
  const summary: DiffSummary = { insertedCharacters: 0, deletedCharacters: 0, insertions: 0, deletions: 0, byDelegation: {} };
  /** The newest block of the newer document (unchanged and inserted text goes there). */
  let currentB: DiffBlock | null = null;
  /** The newest block of either kind (deleted text goes there). */
  let currentAny: DiffBlock | null = null;
  /** A block whose start was deleted: shown only if some of its text was deleted too (not for a mere
   * paragraph merge or type change, where its text lives on in another block). */
  let pendingDeleted: DiffBlock | null = null;
  let runHasText = false;

  const startBlock = (block: DiffBlock): void => {
    if (block.change === 'deleted') {
      pendingDeleted = block;
      return;
    }
    pendingDeleted = null;
    blocks.push(block);
    currentB = block;
    currentAny = block;
  };
  const blockFor = (type: SpanType): DiffBlock => {
    if (type === 'delete' && pendingDeleted) {
      blocks.push(pendingDeleted);
      currentAny = pendingDeleted;
      pendingDeleted = null;
    }
    const block = type === 'delete' ? currentAny : currentB;
    if (block) return block;
    // Text before any block (valid documents have none) still gets a home.
    const home: DiffBlock = { node: 'paragraph', attrs: {}, path: [], change: 'same', spans: [] };
    blocks.push(home);
    currentB = home;
    currentAny = home;
    return home;
  };

  const addText = (type: SpanType, text: string, author: Author | null, counted: boolean): void => {
    if (text === '') return;
    const block = blockFor(type);
    const last = block.spans[block.spans.length - 1];
    const delegation: Delegation | undefined = type === 'same' ? undefined : author?.delegation;
    const name = type === 'same' ? undefined : author?.name;
    if (last && last.type === type && last.delegation === delegation && last.author === name) {
      last.text += text;
    } else {
      const span: DiffSpan = { type, text };
      if (delegation !== undefined) span.delegation = delegation;
      if (name !== undefined) span.author = name;
      block.spans.push(span);
    }
    if (type === 'same' || !counted) return;
    const characters = countCharacters(text);
    runHasText = true;
    const bucket = (summary.byDelegation[delegation ?? 'unknown'] ??= { inserted: 0, deleted: 0 });
    if (type === 'insert') {
      summary.insertedCharacters += characters;
      bucket.inserted += characters;
    } else {
      summary.deletedCharacters += characters;
      bucket.deleted += characters;
    }
  };

  /** Emits doc[from, to) as runs of `type`, split by author for insertions and deletions. */
  const emit = (doc: ProseMirrorNode, from: number, to: number, type: SpanType): void => {
    if (from >= to) return;
    const authorAt =
      type === 'insert' ? attribution?.insertedAt.bind(attribution) : type === 'delete' ? attribution?.deletedAt.bind(attribution) : undefined;
    doc.nodesBetween(from, to, (node, pos) => {
      if (node.isText) {
        const start = Math.max(from, pos);
        const end = Math.min(to, pos + node.nodeSize);
        const text = node.text ?? '';
        if (!authorAt) {
          addText(type, text.slice(start - pos, end - pos), null, true);
          return false;
        }
        let runStart = start;
        let runAuthor = authorAt(start);
        for (let p = start + 1; p <= end; p++) {
          const author = p < end ? authorAt(p) : undefined;
          if (p === end || author?.id !== runAuthor?.id) {
            addText(type, text.slice(runStart - pos, p - pos), runAuthor, true);
            runStart = p;
            runAuthor = author ?? null;
          }
        }
        return false;
      }
      if (isUnitBlock(node)) {
        if (pos >= from) {
          const $pos = doc.resolve(pos);
          const path: string[] = [];
          for (let depth = 1; depth <= $pos.depth; depth++) path.push($pos.node(depth).type.name);
          startBlock({
            node: node.type.name,
            attrs: { ...node.attrs },
            path,
            change: type === 'same' ? 'same' : type === 'insert' ? 'inserted' : 'deleted',
            spans: [],
          });
        }
        return !node.isLeaf;
      }
      if (node.isInline && node.isLeaf && pos >= from) {
        // A hard break reads as a line break; it is shown but not counted as a character.
        addText(type, leafText(node), authorAt?.(pos) ?? null, false);
      }
      return true;
    });
  };

  let posB = 0;
  for (const change of changes) {
    // Only insertions and deletions set runHasText (unchanged text is not counted).
    emit(b, posB, change.fromB, 'same');
    emit(a, change.fromA, change.toA, 'delete');
    if (runHasText) summary.deletions++;
    runHasText = false;
    emit(b, change.fromB, change.toB, 'insert');
    if (runHasText) summary.insertions++;
    runHasText = false;
    posB = change.toB;
  }
  emit(b, posB, b.content.size, 'same');
  return { summary, blocks };
}

function leafText(node: ProseMirrorNode): string {
  const spec = node.type.spec.leafText;
  return spec ? spec(node) : '\n';
}

