// Who wrote and who deleted which Yjs items, so a compare can say "inserted by Pakistan" or "deleted
// by Afghanistan" where that is known.
//
// Every Yjs item carries the id (client, clock) of the Y.Doc that created it, and a browser's Y.Doc
// gets a fresh random client id per page load; a deletion carries no author at all, only the ids of
// the items it removed. So, whenever a connection's update is committed, we record (a) each client id
// that first appears in it, under the connection's session identity, and (b) the id ranges its delete
// set removed, under the same identity. The server's own changes (restores) write under a fresh
// client id that is recorded for the person who asked for them.
//
// Attribution is a convenience, not a record of truth: rows are queued and written once per event-loop
// turn on a separate connection with synchronous=NORMAL (no fsync on the event loop for every
// keystroke), so a power loss may forget the last moments of attribution; the text itself is stored
// by the document store as always. Text whose author is not recorded is shown as unattributed.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import type { Delegation, PersonView } from '../../shared/workspace.js';
import type { Logger } from '../log.js';
import { describeError } from '../errors.js';
import { WORKSPACE_FILE_NAME } from '../workspace/workspace-store.js';

export type Author = PersonView;

/** Looks up the authors of the items of one document (built for one compare). */
export interface DocumentAuthors {
  insertedBy(client: number): Author | null;
  deletedBy(client: number, clock: number): Author | null;
}

/** A document's authorship rows: writers by Yjs client id; deletions ordered by client id, then clock. */
export interface AuthorRecords {
  writers: Array<[client: number, author: Author]>;
  deletions: Array<{ client: number; clock: number; length: number; author: Author }>;
}

