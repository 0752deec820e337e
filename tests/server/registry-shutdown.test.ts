// Shutdown while a document is being unloaded. An unload spans turns (its before-unload hook saves an
// automatic version in the background process); CI once caught one resuming after the store had closed
// ("compaction failed: store is closed"). RoomRegistry.close() must leave nothing to touch the store.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { pino, type Logger } from 'pino';
import { RoomRegistry, type RoomRegistryOptions } from '../../server/collaboration/room-registry.js';
import { UpdateWriter } from '../../server/collaboration/update-writer.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-store.js';

/**
 * A memory store, the writer and the registry over it, with a logger whose error lines the test can
 * read (an operation reaching the closed store logs one).
 */
function rooms(options: RoomRegistryOptions): { store: MemoryDocumentStore; writer: UpdateWriter; registry: RoomRegistry; errors: string[] } {
  const errors: string[] = [];
  const log: Logger = pino({ level: 'error' }, { write: (line: string) => errors.push(line) });
  const store = new MemoryDocumentStore();
  const writer = new UpdateWriter(store, log);
  return { store, writer, registry: new RoomRegistry(store, writer, options, log), errors };
}

/** Three stored rows: enough that an unload (or shutdown) compacts the document. */
async function storeThreeEdits(store: MemoryDocumentStore, documentId: string): Promise<void> {
  const doc = new Y.Doc();
  for (const word of ['one ', 'two ', 'three']) {
    const before = Y.encodeStateVector(doc);
    doc.getText('t').insert(doc.getText('t').length, word);
    await store.appendUpdates([{ documentId, update: Y.encodeStateAsUpdate(doc, before) }]);
  }
}

describe('shutting down while a document is being unloaded', () => {
  it('waits for the unload, compacts the document once, and leaves nothing to run against the closed store', async () => {
    const { store, writer, registry, errors } = rooms({ unloadDelayMs: 0, compactAfterUpdates: 1000 });
    await storeThreeEdits(store, 'calm');

    let hookEntered!: () => void;
    const entered = new Promise<void>((resolve) => (hookEntered = resolve));
    let releaseHook!: () => void;
    const hookReleased = new Promise<void>((resolve) => (releaseHook = resolve));
    let hookFinished = false;
    registry.addHooks({
      beforeUnload: async () => {
        hookEntered();
        await hookReleased;
        hookFinished = true;
      },
    });

    const room = await registry.getOrLoad('calm');
    expect(room.storedRows).toBe(3);
    registry.scheduleUnload(room); // the last person left
    await entered;

    let closed = false;
    const closing = registry.close(5_000).then((allStored) => {
      closed = true;
      return allStored;
    });
    releaseHook();
    expect(await closing).toBe(true);
    // close() resolved only after the unload in progress had ended: nothing of it is left to run.
    expect(hookFinished).toBe(true);
    expect(closed).toBe(true);
    // The document was compacted once, by shutdown (not by the interrupted unload), and nothing was lost.
    expect(await store.countUpdates('calm')).toBe(1);
    const replayed = new Y.Doc();
    for (const update of await store.loadUpdates('calm')) Y.applyUpdate(replayed, update);
    expect(replayed.getText('t').toJSON()).toBe('one two three');
    await store.close();

    // Anything still scheduled would reach the closed store now and log "store is closed".
    await new Promise((resolve) => setTimeout(resolve, 0));
    await writer.idle();
    expect(errors).toEqual([]);
  });

  it('waits for a compaction that the last commit queued before it lets the store close', async () => {
    const { store, writer, registry, errors } = rooms({ unloadDelayMs: 60_000, compactAfterUpdates: 2 });
    const room = await registry.getOrLoad('busy');
    room.applyServerChange('test', (doc) => doc.getText('t').insert(0, 'first '));
    room.applyServerChange('test', (doc) => doc.getText('t').insert(6, 'second'));

    // The second commit brings the document to its compaction threshold, which queues a compaction
    // while the commit runs: idle() must cover it too.
    void writer.flush();
    await writer.idle();
    // As shutdown does: the store closes in the same turn.
    await store.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toEqual([]);
    expect(room.storedRows).toBe(1);
    room.destroy();
  });

  it('starts no unload for a socket that closes during shutdown', async () => {
    const { store, writer, registry, errors } = rooms({ unloadDelayMs: 0, compactAfterUpdates: 1000 });
    await storeThreeEdits(store, 'late');
    let unloadHookRan = false;
    registry.addHooks({
      beforeUnload: () => {
        unloadHookRan = true;
        return Promise.resolve();
      },
    });
    const room = await registry.getOrLoad('late');
    expect(await registry.close(5_000)).toBe(true);
    await store.close();

    // Shutdown closed the sockets; their close events arrive now, each leaving the room.
    registry.scheduleUnload(room);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await writer.idle();
    expect(unloadHookRan).toBe(false);
    expect(errors).toEqual([]);
  });
});

