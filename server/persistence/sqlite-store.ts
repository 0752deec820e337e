// SQLite DocumentStore (better-sqlite3, WAL). The default backend: one file, `DATA_DIR/concord.sqlite`.
//
// Durability, in two steps (see document-store.ts):
// - A commit (appendUpdates, compact) writes its rows to the WAL on this thread, with SQLite's own
//   `synchronous=NORMAL` (~30 µs, no fsync). Once it returns, another connection reads the rows and
//   they survive a crash of this process (SIGKILL, OOM): the page cache belongs to the kernel.
// - `sync()`, with SQLITE_SYNCHRONOUS=FULL (the default), `fdatasync`s the WAL file on libuv's thread
//   pool: then every commit made before the call is on the device and survives a power loss, which is
//   SQLite's own FULL guarantee. Calls made while a sync runs share the one after it, so a busy server
//   costs one fdatasync per flush, not per commit, and flushes start at least `minSyncIntervalMs`
//   apart (FLUSH_INTERVAL_MS, 100 ms by default): under load the disk sees at most ~10 flushes a
//   second instead of one after another (at 20 documents × 16 typists, 270 a second, 14% of the
//   server's CPU) or one per keystroke (16 typists in one document: ~32 a second, ~5% of the
//   server's CPU on the thread pool), and a quiet server's first flush still starts at once. The
//   cost: a *Saved* acknowledgement can come up to 100 ms later.
// - With NORMAL, sync() does nothing and the last commits before a power loss may roll back (SQLite
//   still syncs at each checkpoint, every ~1,000 WAL pages).
//
// Why the sync is not SQLite's FULL: on this thread its fsync would stall every room's relay,
// presence and joins for as long as the disk takes; on a writer thread (the design until 2026-11-27)
// the round trip cost more CPU than the relay itself at 1 document × 16 clients. Here only the write
// blocks. fdatasync on our own descriptor flushes the same file (inode) SQLite writes.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteSynchronous } from '../config.js';
import type { DocumentStore, StoredUpdate } from './document-store.js';
import { settleNow } from './settle-now.js';

export const SQLITE_FILE_NAME = 'concord.sqlite';

// seq only orders a document's rows. A plain rowid does that: each insert takes the largest rowid + 1,
// so it follows every row still stored, and the only rowids ever reused are those of deleted rows.
// AUTOINCREMENT would promise never to reuse even those, at the price of updating sqlite_sequence, a
// third page in every commit (~10 µs and 4 KiB of WAL each); files made before keep it, harmlessly.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS document_updates (
  seq INTEGER PRIMARY KEY,
  document_id TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS document_updates_by_document ON document_updates (document_id, seq);
