import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME, SqliteDocumentStore } from '../../server/persistence/sqlite-store.js';
import { pendingAfterATurn, waitFor } from '../helpers/wait-for.js';
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
      const held: Array<{ file: string; rowsVisible: number; startedAt: number; release: () => void }> = [];
      vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        const startedAt = performance.now();
        const reader = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
        const rowsVisible = (reader.prepare('SELECT COUNT(*) AS n FROM document_updates').get() as { n: number }).n;
        reader.close();
        const file = fs.readlinkSync(`/proc/self/fd/${fd}`);
        held.push({ file, rowsVisible, startedAt, release: () => callback(null) });
      }));
      return held;
    }

    it('FULL: a commit does not wait for the disk; sync() resolves only after an fdatasync of the WAL that started after it', async () => {
      const dir = freshDir();
      const store = new SqliteDocumentStore(dir, 'FULL');
      const held = holdSyncs(dir);
      await store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1, 2, 3]) }]);
      expect(held).toHaveLength(0);
      const sync = store.sync();
      expect(held).toHaveLength(1);
      expect(held[0]?.file).toBe(path.join(fs.realpathSync(dir), `${SQLITE_FILE_NAME}-wal`));
      // The sync starts after the commit: another connection already sees the row.
      expect(held[0]?.rowsVisible).toBe(1);
      expect(await pendingAfterATurn(sync)).toBe(true);
      held[0]?.release();
      await expect(sync).resolves.toBeUndefined();
      vi.restoreAllMocks();
      await store.close();
    });

    it('FULL: syncs asked for while one runs share one more, which starts after it and covers their commits', async () => {
      const dir = freshDir();
      const store = new SqliteDocumentStore(dir, 'FULL');
      const held = holdSyncs(dir);
      await store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1]) }]);
      const first = store.sync();
      const later: Array<Promise<void>> = [];
      for (let i = 2; i <= 4; i++) {
        await store.appendUpdates([{ documentId: 'd', update: new Uint8Array([i]) }]);
        later.push(store.sync());
      }
      expect(held).toHaveLength(1);
      held[0]?.release();
      await first;
      await waitFor(() => held.length === 2, { message: 'the next sync to start' });
      expect(held[1]?.rowsVisible).toBe(4);
      const allLater = Promise.all(later);
      expect(await pendingAfterATurn(allLater)).toBe(true);
      held[1]?.release();
      await allLater;
      expect(held).toHaveLength(2);
      vi.restoreAllMocks();
      await store.close();
    });

    it('FULL: with a flush interval, a quiet store flushes at once and a busy one no sooner than the interval after the last start', async () => {
      const dir = freshDir();
      const intervalMs = 200;
      const store = new SqliteDocumentStore(dir, 'FULL', intervalMs);
      const held = holdSyncs(dir);
      await store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1]) }]);
      // The interval counts from the start of a flush, which for the first one also syncs the WAL's
      // directory before fdatasync is called (milliseconds on a busy disk): measure from before it.
      const firstAskedAt = performance.now();
      const first = store.sync();
      expect(held).toHaveLength(1); // the first flush does not wait
      held[0]?.release();
      await first;

      // Right after it ends, another commit asks for a flush: it waits out the interval, then covers it.
      await store.appendUpdates([{ documentId: 'd', update: new Uint8Array([2]) }]);
      const second = store.sync();
      expect(await pendingAfterATurn(second)).toBe(true);
      expect(held).toHaveLength(1);
      await waitFor(() => held.length === 2, { message: 'the second flush to start' });
      expect((held[1]?.startedAt ?? 0) - firstAskedAt).toBeGreaterThanOrEqual(intervalMs - 1);
      expect(held[1]?.rowsVisible).toBe(2);
      held[1]?.release();
      await second;
      vi.restoreAllMocks();
      await store.close();
    });

    it('FULL: a failed sync rejects, so the caller stores those updates again', async () => {
      const dir = freshDir();
      const store = new SqliteDocumentStore(dir, 'FULL');
      vi.spyOn(fs, 'fdatasync').mockImplementation(((_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        callback(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
      }));
      await store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1]) }]);
      await expect(store.sync()).rejects.toThrow(/write-ahead log/);
      vi.restoreAllMocks();
      await store.close();
    });

    it('FULL: close() syncs what was committed since the last sync', async () => {
      const dir = freshDir();
      const store = new SqliteDocumentStore(dir, 'FULL');
      const held = holdSyncs(dir);
      await store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1]) }]);
      const closed = store.close();
      await waitFor(() => held.length === 1, { message: 'close to sync' });
      expect(held[0]?.rowsVisible).toBe(1);
      held[0]?.release();
      await closed;
    });

    it('NORMAL: sync() resolves without waiting for the disk', async () => {
      const dir = freshDir();
      const store = new SqliteDocumentStore(dir, 'NORMAL');
      const held = holdSyncs(dir);
      await store.appendUpdates([{ documentId: 'd', update: new Uint8Array([1]) }]);
      await store.sync();
      expect(held).toHaveLength(0);
      vi.restoreAllMocks();
      await store.close();
    });
  });
});
