import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
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

  describe('durability of a commit', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /** Holds every fdatasync until released, recording which file it was for and what was committed then. */
    function holdSyncs(dir: string) {
      const held: Array<{ file: string; rowsVisible: number; release: () => void }> = [];
      vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        const reader = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
        const rowsVisible = (reader.prepare('SELECT COUNT(*) AS n FROM document_updates').get() as { n: number }).n;
        reader.close();
        held.push({ file: fs.readlinkSync(`/proc/self/fd/${fd}`), rowsVisible, release: () => callback(null) });
      }));
      return held;
    }

    it('FULL: resolves only after the committed rows are in the WAL and the WAL is fdatasynced', async () => {
      const dir = freshDir();
      const store = new SqliteDocumentStore(dir, 'FULL');
      const held = holdSyncs(dir);
      let resolved = false;
      const append = store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1, 2, 3]) }]).then(() => {
        resolved = true;
      });
      expect(held).toHaveLength(1);
      expect(held[0]?.file).toBe(path.join(fs.realpathSync(dir), `${SQLITE_FILE_NAME}-wal`));
      // The sync starts after the commit: another connection already sees the row.
      expect(held[0]?.rowsVisible).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(resolved).toBe(false);
      held[0]?.release();
      await append;
      expect(resolved).toBe(true);
      vi.restoreAllMocks();
      await store.close();
    });

    it('FULL: a failed sync rejects the append, so the caller keeps the updates and retries', async () => {
      const dir = freshDir();
      const store = new SqliteDocumentStore(dir, 'FULL');
      vi.spyOn(fs, 'fdatasync').mockImplementation(((_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        callback(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
      }));
      await expect(store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1]) }])).rejects.toThrow(/write-ahead log/);
      vi.restoreAllMocks();
      await store.close();
    });

    it('NORMAL: resolves without waiting for the disk', async () => {
      const dir = freshDir();
      const store = new SqliteDocumentStore(dir, 'NORMAL');
      const held = holdSyncs(dir);
      await store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1]) }]);
      expect(held).toHaveLength(0);
      vi.restoreAllMocks();
      await store.close();
    });
  });
});
