import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME, SqliteDocumentStore } from '../../server/persistence/sqlite-store.js';
import { describeDocumentStoreContract } from './store-contract.js';

const dirs: string[] = [];
const dirOf = new WeakMap<object, string>();
function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-sqlite-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describeDocumentStoreContract('sqlite', {
  create() {
    const dir = freshDir();
    const store = new SqliteDocumentStore(dir);
    dirOf.set(store, dir);
    return store;
  },
  async reopen(store) {
    const dir = dirOf.get(store);
    if (!dir) throw new Error('unknown store');
    await store.close();
    return new SqliteDocumentStore(dir);
  },
});

describe('SqliteDocumentStore', () => {
  it('runs in WAL mode with the configured synchronous level', async () => {
    const dir = freshDir();
    const store = new SqliteDocumentStore(dir, 'FULL');
    await store.close();
    const db = new Database(path.join(dir, SQLITE_FILE_NAME));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('stores nothing of a batch when one row of it fails (all or nothing)', async () => {
    const dir = freshDir();
    const store = new SqliteDocumentStore(dir);
    const bad = { documentId: 'd', update: null as unknown as Uint8Array };
    await expect(store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1]) }, bad])).rejects.toThrow();
    expect(await store.countUpdates('d')).toBe(0);
    await store.close();
  });
});
