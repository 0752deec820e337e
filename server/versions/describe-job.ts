// Reading the live text's hash and size (and, when asked, its editor JSON, plain text, state and
// change since the newest version), as plain data in and out, in the export process. The versions
// panel polls the list every 4 s while it is open, and while anyone types each poll finds a new text:
// for the 50-page communiqué, turning the Yjs state into the editor document, its JSON and its
// SHA-256 took ~50 ms of the server's event loop per poll per viewer, and an automatic version ~165 ms.
// Here the server only waits until the text is on disk (or, with in-memory storage, encodes the state).
import type { Node as ProseMirrorNode, Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import type { EditorJson } from '../../shared/versions.js';
import { loadLiveText, type LiveText, type StoredUpdates } from '../export/export-job.js';
import { changeSize } from './compare.js';
import { describeContent, loadState, readEditorDocument } from './version-content.js';

export interface DescribeJob {
  text: LiveText;
  /** Also the editor JSON and the plain text (for showing or saving the text), not only hash and size. */
  full: boolean;
  /** Also the text's Yjs state (an automatic version read from disk stores it). */
  withState?: boolean;
  /** For a version: the newest version's Yjs state to measure the change from (null: none, all is new). */
  changeFrom?: { state: Uint8Array | null };
}

export interface DescribeOutput {
  contentHash: string;
  characters: number;
  content?: { json: EditorJson; text: string };
  state?: Uint8Array;
  change?: { inserted: number; deleted: number };
}

export function runDescribeJob(job: DescribeJob, schema: Schema, stored: StoredUpdates | null): DescribeOutput {
  const doc = loadLiveText(job.text, stored);
  try {
    const { node, json, text, contentHash, characters } = describeContent(readEditorDocument(doc, schema));
    const output: DescribeOutput = { contentHash, characters };
    if (job.full) output.content = { json, text };
    if (job.withState) output.state = Y.encodeStateAsUpdate(doc);
    if (job.changeFrom) output.change = changeFrom(job.changeFrom.state, node, characters, schema);
    return output;
  } finally {
    doc.destroy();
  }
}

function changeFrom(previous: Uint8Array | null, node: ProseMirrorNode, characters: number, schema: Schema): { inserted: number; deleted: number } {
  if (!previous) return { inserted: characters, deleted: 0 };
  const before = loadState(previous, schema);
  try {
    return changeSize(before.node, node);
  } finally {
    before.doc.destroy();
  }
}
