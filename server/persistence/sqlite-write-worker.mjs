// @ts-check
// The SQLite writer thread. Commits (with their fsync under synchronous=FULL) block for a few hundred
// microseconds each; running them here keeps the main event loop relaying and parsing meanwhile, and
// updates that arrive during a commit simply form the next batch. Messages are WriteRequest in and
// WriteReply out (declared in sqlite-store.ts). Plain JavaScript on purpose: Node 20 cannot give a
// worker thread the tsx loader for a TypeScript entry file.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string, synchronous: 'FULL' | 'NORMAL' }} */
const { file, synchronous } = workerData;
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.pragma('busy_timeout = 5000');
const insert = db.prepare('INSERT INTO document_updates (document_id, data) VALUES (?, ?)');
const remove = db.prepare('DELETE FROM document_updates WHERE document_id = ?');
// db.transaction() commits on return and rolls back on throw: all or nothing per request.
const appendAll = db.transaction((/** @type {string[]} */ documentIds, /** @type {Uint8Array[]} */ updates) => {
  for (let i = 0; i < updates.length; i++) insert.run(documentIds[i], updates[i]);
});
const replaceAll = db.transaction((/** @type {string} */ documentId, /** @type {Uint8Array} */ state) => {
  remove.run(documentId);
  insert.run(documentId, state);
});

const port = parentPort;
if (!port) throw new Error('sqlite-write-worker must run as a worker thread');
port.on('message', (request) => {
  try {
    if (request.op === 'append') appendAll(request.documentIds, request.updates);
    else if (request.op === 'compact') replaceAll(request.documentId, request.state);
    else throw new Error(`unknown request ${String(request.op)}`);
    port.postMessage({ id: request.id, ok: true });
  } catch (error) {
    port.postMessage({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
