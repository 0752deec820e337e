// Commits every room's pending updates to the store: one transaction per event-loop turn for all
// rooms together (group commit), then tells each room so it can relay; then asks the store to make
// them durable (sync) and tells each room when they are, so it can acknowledge them as saved.
//
// So an edit reaches the others as soon as it is committed (it survives a crash of this process) and
// its author hears "saved" once it also survives a power loss. Until then the author's client counts it
// as unsaved and, if the server came back without it, sends it again on reconnect, as does every
// client that received it (the y-websocket sync exchange): a power loss can cost the server a few
// milliseconds of relayed edits, never an edit that anyone was told is saved. Why not relay after
// the sync: the others would wait for the disk's flush on every keystroke (2-4 ms here, tens on a
// slow disk), which doubled the relay's p99 and made it depend on whatever else the machine runs.
//
// Store operations run one at a time, so a compaction never races an append of the same document. A
// failed commit keeps the updates in their rooms (in memory, in order) and is retried with back-off;
// nothing is relayed meanwhile. A failed sync commits those updates again and syncs again, with the
// same back-off; no save is acknowledged meanwhile.
import type { DocumentStore, StoredUpdate } from '../persistence/document-store.js';
import type { Logger } from '../log.js';
import { describeError } from '../errors.js';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { LatencyRecorder } from './latency-histogram.js';
import type { PendingUpdate, Room, RoomWriter } from './room.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/** One group commit, from the moment it is committed until it is durable. */
interface CommittedBatch {
  /** Each room in the batch, its updates in it, and the room's committed count once they were in. */
  readonly rooms: ReadonlyArray<readonly [Room, readonly PendingUpdate[], number]>;
  durable: boolean;
}

/** The rows to store for rooms' updates, in order. */
function storedUpdatesOf(rooms: ReadonlyArray<readonly [Room, readonly PendingUpdate[], ...unknown[]]>): StoredUpdate[] {
  return rooms.flatMap(([room, entries]) => entries.map((entry) => ({ documentId: room.documentId, update: entry.update })));
}

export interface WriterLatencies {
  /** Each successful group commit (the write only). */
  commit: LatencyRecorder;
  /** From a commit until the store says it is durable (GET /metrics). */
  sync: LatencyRecorder;
}

export class UpdateWriter implements RoomWriter {
  private readonly dirtyRooms = new Set<Room>();
  private readonly compactions = new Set<Room>();
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs = FIRST_RETRY_MS;
  /** The store operation in progress; the next one starts after it. */
  private running: Promise<void> = Promise.resolve();
  private failing = false;
  private stopped = false;
  /** Committed batches not yet known to be durable, oldest first (acknowledged in this order). */
  private undurable: CommittedBatch[] = [];
  /** Batches whose sync failed: committed again and synced again by retrySyncs(). */
  private syncFailures: CommittedBatch[] = [];
  private syncRetryTimer: NodeJS.Timeout | null = null;
  private syncRetryDelayMs = FIRST_RETRY_MS;
  /** From a failed sync until the retry of every failed batch succeeded. */
  private syncFailing = false;

  constructor(
    private readonly store: DocumentStore,
    private readonly log: Logger,
    /** Times commits and syncs (GET /metrics). */
    private readonly latencies: WriterLatencies | null = null,
  ) {}

  /** True while the last commit or sync failed and a retry is pending (reported by /healthz). */
  get isFailing(): boolean {
    return this.failing || this.syncFailing;
  }