`;

const SELECT_UPDATES = 'SELECT data FROM document_updates WHERE document_id = ? ORDER BY seq';

/**
 * A read-only view of a Concord SQLite file for another thread (the export worker): every committed
 * update of a document, oldest first, read from one snapshot (a compaction is either wholly in it or
 * not at all).
 */
export class SqliteUpdateReader {
  private readonly db: Database.Database;
  private readonly selectUpdates: Database.Statement<[string], { data: Buffer }>;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.selectUpdates = this.db.prepare(SELECT_UPDATES);
  }

  loadUpdates(documentId: string): Uint8Array[] {
    return this.selectUpdates.all(documentId).map((row) => new Uint8Array(row.data));
  }

  close(): void {
    this.db.close();
  }
}

export class SqliteDocumentStore implements DocumentStore {
  private readonly db: Database.Database;
  /** The database file (the export process reads committed updates from it directly). */
  readonly file: string;
  private readonly walFile: string;
  /** Our own read-only descriptor of the WAL file, opened after the first commit created it. */
  private walFd: number | null = null;
  private readonly selectUpdates: Database.Statement<[string], { data: Buffer }>;
  private readonly countRows: Database.Statement<[string], { n: number }>;
  private readonly appendAll: (batch: readonly StoredUpdate[]) => void;
  private readonly replaceAll: (documentId: string, state: Uint8Array) => void;
  /** The fdatasync in flight, and the one queued behind it for the callers that came meanwhile. */
  private currentSync: Promise<void> | null = null;
  private nextSync: Promise<void> | null = null;
  /** A commit happened since the last sync started (close() syncs it). */
  private unsynced = false;
  private lastSyncStartedAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    dataDir: string,
    private readonly synchronous: SqliteSynchronous = 'FULL',
    /** The least time between the starts of two fdatasyncs (0: each starts as soon as the last ends). */
    private readonly minSyncIntervalMs = 0,
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, SQLITE_FILE_NAME);
    this.walFile = `${this.file}-wal`;
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in both modes: the sync that FULL promises is ours (sync()), off this thread.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.selectUpdates = this.db.prepare(SELECT_UPDATES);
    this.countRows = this.db.prepare('SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ?');
    const insert = this.db.prepare<[string, Uint8Array]>('INSERT INTO document_updates (document_id, data) VALUES (?, ?)');
    const remove = this.db.prepare<[string]>('DELETE FROM document_updates WHERE document_id = ?');
    // db.transaction() commits on return and rolls back on throw: all or nothing per call. The
    // binding copies each blob, so the caller may reuse its buffers at once.
    this.appendAll = this.db.transaction((batch: readonly StoredUpdate[]) => {
      for (const { documentId, update } of batch) insert.run(documentId, update);
    });
    this.replaceAll = this.db.transaction((documentId: string, state: Uint8Array) => {
      remove.run(documentId);
      insert.run(documentId, state);
    });
  }

  loadUpdates(documentId: string): Promise<Uint8Array[]> {
    return settleNow(() => this.selectUpdates.all(documentId).map((row) => new Uint8Array(row.data)));
  }

  appendUpdates(batch: readonly StoredUpdate[]): Promise<void> {
    return this.commit(() => this.appendAll(batch));
  }

  compact(documentId: string, state: Uint8Array): Promise<void> {
    return this.commit(() => this.replaceAll(documentId, state));
  }

  countUpdates(documentId: string): Promise<number> {
    return settleNow(() => this.countRows.get(documentId)?.n ?? 0);
  }

  /**
   * With FULL, resolves once an fdatasync of the WAL that started after this call has completed. One
   * runs at a time: calls made while one runs wait for the next, which starts when it ends (and no
   * sooner than `minSyncIntervalMs` after it started) and serves them all.
   */
  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    if (this.synchronous === 'NORMAL') return Promise.resolve();
    if (this.nextSync) return this.nextSync;
    if (!this.currentSync && this.msBeforeNextSync() === 0) return this.startSync();
    const next = (this.currentSync ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        const wait = this.msBeforeNextSync();
        return wait > 0 ? new Promise<void>((resolve) => setTimeout(resolve, wait)) : undefined;
      })
      .then(() => {
        this.nextSync = null;
        return this.startSync();
      });
    this.nextSync = next;
    return next;
  }

  private msBeforeNextSync(): number {
    return Math.max(0, this.lastSyncStartedAt + this.minSyncIntervalMs - performance.now());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // One last sync, so that a clean shutdown leaves every commit on the device (the export process may
    // still hold the file open, in which case SQLite does not checkpoint on our close).
    if (this.unsynced) await this.sync().catch(() => undefined);
    this.closed = true;
    await Promise.allSettled([this.currentSync, this.nextSync]);
    if (this.walFd !== null) fs.closeSync(this.walFd);
    this.walFd = null;
    if (this.db.open) this.db.close();
  }

  private commit(write: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return settleNow(() => {
      write();
      if (this.synchronous === 'FULL') this.unsynced = true;
    });
  }

  private startSync(): Promise<void> {
    this.lastSyncStartedAt = performance.now();
    this.unsynced = false;
    const sync = this.syncWal();
    this.currentSync = sync;
    const done = (): void => {
      if (this.currentSync === sync) this.currentSync = null;
    };
    sync.then(done, done);
    return sync;
  }

  private syncWal(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let fd: number;
      try {
        fd = this.walDescriptor();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      fs.fdatasync(fd, (error) => {
        if (error) reject(new Error(`syncing the write-ahead log failed: ${error.message}`));
        else resolve();
      });
    });
  }

  /**
   * SQLite creates the WAL file with the connection's first write and keeps it (same inode) while any
   * connection is open; it only deletes it when the last one closes, which is this one, in close().
   * The directory is synced once so that the file's own name survives a power loss too.
   */
  private walDescriptor(): number {
    if (this.walFd !== null) return this.walFd;
    const fd = fs.openSync(this.walFile, 'r');
    const dir = fs.openSync(path.dirname(this.walFile), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
    this.walFd = fd;
    return fd;
  }
}
