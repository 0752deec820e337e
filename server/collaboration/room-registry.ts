// The rooms in memory, by document id: each document is loaded once even when many clients join at
// once, and unloaded (stored and compacted first) a configurable while after its last client leaves.
import type { DocumentStore } from '../persistence/document-store.js';
import type { Logger } from '../log.js';
import { describeError } from '../errors.js';
import { Room, type PendingUpdate } from './room.js';
import type { UpdateWriter } from './update-writer.js';

export interface RoomRegistryOptions {
  unloadDelayMs: number;
  compactAfterUpdates: number;
  /** Relay presence at most once per this many ms per room (see Room.flushPresence); default 0 = at once. */
  presenceIntervalMs?: number;
}

/** What other parts (version history) learn about rooms; hooks run in the order they were added. */
export interface RoomHooks {
  /** `entries` of `room` are on disk and relayed, in order. Runs on the commit path: cheap, never throws. */
  committed?(room: Room, entries: readonly PendingUpdate[]): void;
  /**
   * `room` is about to be unloaded: everything is on disk and nobody has it open. Its doc can still be
   * read (e.g. to save a version). A failure is logged and the unload goes on.
   */
  beforeUnload?(room: Room): Promise<void>;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<Room>>();
  /** The same rooms once loaded, to check synchronously which room a document id maps to. */
  private readonly loaded = new Map<string, Room>();
  /** Rooms being dropped; a new load of the same document waits for them (their updates reach disk first). */
  private readonly leaving = new Map<string, Promise<void>>();
  private readonly hooks: RoomHooks[] = [];
  /** Unloads in progress; shutdown waits for them before it stores and compacts every room itself. */
  private readonly unloading = new Set<Promise<void>>();
  private shuttingDown = false;

  constructor(
    private readonly store: DocumentStore,
    private readonly writer: UpdateWriter,
    private readonly options: RoomRegistryOptions,
    private readonly log: Logger,
  ) {}

  /** Number of documents in memory (for /healthz and tests). */
  get size(): number {
    return this.rooms.size;
  }

  addHooks(hooks: RoomHooks): void {
    this.hooks.push(hooks);
  }

  private readonly runCommittedHooks = (room: Room, entries: readonly PendingUpdate[]): void => {
    for (const hooks of this.hooks) hooks.committed?.(room, entries);
  };

  getOrLoad(documentId: string): Promise<Room> {
    let room = this.rooms.get(documentId);
    if (!room) {
      room = this.load(documentId);
      this.rooms.set(documentId, room);
      // A failed load must not stay cached: the next client retries.
      room.catch(() => {
        if (this.rooms.get(documentId) === room) this.rooms.delete(documentId);
      });
    }
    return room;
  }

  private async load(documentId: string): Promise<Room> {
    await this.leaving.get(documentId);
    const updates = await this.store.loadUpdates(documentId);
    const room = new Room(
      documentId,
      this.writer,
      this.options.compactAfterUpdates,
      this.options.presenceIntervalMs ?? 0,
      this.log,
      () => this.store.loadUpdates(documentId),
      this.runCommittedHooks,
    );
    try {
      room.loadStoredUpdates(updates);
    } catch (error) {
      room.destroy();
      throw error;
    }
    this.loaded.set(documentId, room);
    this.log.debug({ documentId, rows: updates.length }, 'document loaded');
    return room;
  }

