// SQLite DocumentStore (better-sqlite3, WAL). The default backend: one file, `DATA_DIR/concord.sqlite`.
//
// Durability: WAL mode with `synchronous=FULL` (default) fsyncs the WAL on every commit, so a committed
// batch survives a process crash *and* power loss. `synchronous=NORMAL` skips that fsync: a committed
// batch survives a process crash (SIGKILL, OOM) but the last commits before a power loss may roll back.
// Commits are grouped by the caller (one transaction per event-loop turn, and whatever arrives while
// a commit runs forms the next), so FULL costs one fsync per batch, not per keystroke.
//
// Writes run on a worker thread (sqlite-write-worker.mjs) so that fsync never blocks the event loop;
// reads (loading a document) use this thread's own connection, which sees every committed write.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
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

const WORKER_URL = new URL('./sqlite-write-worker.mjs', import.meta.url);
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

/** What the writer thread (sqlite-write-worker.mjs) accepts and answers. */
type WriteRequest =
  | { id: number; op: 'append'; documentIds: string[]; updates: Uint8Array[] }
  | { id: number; op: 'compact'; documentId: string; state: Uint8Array };
type WriteReply = { id: number; ok: true } | { id: number; ok: false; error: string };

export class SqliteDocumentStore implements DocumentStore {
  private readonly db: Database.Database;
  /** The database file (the export thread reads committed updates from it directly). */
  readonly file: string;
  private readonly selectUpdates: Database.Statement<[string], { data: Buffer }>;
  private readonly countRows: Database.Statement<[string], { n: number }>;
  private worker: Worker | null = null;
  private readonly inFlight = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextRequestId = 1;
  private readonly requests = new Set<Promise<void>>();
  private closed = false;

  constructor(
    dataDir: string,
    private readonly synchronous: SqliteSynchronous = 'FULL',
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, SQLITE_FILE_NAME);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.selectUpdates = this.db.prepare(SELECT_UPDATES);
    this.countRows = this.db.prepare('SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ?');
    // Started now, not on the first write: booting the thread takes ~0.3 s, which would otherwise
    // delay the first edits (and every handshake waiting on them) after a start.
    this.writer();
  }

  loadUpdates(documentId: string): Promise<Uint8Array[]> {
    return settleNow(() => this.selectUpdates.all(documentId).map((row) => new Uint8Array(row.data)));
  }

  appendUpdates(batch: readonly StoredUpdate[]): Promise<void> {
    return this.request((id) => ({
      id,
      op: 'append',
      documentIds: batch.map((b) => b.documentId),
      // Structured clone copies the bytes: the caller may reuse its buffers at once.
      updates: batch.map((b) => b.update),
    }));
  }

  compact(documentId: string, state: Uint8Array): Promise<void> {
    return this.request((id) => ({ id, op: 'compact', documentId, state }));
  }

  countUpdates(documentId: string): Promise<number> {
    return settleNow(() => this.countRows.get(documentId)?.n ?? 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Writes already sent finish first (the worker handles messages in order).
    await Promise.allSettled(this.requests);
    await this.worker?.terminate();
    this.worker = null;
    if (this.db.open) this.db.close();
  }

  private request(build: (id: number) => WriteRequest): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    const id = this.nextRequestId++;
    const request = new Promise<void>((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      try {
        this.writer().postMessage(build(id));
      } catch (error) {
        this.inFlight.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.requests.add(request);
    const forget = (): void => {
      this.requests.delete(request);
    };
    request.then(forget, forget);
    return request;
  }

  /** The writer thread, started on first use and again after a crash of it. */
  private writer(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_URL, { workerData: { file: this.file, synchronous: this.synchronous } });
    worker.unref();
    worker.on('message', (reply: WriteReply) => {
      const pending = this.inFlight.get(reply.id);
      if (!pending) return;
      this.inFlight.delete(reply.id);
      if (reply.ok) pending.resolve();
      else pending.reject(new Error(`sqlite write failed: ${reply.error}`));
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      // Whatever was in flight is unknown to have committed: report failure, the caller retries
      // (appending an update twice is harmless for Yjs).
      for (const [id, pending] of this.inFlight) {
        this.inFlight.delete(id);
        pending.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`sqlite writer thread exited (${code})`));
    });
    this.worker = worker;
    return worker;
  }
}
