// The contract every DocumentStore backend must pass. Each backend's test file calls
// `describeDocumentStoreContract` with a factory; the same assertions then hold for all of them.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentStore } from '../../server/persistence/document-store.js';

export interface StoreFactory {
  /** A fresh, empty store. */
  create(): DocumentStore;
  /** Close `store` and open the same storage again (undefined for backends that do not persist). */
  reopen?(store: DocumentStore): Promise<DocumentStore>;
}

function textUpdate(doc: Y.Doc, text: string): Uint8Array {
  let captured: Uint8Array | null = null;
  const capture = (update: Uint8Array): void => {
    captured = update;
  };
  doc.on('update', capture);
  doc.getText('t').insert(doc.getText('t').length, text);
  doc.off('update', capture);
  if (!captured) throw new Error('no update produced');
  return captured;
}

function replay(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toJSON();
}

export function describeDocumentStoreContract(name: string, factory: StoreFactory): void {
  describe(`DocumentStore contract: ${name}`, () => {
    const open: DocumentStore[] = [];
    const create = (): DocumentStore => {
      const store = factory.create();
      open.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.allSettled(open.splice(0).map((s) => s.close()));
    });

    it('has no updates for an unknown document', async () => {
      const store = create();
      expect(await store.loadUpdates('nobody')).toEqual([]);
      expect(await store.countUpdates('nobody')).toBe(0);
    });

    it('returns appended updates in order, byte for byte, per document', async () => {
      const store = create();
      const a = new Y.Doc();
      const b = new Y.Doc();
      const a1 = textUpdate(a, 'Hello ');
      const b1 = textUpdate(b, 'سلام ');
      const a2 = textUpdate(a, 'world');
      await store.appendUpdates([
        { documentId: 'doc-a', update: a1 },
        { documentId: 'doc-b', update: b1 },
      ]);
      await store.appendUpdates([{ documentId: 'doc-a', update: a2 }]);
      const loaded = await store.loadUpdates('doc-a');
      expect(loaded.map((u) => Array.from(u))).toEqual([Array.from(a1), Array.from(a2)]);
      expect(replay(loaded)).toBe('Hello world');
      expect(replay(await store.loadUpdates('doc-b'))).toBe('سلام ');
      expect(await store.countUpdates('doc-a')).toBe(2);
    });

    it('keeps its own copy: mutating the caller buffer after append changes nothing', async () => {
      const store = create();
      const update = textUpdate(new Y.Doc(), 'keep');
      const original = Array.from(update);
      await store.appendUpdates([{ documentId: 'd', update }]);
      update.fill(0);
      expect(Array.from((await store.loadUpdates('d'))[0] ?? [])).toEqual(original);
    });

    it('compacts a document into one state that replays to the same content, leaving others alone', async () => {
      const store = create();
      const doc = new Y.Doc();
      const other = textUpdate(new Y.Doc(), 'other');
      const batch = ['توصیه‌های ', 'مشترک ', 'ګډې'].map((t) => ({ documentId: 'd', update: textUpdate(doc, t) }));
      await store.appendUpdates([...batch, { documentId: 'o', update: other }]);
      await store.compact('d', Y.encodeStateAsUpdate(doc));
      const loaded = await store.loadUpdates('d');
      expect(loaded).toHaveLength(1);
      expect(replay(loaded)).toBe('توصیه‌های مشترک ګډې');
      expect(await store.countUpdates('o')).toBe(1);
      // Appends after a compaction come after the state.
      await store.appendUpdates([{ documentId: 'd', update: textUpdate(doc, '!') }]);
      expect(replay(await store.loadUpdates('d'))).toBe('توصیه‌های مشترک ګډې!');
    });

    it('keeps each document in order when the rows written last are compacted away and appends go on', async () => {
      // Row numbers freed by a compaction may be handed out again; no document's order may notice.
      const store = create();
      const doc = new Y.Doc();
      const other = new Y.Doc();
      const o1 = textUpdate(other, 'first ');
      await store.appendUpdates([{ documentId: 'o', update: o1 }]);
      await store.appendUpdates(['a', 'b', 'c'].map((t) => ({ documentId: 'd', update: textUpdate(doc, t) })));
      const state = Y.encodeStateAsUpdate(doc);
      await store.compact('d', state);
      const d2 = textUpdate(doc, 'd');
      const o2 = textUpdate(other, 'second');
      await store.appendUpdates([{ documentId: 'd', update: d2 }]);
      await store.appendUpdates([{ documentId: 'o', update: o2 }]);
      await store.compact('d', Y.encodeStateAsUpdate(doc));
      const d3 = textUpdate(doc, 'e');
      await store.appendUpdates([{ documentId: 'd', update: d3 }]);
      const bytes = (updates: Uint8Array[]): number[][] => updates.map((u) => Array.from(u));
      expect(bytes(await store.loadUpdates('o'))).toEqual(bytes([o1, o2]));
      const loaded = await store.loadUpdates('d');
      expect(bytes(loaded.slice(1))).toEqual(bytes([d3]));
      expect(replay(loaded)).toBe('abcde');
    });

    if (factory.reopen) {
      const reopen = (store: DocumentStore): Promise<DocumentStore> => factory.reopen?.(store) ?? Promise.reject(new Error('no reopen'));
      it('keeps appended and compacted documents across a reopen', async () => {
        const store = create();
        const doc = new Y.Doc();
        await store.appendUpdates([{ documentId: 'd', update: textUpdate(doc, 'durable ') }]);
        await store.compact('d', Y.encodeStateAsUpdate(doc));
        await store.appendUpdates([{ documentId: 'd', update: textUpdate(doc, 'text') }]);
        const again = await reopen(store);
        open.push(again);
        expect(replay(await again.loadUpdates('d'))).toBe('durable text');
      });
    }

    it('makes committed updates durable on sync(), readable before and after', async () => {
      const store = create();
      const doc = new Y.Doc();
      await store.appendUpdates([{ documentId: 'd', update: textUpdate(doc, 'committed ') }]);
      // Readable as soon as committed: the server relays at that point, before the sync.
      expect(replay(await store.loadUpdates('d'))).toBe('committed ');
      await store.sync();
      await store.appendUpdates([{ documentId: 'd', update: textUpdate(doc, 'and durable') }]);
      await Promise.all([store.sync(), store.sync()]);
      expect(replay(await store.loadUpdates('d'))).toBe('committed and durable');
    });

    it('rejects operations after close instead of losing them silently', async () => {
      const store = create();
      await store.close();
      await expect(store.appendUpdates([{ documentId: 'd', update: new Uint8Array([0, 0]) }])).rejects.toThrow();
      await expect(store.sync()).rejects.toThrow();
    });
  });
}
