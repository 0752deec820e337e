// Commits every room's pending updates to the store: one transaction per event-loop turn for all
// rooms together (group commit), then tells each room so it can relay. Store operations run one at a
// time, so a compaction never races an append of the same document. A failed commit keeps the updates
// in their rooms (in memory, in order) and is retried with back-off; nothing is relayed meanwhile.
import type { DocumentStore, StoredUpdate } from '../persistence/document-store.js';
import type { Logger } from '../log.js';
import { describeError } from '../errors.js';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { LatencyRecorder } from './latency-histogram.js';
import type { PendingUpdate, Room, RoomWriter } from './room.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

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

  constructor(
    private readonly store: DocumentStore,
    private readonly log: Logger,
    /** Times each successful group commit (GET /metrics). */
    private readonly commitLatency: LatencyRecorder | null = null,
  ) {}

  /** True while the last commit failed and a retry is pending (reported by /healthz). */
  get isFailing(): boolean {
    return this.failing;
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
    const batch: StoredUpdate[] = [];
    for (const room of this.dirtyRooms) {
      const entries = room.takePending();
      if (entries.length === 0) continue;
      taken.push([room, entries]);
      for (const entry of entries) batch.push({ documentId: room.documentId, update: entry.update });
    }
    this.dirtyRooms.clear();
    if (batch.length === 0) return;
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
    this.commitLatency?.record(performance.now() - started);
    if (this.failing) this.log.warn({ updates: batch.length }, 'storing updates works again');
    this.failing = false;
    this.retryDelayMs = FIRST_RETRY_MS;
    for (const [room, entries] of taken) room.onCommitted(entries);
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
  }
}
