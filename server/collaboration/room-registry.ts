// The rooms in memory, by document id: each document is loaded once even when many clients join at
// once, and unloaded (stored and compacted first) a configurable while after its last client leaves.
import type { DocumentStore } from '../persistence/document-store.js';
import type { Logger } from '../log.js';
import { describeError } from '../errors.js';
import { Room } from './room.js';
import type { UpdateWriter } from './update-writer.js';

export interface RoomRegistryOptions {
  unloadDelayMs: number;
  compactAfterUpdates: number;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<Room>>();
  /** The same rooms once loaded, to check synchronously which room a document id maps to. */
  private readonly loaded = new Map<string, Room>();
  /** Rooms being dropped; a new load of the same document waits for them (their updates reach disk first). */
  private readonly leaving = new Map<string, Promise<void>>();

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
    const room = new Room(documentId, this.writer, this.options.compactAfterUpdates, this.log, () =>
      this.store.loadUpdates(documentId),
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

  /** The room's last connection left: unload it after the configured delay unless someone comes back. */
  scheduleUnload(room: Room): void {
    if (room.connections.size > 0 || room.unloadTimer) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = null;
      void this.unload(room);
    }, this.options.unloadDelayMs);
  }

  private async unload(room: Room): Promise<void> {
    try {
      await room.settled();
      if (room.connections.size > 0) return;
      if (room.storedRows > 1) {
        this.writer.scheduleCompaction(room);
        await this.writer.idle();
      }
      if (room.connections.size > 0 || room.hasPending) return;
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

  /** Every loaded room (for shutdown). */
  async loadedRooms(): Promise<Room[]> {
    await Promise.allSettled(this.rooms.values());
    return Array.from(this.loaded.values());
  }
}
