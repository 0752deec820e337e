// Reading the live text's hash and size (and, when asked, its editor JSON and plain text), as plain
// data in and out, in the export process. The versions panel polls the list every 4 s while it is
// open, and while anyone types each poll finds a new text: for the 50-page communiqué, turning the
// Yjs state into the editor document, its JSON and its SHA-256 took ~50 ms of the server's event loop
// per poll per viewer. Here the server only waits until the text is on disk (or, with in-memory
// storage, encodes the state: ~5 ms).
import type { Schema } from '@tiptap/pm/model';
import type { EditorJson } from '../../shared/versions.js';
import { loadLiveText, type LiveText, type StoredUpdates } from '../export/export-job.js';
import { describeContent, readEditorDocument } from './version-content.js';

export interface DescribeJob {
  text: LiveText;
  /** Also the editor JSON and the plain text (for showing the live text), not only hash and size. */
  full: boolean;
}

export interface DescribeOutput {
  contentHash: string;
  characters: number;
  content?: { json: EditorJson; text: string };
}

export function runDescribeJob(job: DescribeJob, schema: Schema, stored: StoredUpdates | null): DescribeOutput {
  const doc = loadLiveText(job.text, stored);
  try {
    const { json, text, contentHash, characters } = describeContent(readEditorDocument(doc, schema));
    return job.full ? { contentHash, characters, content: { json, text } } : { contentHash, characters };
  } finally {
    doc.destroy();
  }
}