/** Lookups over a document's authorship rows (built once per compare). */
export function documentAuthors({ writers, deletions }: AuthorRecords): DocumentAuthors {
  const writtenBy = new Map(writers);
  const deleters = new Map<number, Array<{ clock: number; end: number; author: Author }>>();
  for (const { client, clock, length, author } of deletions) {
    let ranges = deleters.get(client);
    if (!ranges) {
      ranges = [];
      deleters.set(client, ranges);
    }
    ranges.push({ clock, end: clock + length, author });
  }
  return {
    insertedBy: (client) => writtenBy.get(client) ?? null,
    deletedBy: (client, clock) => {
      const ranges = deleters.get(client);
      if (!ranges) return null;
      // The last range starting at or before `clock` (ranges of one client do not overlap: an item
      // is deleted once).
      let low = 0;
      let high = ranges.length - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if ((ranges[mid]?.clock ?? Infinity) <= clock) {
          found = mid;
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
      const range = ranges[found];
      return range && clock < range.end ? range.author : null;
    },
  };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS yjs_clients (
  document_id TEXT NOT NULL,
  client_id INTEGER NOT NULL,
  person_id TEXT NOT NULL,
  person_name TEXT NOT NULL,
  delegation TEXT NOT NULL,
  PRIMARY KEY (document_id, client_id)
);
CREATE TABLE IF NOT EXISTS yjs_deletions (
  document_id TEXT NOT NULL,
  client_id INTEGER NOT NULL,
  clock INTEGER NOT NULL,
  length INTEGER NOT NULL,
  person_id TEXT NOT NULL,
  person_name TEXT NOT NULL,
  delegation TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS yjs_deletions_by_document ON yjs_deletions (document_id, client_id, clock);
`;

interface QueuedClient {
  documentId: string;
  client: number;
  author: Author;
}
interface QueuedDeletion {
  documentId: string;
  client: number;
  clock: number;
  length: number;
  author: Author;
}

export class AuthorshipLog {
  private readonly db: Database.Database;
  /** Client ids already recorded (or queued) per loaded document, so most updates cost no write. */
  private readonly knownClients = new Map<string, Set<number>>();
  private clients: QueuedClient[] = [];
  private deletions: QueuedDeletion[] = [];
  private flushScheduled = false;

  constructor(
    location: string,
    private readonly log: Logger,
  ) {
    if (location === ':memory:') {
      this.db = new Database(':memory:');
    } else {
      fs.mkdirSync(location, { recursive: true });
      this.db = new Database(path.join(location, WORKSPACE_FILE_NAME));
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  /** Records who wrote the new items of `update` and who deleted what it deletes. */
  recordUpdate(documentId: string, update: Uint8Array, author: Author): void {
    const { structs, ds } = Y.decodeUpdate(update);
    for (const struct of structs) {
      // Skip placeholders: only real items are authored.
      if (struct instanceof Y.Item) this.noteClient(documentId, struct.id.client, author);
    }
    for (const [client, items] of ds.clients) {
      for (const { clock, len } of items) this.queueDeletion({ documentId, client, clock, length: len, author });
    }
  }

  /** Records that everything `client` writes in this document is written by `author`. */
  noteClient(documentId: string, client: number, author: Author): void {
    let known = this.knownClients.get(documentId);
    if (!known) {
      known = new Set();
      this.knownClients.set(documentId, known);
    }
    if (known.has(client)) return;
    known.add(client);
    this.clients.push({ documentId, client, author });
    this.scheduleFlush();
  }

  private queueDeletion(deletion: QueuedDeletion): void {
    // Backspacing deletes one item after another: merge with the previous range when they touch.
    const last = this.deletions[this.deletions.length - 1];
    if (
      last &&
      last.documentId === deletion.documentId &&
      last.client === deletion.client &&
      last.author.id === deletion.author.id &&
      (last.clock + last.length === deletion.clock || deletion.clock + deletion.length === last.clock)
    ) {
      last.clock = Math.min(last.clock, deletion.clock);
      last.length += deletion.length;
    } else {
      this.deletions.push(deletion);
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Writes everything queued (one transaction). A failure is logged; attribution is best effort. */
  flush(): void {
    if (this.clients.length === 0 && this.deletions.length === 0) return;
    const clients = this.clients;
    const deletions = this.deletions;
    this.clients = [];
    this.deletions = [];
    if (!this.db.open) return;
    try {
      this.db.transaction(() => {
        const insertClient = this.db.prepare(
          'INSERT OR IGNORE INTO yjs_clients (document_id, client_id, person_id, person_name, delegation) VALUES (?, ?, ?, ?, ?)',
        );
        for (const c of clients) insertClient.run(c.documentId, c.client, c.author.id, c.author.name, c.author.delegation);
        const insertDeletion = this.db.prepare(
          'INSERT INTO yjs_deletions (document_id, client_id, clock, length, person_id, person_name, delegation) VALUES (?, ?, ?, ?, ?, ?, ?)',
        );
        for (const d of deletions) {
          insertDeletion.run(d.documentId, d.client, d.clock, d.length, d.author.id, d.author.name, d.author.delegation);
        }
      }).immediate();
    } catch (error) {
      this.log.warn({ err: describeError(error), clients: clients.length, deletions: deletions.length }, 'recording authorship failed');
    }
  }

  /** The document is unloaded: its known client ids need not stay in memory. */
  forget(documentId: string): void {
    this.knownClients.delete(documentId);
  }

  /** Who wrote and who deleted what in one document, as plain data (it crosses to the export process). */
  authorRecords(documentId: string): AuthorRecords {
    this.flush();
    const writers = (
      this.db
        .prepare('SELECT client_id, person_id, person_name, delegation FROM yjs_clients WHERE document_id = ?')
        .all(documentId) as Array<{ client_id: number; person_id: string; person_name: string; delegation: string }>
    ).map((row): [number, Author] => [row.client_id, { id: row.person_id, name: row.person_name, delegation: row.delegation as Delegation }]);
    const deletions = (
      this.db
        .prepare(
          'SELECT client_id, clock, length, person_id, person_name, delegation FROM yjs_deletions WHERE document_id = ? ORDER BY client_id, clock',
        )
        .all(documentId) as Array<{ client_id: number; clock: number; length: number; person_id: string; person_name: string; delegation: string }>
    ).map((row) => ({
      client: row.client_id,
      clock: row.clock,
      length: row.length,
      author: { id: row.person_id, name: row.person_name, delegation: row.delegation as Delegation },
    }));
    return { writers, deletions };
  }

  close(): void {
    this.flush();
    if (this.db.open) this.db.close();
  }
}