  /**
   * Runs `work` on the document's room in the same turn in which everything applied to it is on disk,
   * so the doc it reads is exactly what is stored, and a change it makes (applyServerChange) follows
   * everything committed. Loads the document if needed; a room nobody has open is unloaded again after
   * the usual delay. `work` is never run on a room that has been dropped meanwhile.
   */
  async withSettledRoom<T>(documentId: string, work: (room: Room) => T): Promise<T> {
    for (;;) {
      const room = await this.getOrLoad(documentId);
      const outcome = await new Promise<{ ran: true; value: T } | { ran: false }>((resolve, reject) => {
        room.whenSettled(() => {
          if (this.loaded.get(documentId) !== room) {
            resolve({ ran: false });
            return;
          }
          try {
            resolve({ ran: true, value: work(room) });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      }).finally(() => {
        if (this.loaded.get(documentId) === room && room.connections.size === 0) this.scheduleUnload(room);
      });
      if (outcome.ran) return outcome.value;
    }
  }

  /**
   * Resolves once everything accepted for the document so far is on disk, without loading it: a loaded
   * room is waited on until settled, a room being dropped until it is gone; otherwise it is all stored.
   */
  async whenStored(documentId: string): Promise<void> {
    const room = this.rooms.get(documentId);
    if (room) {
      const loaded = await room.catch(() => null);
      if (loaded) await loaded.settled();
      return;
    }
    await this.leaving.get(documentId);
  }

  /** The room's last connection left: unload it after the configured delay unless someone comes back. */
  scheduleUnload(room: Room): void {
    if (room.connections.size > 0 || room.unloadTimer || this.shuttingDown) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = null;
      const unloading = this.unload(room);
      this.unloading.add(unloading);
      void unloading.finally(() => this.unloading.delete(unloading));
    }, this.options.unloadDelayMs);
  }

  /**
   * An unload spans turns (a before-unload hook may save a version in the background process). Once
   * shutdown has begun it stops at the next step: shutdown stores and compacts every room itself, and
   * an unload going on would touch the store after it closed.
   */
  private async unload(room: Room): Promise<void> {
    const stillUnloading = (): boolean => !this.shuttingDown && room.connections.size === 0;
    try {
      if (this.loaded.get(room.documentId) !== room || this.shuttingDown) return;
      await room.settled();
      if (!stillUnloading()) return;
      for (const hooks of this.hooks) {
        try {
          await hooks.beforeUnload?.(room);
        } catch (error) {
          this.log.error({ err: describeError(error), documentId: room.documentId }, 'a before-unload hook failed');
        }
      }
      await room.settled();
      if (!stillUnloading()) return;
      if (room.storedRows > 1) {
        this.writer.scheduleCompaction(room);
        await this.writer.idle();
      }
      // While a flush fails this waits (and the room stays loaded, like one whose commit fails).
      await room.durable();
      if (!stillUnloading() || room.hasPending) return;
      this.drop(room);
    } catch (error) {
      this.log.error({ err: describeError(error), documentId: room.documentId }, 'unload failed; kept in memory');
    }
  }

  /** Removes an idle room from memory (its updates are on disk and it was compacted). */
  private drop(room: Room): void {
    const { documentId } = room;
    if (this.loaded.get(documentId) !== room || room.connections.size > 0) return;
    this.loaded.delete(documentId);
    this.rooms.delete(documentId);
    const gone = room.settled().then(() => {
      room.destroy();
      if (this.leaving.get(documentId) === gone) this.leaving.delete(documentId);
    });
    this.leaving.set(documentId, gone);
    this.log.debug({ documentId }, 'document unloaded');
  }

  /**
   * First step of shutdown (connections are closing): no room is unloaded from now on. Unloads already
   * under way stop at their next step; close() waits for them.
   */
  stopUnloading(): void {
    this.shuttingDown = true;
    for (const room of this.loaded.values()) {
      if (room.unloadTimer) clearTimeout(room.unloadTimer);
      room.unloadTimer = null;
    }
  }

  /**
   * Last step of shutdown before the store closes: stores what every room still holds (waiting at most
   * `flushTimeoutMs` while storage fails), compacts, and frees the rooms. Resolves false when some
   * updates could not be stored. Nothing touches the store after it resolves.
   */
  async close(flushTimeoutMs: number): Promise<boolean> {
    this.stopUnloading();
    await Promise.allSettled(this.rooms.values());
    const rooms = Array.from(this.loaded.values());
    await this.writer.flush();
    let timer: NodeJS.Timeout | undefined;
    // Unloads under way end at their next step, which may wait for a commit: both wait while storage fails.
    const allStored = await Promise.race([
      Promise.all([...rooms.map((room) => room.settled()), Promise.allSettled(this.unloading)]).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), flushTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    for (const room of rooms) if (room.storedRows > 1) this.writer.scheduleCompaction(room);
    await this.writer.idle();
    this.writer.stop();
    for (const room of rooms) room.destroy();
    return allStored;
  }
}
