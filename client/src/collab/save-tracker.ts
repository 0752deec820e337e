// Decides what the status line may claim about this tab's edits. It counts local changes, asks the
// server to acknowledge them (MessageType.saved) and only says "All changes saved" once an answer
// covers the latest change. Framework-free and transport-free so the rules can be unit-tested.

export type ConnectionState =
  /** Never been live yet in this tab. */
  | 'connecting'
  /** Socket open, synced, and our own state sent: acknowledgements now cover everything. */
  | 'live'
  /** Was live (or tried) and lost the socket; the provider keeps reconnecting. */
  | 'offline'
  /** The server refused the connection for good (a 44xx close); no automatic retry. */
  | 'stopped';

export interface SaveSnapshot {
  readonly connection: ConnectionState;
  /** Local changes not yet covered by a server acknowledgement. */
  readonly unsavedChanges: number;
  /** An acknowledgement request is in flight. */
  readonly saving: boolean;
  /** At least one acknowledgement has covered a change of ours (else "Live" says more than "saved"). */
  readonly savedOnce: boolean;
  /** Why the server stopped us, when connection is 'stopped'. */
  readonly stopReason: string | null;
  /** The request in flight has waited longer than `stallAfterMs` (e.g. the server's disk is failing). */
  readonly stalled: boolean;
}

export interface SaveTrackerOptions {
  /**
   * Puts `[saved, seq]` on the current socket. Returns false when there is no open socket, so the
   * request is not counted as outstanding (it would never be answered).
   */
  sendAckRequest: (seq: number) => boolean;
  /**
   * Runs `flush` soon, once: changes made in the same tick share one request. Defaults to a
   * zero-delay timer, which also lets the provider put the update itself on the socket first.
   */
  schedule?: (flush: () => void) => void;
  /**
   * After this long without an answer the status line says the server is slow to confirm, instead
   * of "Saving…" forever. The server keeps retrying a failing disk, so the edits are not lost yet:
   * what matters is that the user keeps the tab open. Default 10 s.
   */
  stallAfterMs?: number;
}

const DEFAULT_STALL_AFTER_MS = 10_000;

interface OutstandingRequest {
  readonly seq: number;
  /** The local change count at the moment the request was sent: what its answer proves saved. */
  readonly coversChange: number;
}

export class SaveTracker {
  private readonly sendAckRequest: (seq: number) => boolean;
  private readonly schedule: (flush: () => void) => void;
  private readonly stallAfterMs: number;
  private stallTimer: ReturnType<typeof setTimeout> | null = null;
  private stalled = false;
  private connection: ConnectionState = 'connecting';
  private stopReason: string | null = null;
  /** Local changes made in this tab so far (monotonic). */
  private changeCount = 0;
  /** Highest change count an acknowledgement has covered. */
  private savedChangeCount = 0;
  private savedOnce = false;
  private nextSeq = 1;
  /** At most one request in flight: its answer is followed by another if changes came meanwhile. */
  private outstanding: OutstandingRequest | null = null;
  private flushScheduled = false;
  private listeners = new Set<() => void>();
  private current: SaveSnapshot;

  constructor(options: SaveTrackerOptions) {
    this.sendAckRequest = options.sendAckRequest;
    this.schedule = options.schedule ?? ((flush) => void setTimeout(flush, 0));
    this.stallAfterMs = options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
    this.current = this.buildSnapshot();
  }

  /** A Yjs transaction that came from this tab (typing, formatting, undo), not from the server. */
  recordLocalChange(): void {
    this.changeCount += 1;
    this.scheduleFlush();
    this.publish();
  }

  /**
   * The socket is open, the server's state has arrived, and we have answered its state vector
   * with our own missing updates. Only from here on does an acknowledgement prove that offline
   * edits reached the disk.
   */
  connectionLive(): void {
    this.connection = 'live';
    this.stopReason = null;
    this.scheduleFlush();
    this.publish();
  }

  /** The socket closed; a request in flight on it will never be answered. */
  connectionLost(): void {
    if (this.connection === 'stopped') return;
    this.connection = 'offline';
    this.forgetOutstanding();
    this.publish();
  }

