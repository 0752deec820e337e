// One comparison of two texts, as plain data in and out. The export process (export-worker.ts) runs
// it at the lowest CPU priority: for the 50-page communiqué, loading both states, diffing them and
// attributing every change takes 0.2–0.5 s of CPU (`npm run bench:versions`), and on the server's
// event loop that is 0.2–0.5 s in which no room relays an edit.
import type { Schema } from '@tiptap/pm/model';
import { documentAuthors, type AuthorRecords, type DocumentAuthors } from './authorship.js';
import { compareDocuments, type ChangeAttribution, type Comparison } from './compare.js';
import { describeContent, itemIdsByPosition, loadState, type LoadedState } from './version-content.js';

export interface CompareJob {
  /** The older side and the newer side, as Yjs states (a saved version's, or the live one's). */
  from: Uint8Array;
  to: Uint8Array;
  /** The document's authorship rows: who wrote each inserted item and who deleted each deleted one. */
  authors: AuthorRecords;
}

export interface CompareOutput extends Comparison {
  /** Each side's content hash (a live side has no version row to carry one). */
  fromHash: string;
  toHash: string;
}

export function runCompareJob(job: CompareJob, schema: Schema): CompareOutput {
  const from = loadState(job.from, schema);
  try {
    const to = loadState(job.to, schema);
    try {
      const { summary, blocks } = compareDocuments(from.node, to.node, attribution(from, to, documentAuthors(job.authors)));
      return { summary, blocks, fromHash: describeContent(from.node).contentHash, toHash: describeContent(to.node).contentHash };
    } finally {
      to.doc.destroy();
    }
  } finally {
    from.doc.destroy();
  }
}

/** Who inserted each position of `b`, and who deleted each position of `a`, by the items' Yjs ids. */
function attribution(a: LoadedState, b: LoadedState, authors: DocumentAuthors): ChangeAttribution {
  const idsA = itemIdsByPosition(a);
  const idsB = itemIdsByPosition(b);
  return {
    insertedAt: (position) => {
      const client = idsB?.client[position] ?? -1;
      return client < 0 ? null : authors.insertedBy(client);
    },
    deletedAt: (position) => {
      const client = idsA?.client[position] ?? -1;
      const clock = idsA?.clock[position] ?? -1;
      return client < 0 ? null : authors.deletedBy(client, clock);
    },
  };
}