  schedule(room: Room): void {
    this.dirtyRooms.add(room);
    if (this.flushScheduled || this.retryTimer) return;
    this.flushScheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: every frame read in this turn is in the batch.
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  scheduleCompaction(room: Room): void {
    // After stop() the store may be closed; compaction only saves space, the rows are all stored.
    if (this.stopped || this.compactions.has(room)) return;
    this.compactions.add(room);
    void this.enqueue(() => this.compact(room));
  }

  /** Commits everything pending now; resolves when that commit (or its failure) is done. */
  flush(): Promise<void> {
    return this.enqueue(() => this.commitDirtyRooms());
  }

  /**
   * Resolves when every store operation queued so far has finished, and those they queued in turn
   * (a commit may queue a compaction): shutdown closes the store right after.
   */
  async idle(): Promise<void> {
    let waitedFor: Promise<void>;
    do {
      waitedFor = this.running;
      await waitedFor;
    } while (waitedFor !== this.running);
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    // A bug in one operation must not wedge the queue for every later commit.
    this.running = this.running.then(operation).catch((error: unknown) => {
      this.log.error({ err: describeError(error) }, 'store operation failed unexpectedly');
    });
    return this.running;
  }

  private async commitDirtyRooms(): Promise<void> {
    if (this.dirtyRooms.size === 0) return;
    const taken: Array<[Room, PendingUpdate[]]> = [];
    for (const room of this.dirtyRooms) {
      const entries = room.takePending();
      if (entries.length > 0) taken.push([room, entries]);
    }
    this.dirtyRooms.clear();
    if (taken.length === 0) return;
    const batch = storedUpdatesOf(taken);
    const started = performance.now();
    try {
      await this.store.appendUpdates(batch);
    } catch (error) {
      for (const [room, entries] of taken) {
        room.returnPending(entries);
        this.dirtyRooms.add(room);
      }
      this.failing = true;
      this.log.error(
        { err: describeError(error), updates: batch.length, retryInMs: this.retryDelayMs },
        'storing updates failed; keeping them in memory and retrying',
      );
      this.scheduleRetry();
      return;
    }
    const committedAt = performance.now();
    this.latencies?.commit.record(committedAt - started);
    if (this.failing) this.log.warn({ updates: batch.length }, 'storing updates works again');
    this.failing = false;
    this.retryDelayMs = FIRST_RETRY_MS;
    const rooms: Array<readonly [Room, readonly PendingUpdate[], number]> = [];
    for (const [room, entries] of taken) {
      room.onCommitted(entries);
      rooms.push([room, entries, room.committedCount]);
    }
    const committed: CommittedBatch = { rooms, durable: false };
    this.undurable.push(committed);
    this.syncBatch(committed, committedAt);
  }

  /** Asks the store to make `committed` durable (one sync serves every commit made before it). */
  private syncBatch(committed: CommittedBatch, committedAt: number): void {
    this.store.sync().then(
      () => {
        this.latencies?.sync.record(performance.now() - committedAt);
        committed.durable = true;
        this.acknowledgeDurable();
      },
      (error: unknown) => {
        this.log.error(
          { err: describeError(error), retryInMs: this.syncRetryDelayMs },
          'making stored updates durable failed; storing them again and retrying (no save is acknowledged meanwhile)',
        );
        this.syncFailing = true;
        this.syncFailures.push(committed);
        this.scheduleSyncRetry();
      },
    );
  }

  /** Tells rooms about every batch that is durable and has no undurable batch before it. */
  private acknowledgeDurable(): void {
    while (this.undurable[0]?.durable) {
      const batch = this.undurable.shift() as CommittedBatch;
      for (const [room, , committedCount] of batch.rooms) room.onDurable(committedCount);
    }
  }

  private scheduleSyncRetry(): void {
    if (this.syncRetryTimer || this.stopped) return;
    this.syncRetryTimer = setTimeout(() => {
      this.syncRetryTimer = null;
      void this.enqueue(() => this.retrySyncs());
    }, this.syncRetryDelayMs);
    this.syncRetryDelayMs = Math.min(this.syncRetryDelayMs * 2, MAX_RETRY_MS);
  }

  /**
   * A failed fsync may have dropped the pages it failed on (Linux marks them clean), so a later sync
   * proves nothing about them: their updates are committed again (Yjs ignores the duplicates) and
   * synced again.
   */
  private async retrySyncs(): Promise<void> {
    const failed = this.syncFailures;
    this.syncFailures = [];
    if (failed.length === 0) return;
    const batch = storedUpdatesOf(failed.flatMap((committed) => committed.rooms));
    try {
      await this.store.appendUpdates(batch);
      await this.store.sync();
    } catch (error) {
      this.log.error({ err: describeError(error), retryInMs: this.syncRetryDelayMs }, 'storing updates again failed; retrying');
      this.syncFailures = failed.concat(this.syncFailures);
      this.scheduleSyncRetry();
      return;
    }
    this.log.warn({ updates: batch.length }, 'stored updates are durable again');
    if (this.syncFailures.length === 0) {
      this.syncFailing = false;
      this.syncRetryDelayMs = FIRST_RETRY_MS;
    }
    for (const committed of failed) committed.durable = true;
    this.acknowledgeDurable();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, MAX_RETRY_MS);
  }

  private async compact(room: Room): Promise<void> {
    this.compactions.delete(room);
    // A doc that may hold part of a rejected update is never written whole; it is rebuilt first.
    if (!room.isTrustworthy) return;
    try {
      // The doc holds every stored update (and perhaps newer pending ones, which are then stored twice:
      // harmless for Yjs). Appends run in this same queue, so none is in flight for this document.
      await this.store.compact(room.documentId, Y.encodeStateAsUpdate(room.doc));
      room.storedRows = 1;
    } catch (error) {
      this.log.error({ err: describeError(error), documentId: room.documentId }, 'compaction failed; old rows kept');
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.syncRetryTimer) clearTimeout(this.syncRetryTimer);
    this.syncRetryTimer = null;
  }
}