  /** The server closed the socket with a code that says retrying cannot help. */
  connectionStopped(reason: string): void {
    this.connection = 'stopped';
    this.stopReason = reason;
    this.forgetOutstanding();
    this.publish();
  }

  /** The server's `[saved, seq]` answer. */
  receiveAck(seq: number): void {
    const request = this.outstanding;
    // An answer to anything but the request in flight is stale or bogus: it proves nothing.
    if (request === null || request.seq !== seq) return;
    this.forgetOutstanding();
    if (request.coversChange > this.savedChangeCount) {
      this.savedChangeCount = request.coversChange;
      this.savedOnce = true;
    }
    if (this.changeCount > this.savedChangeCount) this.scheduleFlush();
    this.publish();
  }

  get snapshot(): SaveSnapshot {
    return this.current;
  }

  get hasUnsavedChanges(): boolean {
    return this.changeCount > this.savedChangeCount;
  }

  /** Calls `listener` after every change of the snapshot. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the stall timer and drops listeners; the tab is leaving this document. */
  dispose(): void {
    this.forgetOutstanding();
    this.listeners.clear();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.connection !== 'live' || this.outstanding !== null) return;
    if (this.changeCount <= this.savedChangeCount) return;
    const seq = this.nextSeq;
    // Not sent means the socket is closing: its close event follows, and going live again flushes.
    if (!this.sendAckRequest(seq)) return;
    this.nextSeq += 1;
    this.outstanding = { seq, coversChange: this.changeCount };
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      this.stalled = true;
      this.publish();
    }, this.stallAfterMs);
    this.publish();
  }

  private forgetOutstanding(): void {
    this.outstanding = null;
    this.stalled = false;
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }

  private buildSnapshot(): SaveSnapshot {
    return {
      connection: this.connection,
      unsavedChanges: this.changeCount - this.savedChangeCount,
      saving: this.outstanding !== null,
      savedOnce: this.savedOnce,
      stopReason: this.stopReason,
      stalled: this.stalled,
    };
  }

  private publish(): void {
    const next = this.buildSnapshot();
    const prev = this.current;
    if (
      prev.connection === next.connection &&
      prev.unsavedChanges === next.unsavedChanges &&
      prev.saving === next.saving &&
      prev.savedOnce === next.savedOnce &&
      prev.stopReason === next.stopReason &&
      prev.stalled === next.stalled
    ) {
      return;
    }
    this.current = next;
    for (const listener of this.listeners) listener();
  }
}

function changes(count: number): string {
  return count === 1 ? '1 change' : `${count} changes`;
}

/**
 * The words of the status line. Never claims "saved" for a change the server has not acknowledged.
 * `readOnly` (an observer, or anyone the server refused to let write): a live connection then says
 * "Read only", since there is nothing of yours to save and "Live" would suggest you can type.
 */
export function describeSaveStatus(snapshot: SaveSnapshot, readOnly = false): string {
  const { connection, unsavedChanges } = snapshot;
  if (readOnly && connection === 'live' && unsavedChanges === 0) return 'Read only';
  switch (connection) {
    case 'connecting':
      return unsavedChanges > 0 ? `Connecting — ${changes(unsavedChanges)} not yet saved` : 'Connecting…';
    case 'offline':
      return unsavedChanges > 0
        ? `Offline — ${changes(unsavedChanges)} not yet saved`
        : 'Offline — reconnecting…';
    case 'stopped': {
      const reason = snapshot.stopReason ? ` (${snapshot.stopReason})` : '';
      return unsavedChanges > 0
        ? `Disconnected by the server${reason} — ${changes(unsavedChanges)} not saved`
        : `Disconnected by the server${reason}`;
    }
    case 'live':
      if (unsavedChanges > 0) {
        return snapshot.stalled ? `Saving… the server has not confirmed ${changes(unsavedChanges)} yet; keep this tab open` : 'Saving…';
      }
      return snapshot.savedOnce ? 'All changes saved' : 'Live';
  }
}
