// SQLite DocumentStore (better-sqlite3, WAL). The default backend: one file, `DATA_DIR/concord.sqlite`.
//
// Durability: WAL mode with `synchronous=FULL` (default) fsyncs the WAL on every commit, so a committed
// batch survives a process crash *and* power loss. `synchronous=NORMAL` skips that fsync: a committed
// batch survives a process crash (SIGKILL, OOM) but the last commits before a power loss may roll back.
// Commits are grouped by the caller (one transaction per event-loop turn), so FULL costs one fsync
// per turn, not per keystroke.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteSynchronous } from '../config.js';
import type { DocumentStore, StoredUpdate } from './document-store.js';
import { settleNow } from './settle-now.js';

export const SQLITE_FILE_NAME = 'concord.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS document_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS document_updates_by_document ON document_updates (document_id, seq);
`;

export class SqliteDocumentStore implements DocumentStore {
  private readonly db: Database.Database;
  private readonly selectUpdates: Database.Statement<[string], { data: Buffer }>;
  private readonly insertUpdate: Database.Statement<[string, Uint8Array]>;
  private readonly deleteUpdates: Database.Statement<[string]>;
  private readonly countRows: Database.Statement<[string], { n: number }>;
  private readonly appendAll: (batch: readonly StoredUpdate[]) => void;
  private readonly replaceAll: (documentId: string, state: Uint8Array) => void;

  constructor(dataDir: string, synchronous: SqliteSynchronous = 'FULL') {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, SQLITE_FILE_NAME));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.selectUpdates = this.db.prepare('SELECT data FROM document_updates WHERE document_id = ? ORDER BY seq');
    this.insertUpdate = this.db.prepare('INSERT INTO document_updates (document_id, data) VALUES (?, ?)');
    this.deleteUpdates = this.db.prepare('DELETE FROM document_updates WHERE document_id = ?');
    this.countRows = this.db.prepare('SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ?');
    // db.transaction() commits on return and rolls back on throw: all-or-nothing per call.
    this.appendAll = this.db.transaction((batch: readonly StoredUpdate[]) => {
      for (const { documentId, update } of batch) this.insertUpdate.run(documentId, update);
    });
    this.replaceAll = this.db.transaction((documentId: string, state: Uint8Array) => {
      this.deleteUpdates.run(documentId);
      this.insertUpdate.run(documentId, state);
    });
  }

  loadUpdates(documentId: string): Promise<Uint8Array[]> {
    return settleNow(() => this.selectUpdates.all(documentId).map((row) => new Uint8Array(row.data)));
  }

  appendUpdates(batch: readonly StoredUpdate[]): Promise<void> {
    // Synchronous on purpose: the commit happens inside this event-loop turn, so nothing can be
    // relayed (or answered in a sync reply) between "applied in memory" and "on disk".
    return settleNow(() => this.appendAll(batch));
  }

  compact(documentId: string, state: Uint8Array): Promise<void> {
    return settleNow(() => this.replaceAll(documentId, state));
  }

  countUpdates(documentId: string): Promise<number> {
    return settleNow(() => this.countRows.get(documentId)?.n ?? 0);
  }

  close(): Promise<void> {
    return settleNow(() => {
      if (this.db.open) this.db.close();
    });
  }
}

