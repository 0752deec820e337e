// One loaded document: its Y.Doc, its awareness, its connections, and the rule that nothing a client
// can receive from the server is newer than what is committed to disk (and nothing is acknowledged as
// saved before it is durable).
//
// Life of a client update: applyClientUpdate() applies it to the Y.Doc; the doc emits the update it
// really integrated (not the client's raw bytes) and onDocumentUpdate() queues it; the UpdateWriter
// commits the queue of every room in one transaction per event-loop turn and then calls
// onCommitted(), which relays each update (encoded once) to the other connections; once the store
// has made the commit durable (survives a power loss), the writer calls onDurable(), which answers
// save acknowledgements. Sync replies wait until the doc holds nothing uncommitted (whenSettled());
// while one waits, new client updates (and the save requests behind them) are held back, so the
// commit in flight is the last one before the reply and a busy room cannot starve a joining client.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { CloseCodes } from '../../shared/protocol.js';
import { ProtocolError } from '../errors.js';
import type { Logger } from '../log.js';
import { Connection } from './connection.js';
import {
  broadcastOf,
  encodeAwarenessMessage,
  encodeSavedMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from './messages.js';
import { STORAGE_ORIGIN, isUpdateOrigin, type UpdateOrigin } from './origin.js';

export interface PendingUpdate {
  readonly update: Uint8Array;
  readonly origin: UpdateOrigin;
  /** performance.now() when the doc accepted it (the turn its frame was read in): for relay latency. */
  readonly acceptedAt: number;
}

/** What a room needs from the writer that commits its updates. */
export interface RoomWriter {
  /** The room has pending updates: commit them in this event-loop turn's batch. */
  schedule(room: Room): void;
  /** Run after every update applied so far is committed and the room's rows may be rewritten. */
  scheduleCompaction(room: Room): void;
}

interface SaveWaiter {
  readonly appliedSeq: number;
  readonly connection: Connection;
  readonly requestSeq: number;
}

/** Rooms up to this many sockets relay presence at the configured interval; larger ones less often. */
export const PRESENCE_BASE_ROOM_SIZE = 100;

/** A state vector with no entries, as y-protocols encodes it for an empty doc (fresh joiner). */
const EMPTY_STATE_VECTOR_LENGTH = 1;

export class Room {
  /** Replaced only when rebuilt from disk after a client update failed half-way (see rebuildFromDisk). */
  private currentDoc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Applied to the doc, not yet handed to the writer. */
  private pending: PendingUpdate[] = [];
  /**
   * Count of updates applied to the doc / committed (survive a process crash) / durable (survive a
   * power loss too). Loaded ones count as all three.
   */
  private appliedSeq = 0;
  private committedSeq = 0;
  private durableSeq = 0;
  private saveWaiters: SaveWaiter[] = [];
  private settledWaiters: Array<() => void> = [];
  private durableWaiters: Array<{ readonly committedSeq: number; readonly resolve: () => void }> = [];
  /** Client updates and save requests held back while a sync reply waits for the commit in flight. */
  private held: Array<() => void> = [];
  private holding = false;
  /** Encoded SyncStep2 of the whole doc: every fresh joiner gets these same bytes. */
  private fullStateReply: Uint8Array | null = null;
  /** While a client update is being applied, the doc's emitted update is held here, not queued. */
  private capturing: PendingUpdate[] | null = null;
  /** Awareness client ids whose presence changed since the last flush (see flushPresence). */
  private pendingPresence = new Set<number>();
  private presenceTimer: NodeJS.Timeout | null = null;
  /** Rows in storage for this document (to decide when to compact). */
  storedRows = 0;
  /** The doc may hold part of a rejected update: nothing may be read from it until it is rebuilt. */
  private suspect = false;
  private rebuilding = false;
  unloadTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly documentId: string,
    private readonly writer: RoomWriter,
    private readonly compactAfterUpdates: number,
    /** Presence (carets, who is here) is relayed at most once per this many ms per room; 0 = at once. */
    private readonly presenceIntervalMs: number,
    private readonly log: Logger,
    /** Every update stored for this document (used to rebuild the doc from disk). */
    private readonly loadStored: () => Promise<Uint8Array[]>,
    /** Told after updates are committed and relayed (version history watches activity through it). */
    private readonly onCommittedHook: ((room: Room, entries: readonly PendingUpdate[]) => void) | null = null,
  ) {
    this.currentDoc = this.newDoc();
    this.awareness = new awarenessProtocol.Awareness(this.currentDoc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  get doc(): Y.Doc {
    return this.currentDoc;
  }

  private newDoc(): Y.Doc {
    const doc = new Y.Doc({ gc: true });
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (doc === this.currentDoc) this.onDocumentUpdate(update, origin);
    });
    return doc;
  }

  /** False while the doc may hold part of a rejected update (compaction and replies must wait). */
  get isTrustworthy(): boolean {
    return !this.suspect;
  }

  /** Replays stored updates into the doc; they are neither stored again nor relayed. */
  loadStoredUpdates(updates: readonly Uint8Array[]): void {
    Y.transact(
      this.doc,
      () => {
        for (const update of updates) Y.applyUpdate(this.doc, update, STORAGE_ORIGIN);
      },
      STORAGE_ORIGIN,
    );
    this.storedRows = updates.length;
  }

  // ---- the one place that decides what happens to a change ----

  private onDocumentUpdate(update: Uint8Array, origin: unknown): void {
    this.fullStateReply = null;
    if (!isUpdateOrigin(origin)) {
      // Every transaction on a room doc passes a typed origin; anything else is a programming error.
      this.log.error({ documentId: this.documentId }, 'document changed without a typed origin');
      origin = { kind: 'server', reason: 'untyped' } satisfies UpdateOrigin;
    }
    const typed = origin as UpdateOrigin;
    if (typed.kind === 'storage') return;
    const entry: PendingUpdate = { update, origin: typed, acceptedAt: performance.now() };
    if (this.capturing) {
      this.capturing.push(entry);
      return;
    }
    this.enqueue(entry);
  }

  private enqueue(entry: PendingUpdate): void {
    this.pending.push(entry);
    this.appliedSeq++;
    this.writer.schedule(this);
  }

  /**
   * Applies a client's update. The update was fully decoded beforehand (Y.decodeUpdate), yet Yjs can
   * still fail half-way through integrating a malicious one, leaving part of it in the doc. That part
   * is never stored or relayed: the sender is closed (4422), other clients keep their sockets, and the
   * room rebuilds its doc from disk (plus the valid updates not yet committed) before it applies or
   * answers anything else.
   */
  applyClientUpdate(update: Uint8Array, connection: Connection): void {
    if (this.holding) {
      this.held.push(() => {
        if (!connection.isOpen) return;
        try {
          this.applyClientUpdateNow(update, connection);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
          connection.close(error.closeReason);
        }
      });
      return;
    }
    this.applyClientUpdateNow(update, connection);
  }

  private applyClientUpdateNow(update: Uint8Array, connection: Connection): void {
    this.capturing = [];
    try {
      Y.applyUpdate(this.doc, update, connection.origin);
    } catch (error) {
      this.capturing = null;
      this.suspect = true;
      this.holding = true;
      this.log.warn({ documentId: this.documentId, connection: connection.id }, 'update failed half-way; rebuilding the document from disk');
      this.rebuildWhenCommitted();
      throw new ProtocolError(CloseCodes.invalidUpdate, `update could not be applied: ${String(error)}`);
    }
    const captured = this.capturing;
    this.capturing = null;
    for (const entry of captured) this.enqueue(entry);
  }

  /** Applies a change made by the server itself (stored and relayed to everyone). */
  applyServerChange(reason: string, change: (doc: Y.Doc) => void): void {
    Y.transact(this.doc, () => change(this.doc), { kind: 'server', reason } satisfies UpdateOrigin);
  }

  // ---- the writer's side ----

  takePending(): PendingUpdate[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  /** The writer failed to store these: put them back in front, in order, for the retry. */
  returnPending(entries: PendingUpdate[]): void {
    this.pending = entries.concat(this.pending);
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** How many of this room's updates are committed (the writer hands it back to onDurable). */
  get committedCount(): number {
    return this.committedSeq;
  }

  /** Called by the writer once `entries` (taken from this room, in order) are committed. */
  onCommitted(entries: readonly PendingUpdate[]): void {
    this.committedSeq += entries.length;
    this.storedRows += entries.length;
    for (const { update, origin } of entries) {
      const broadcast = broadcastOf(encodeSyncUpdate(update));
      const sender = origin.kind === 'connection' ? origin.connection : null;
      for (const connection of this.connections) {
        if (connection !== sender) connection.sendBroadcast(broadcast);
      }
    }
    this.runSettledWaiters();
    if (this.storedRows >= this.compactAfterUpdates) this.writer.scheduleCompaction(this);
    if (this.onCommittedHook) {
      try {
        this.onCommittedHook(this, entries);
      } catch (error) {
        // The commit path must go on whatever a listener does.
        this.log.error({ documentId: this.documentId, err: String(error) }, 'a commit listener failed');
      }
    }
  }

  /** Called by the writer once the first `committedCount` updates also survive a power loss. */
  onDurable(committedCount: number): void {
    if (committedCount <= this.durableSeq) return;
    this.durableSeq = committedCount;
    this.answerSaveWaiters();
    if (this.durableWaiters.length > 0) {
      const waiting = this.durableWaiters;
      this.durableWaiters = waiting.filter((waiter) => waiter.committedSeq > this.durableSeq);
      for (const waiter of waiting) if (waiter.committedSeq <= this.durableSeq) waiter.resolve();
    }
  }

  /**
   * Resolves once everything committed so far is durable. A room is not unloaded before: a room loaded
   * again afterwards would know nothing of the flush still owed, and acknowledge saves too early.
   */
  durable(): Promise<void> {
    if (this.durableSeq >= this.committedSeq) return Promise.resolve();
    return new Promise((resolve) => this.durableWaiters.push({ committedSeq: this.committedSeq, resolve }));
  }

  get isSettled(): boolean {
    return this.committedSeq === this.appliedSeq && !this.suspect;
  }

  /** Runs `callback` once the doc holds nothing that is not yet on disk (at once if it is so now). */
  whenSettled(callback: () => void): void {
    if (this.isSettled) callback();
    else this.settledWaiters.push(callback);
  }

  settled(): Promise<void> {
    return new Promise((resolve) => this.whenSettled(resolve));
  }

  private runSettledWaiters(): void {
    this.rebuildWhenCommitted();
    if (!this.isSettled) return;
    if (this.settledWaiters.length > 0) {
      const waiters = this.settledWaiters;
      this.settledWaiters = [];
      for (const run of waiters) run();
    }
    if (this.holding) {
      this.holding = false;
      const held = this.held;
      this.held = [];
      for (const run of held) run();
    }
  }

  // ---- what connections ask for ----

  /** Sends the server's state vector (so the client answers with what the server lacks) and presence. */
  greet(connection: Connection): void {
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    if (this.awareness.states.size > 0) {
      connection.send(
        encodeAwarenessMessage(
          awarenessProtocol.encodeAwarenessUpdate(this.awareness, Array.from(this.awareness.states.keys())),
        ),
      );
    }
  }

  /** Answers a client's SyncStep1 with what it lacks, once everything in the doc is on disk. */
  answerSyncStep1(connection: Connection, stateVector: Uint8Array): void {
    if (!this.isSettled) this.holding = true;
    this.whenSettled(() => {
      if (!connection.isOpen) return;
      if (stateVector.length === EMPTY_STATE_VECTOR_LENGTH) {
        this.fullStateReply ??= encodeSyncStep2(Y.encodeStateAsUpdate(this.doc));
        connection.send(this.fullStateReply);
      } else {
        connection.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)));
      }
    });
  }

  /** Answers `[saved, seq]` once every update this socket sent before the request is durable. */
  requestSaveAcknowledgement(connection: Connection, requestSeq: number): void {
    if (this.holding) {
      // Behind this socket's held updates: answered once they are applied and committed.
      this.held.push(() => this.requestSaveAcknowledgement(connection, requestSeq));
      return;
    }
    if (this.durableSeq >= this.appliedSeq) {
      connection.send(encodeSavedMessage(requestSeq));
      return;
    }
    this.saveWaiters.push({ appliedSeq: this.appliedSeq, connection, requestSeq });
  }

  private answerSaveWaiters(): void {
    if (this.saveWaiters.length === 0) return;
    const stillWaiting: SaveWaiter[] = [];
    for (const waiter of this.saveWaiters) {
      if (waiter.appliedSeq <= this.durableSeq) waiter.connection.send(encodeSavedMessage(waiter.requestSeq));
      else stillWaiting.push(waiter);
    }
    this.saveWaiters = stillWaiting;
  }

  // ---- awareness ----

  /**
   * Applies a client's (already validated) awareness update. Only states whose clock advanced produce
   * an 'update' event and so a broadcast: the echoes that stock y-websocket clients send back for every
   * awareness update they receive change nothing and are dropped here instead of fanned out again.
   */
  applyAwarenessUpdate(update: Uint8Array, rawEntries: readonly RawAwarenessEntry[], connection: Connection): void {
    const firstMessage = connection.awaitingFirstAwareness;
    connection.awaitingFirstAwareness = false;
    // Stock y-websocket clients echo every awareness update they receive: in a room of N people each
    // cursor move comes back N-1 times with a clock the server already has. Those are dropped here,
    // before any JSON is parsed, and never fanned out again.
    const fresh = rawEntries.filter((entry) => !this.isStaleAwareness(entry, firstMessage));
    if (fresh.length === 0) return;
    let entries: AwarenessEntry[] = fresh.map(parseAwarenessEntry);
    let rewritten = fresh.length !== rawEntries.length;
    if (connection.identity) {
      entries = this.stampIdentity(entries, connection);
      if (entries.length === 0) return;
      rewritten = true;
    }
    let returnToSender = false;
    if (firstMessage) {
      // A client that reconnects re-sends its state with the clock it had. Everyone (server and other
      // clients) removed that state when the old socket closed but kept its clock, so y-protocols
      // would ignore the state until the client's next heartbeat: 15 s without presence. A socket's
      // first message is its own state, not an echo, so the server re-issues it with the next clock,
      // to the others and back to the sender (whose own clock then moves on from there).
      entries = entries.map((entry) => {
        const meta = this.awareness.meta.get(entry.clientId);
        if (entry.state === null || !meta || meta.clock < entry.clock || this.awareness.states.has(entry.clientId)) return entry;
        returnToSender = true;
        rewritten = true;
        return { ...entry, clock: meta.clock + 1 };
      });
    }
    if (rewritten) update = encodeAwarenessEntries(entries);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
    if (returnToSender) connection.send(encodeAwarenessMessage(update));
  }

  /**
   * On an authenticated socket, presence speaks only for the socket's own client id and carries the
   * name and delegation of the session: a client cannot appear as someone else, nor change or remove
   * another person's presence. (Echoes of other people's states that stock clients send back are
   * dropped here, which is what they deserve anyway.)
   */
  private stampIdentity(entries: readonly AwarenessEntry[], connection: Connection): AwarenessEntry[] {
    const identity = connection.identity;
    if (!identity) return [...entries];
    if (connection.ownAwarenessClientId === null) {
      const first = entries.find((e) => e.state !== null && !this.isOwnedByAnother(e.clientId, connection));
      if (first) connection.ownAwarenessClientId = first.clientId;
    }
    const stamped: AwarenessEntry[] = [];
    for (const entry of entries) {
      if (entry.clientId !== connection.ownAwarenessClientId) continue;
      if (entry.state === null) {
        stamped.push(entry);
        continue;
      }
      const claimed = entry.state['user'];
      const user = typeof claimed === 'object' && claimed !== null && !Array.isArray(claimed) ? claimed : {};
      stamped.push({
        ...entry,
        state: {
          ...entry.state,
          user: {
            ...user,
            name: identity.name,
            color: identity.color,
            delegation: identity.delegation,
            personId: identity.personId,
            role: identity.role,
          },
        },
      });
    }
    return stamped;
  }

  /** y-protocols' own rule for an entry it would ignore (plus the re-admission of a socket's first state). */
  private isStaleAwareness({ clientId, clock, json }: RawAwarenessEntry, firstMessage: boolean): boolean {
    const meta = this.awareness.meta.get(clientId);
    if (!meta || meta.clock < clock) return false;
    const removal = isNullJson(json);
    if (meta.clock > clock) return !(firstMessage && !removal && !this.awareness.states.has(clientId));
    // Same clock: only a removal of a present state, or a first message re-admitting one, changes anything.
    if (removal) return !this.awareness.states.has(clientId);
    return !(firstMessage && !this.awareness.states.has(clientId));
  }

  private isOwnedByAnother(clientId: number, connection: Connection): boolean {
    for (const other of this.connections) {
      if (other !== connection && other.ownAwarenessClientId === clientId) return true;
    }
    return false;
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    const sender = origin instanceof Connection ? origin : null;
    if (sender) {
      for (const id of added) sender.awarenessClientIds.add(id);
      for (const id of updated) sender.awarenessClientIds.add(id);
      for (const id of removed) sender.awarenessClientIds.delete(id);
    }
    for (const id of changed) this.pendingPresence.add(id);
    if (this.presenceIntervalMs === 0) this.flushPresence();
    else this.presenceTimer ??= setTimeout(this.flushPresence, this.presenceFlushIntervalMs());
  };

  /**
   * The configured interval, stretched in rooms of more than PRESENCE_BASE_ROOM_SIZE sockets in
   * proportion to their size (200 sockets: twice the interval). Why: every flush costs a frame to
   * each of N sockets and, from stock clients, an echo back from each, and more people move more
   * carets, so at a fixed interval presence grows as N per flush and N² overall; stretched, it costs
   * at most 2 × PRESENCE_BASE_ROOM_SIZE frames per base interval however large the room. In a room
   * that large nobody follows each caret; text is never delayed.
   */
  private presenceFlushIntervalMs(): number {
    const stretch = Math.max(1, this.connections.size / PRESENCE_BASE_ROOM_SIZE);
    return Math.round(this.presenceIntervalMs * stretch);
  }

  /**
   * Relays every presence change since the last flush in one awareness message, encoded once and sent
   * to every socket, carrying each changed client's latest state. Why batch: a caret moves with nearly
   * every keystroke, every relayed awareness message costs a frame per socket, and stock y-websocket
   * clients answer each one they receive with an echo (yjs/yjs#732), so in a room of N people one caret
   * move costs 2(N-1) frames. Batched, a room costs at most 2N presence frames per interval, however
   * fast people type; carets lag by at most the interval (default 100 ms, like hosted presence
   * services' throttles). Text is never batched: it is relayed as soon as it is committed.
   * A socket also receives its own change back, as from y-websocket's server: the clock is one its
   * client already has, so y-protocols ignores that entry and nothing is echoed for it. That costs
   * each such socket a few hundred bytes, and saves an encoding per socket whose caret moved (until
   * 2026-11-27 each got a message without its own state).
   */
  private readonly flushPresence = (): void => {
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    if (this.pendingPresence.size === 0) return;
    const changed = Array.from(this.pendingPresence);
    this.pendingPresence = new Set();
    const broadcast = broadcastOf(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
    for (const connection of this.connections) connection.sendBroadcast(broadcast);
  };

  sendAllAwareness(connection: Connection): void {
    const ids = Array.from(this.awareness.states.keys());
    connection.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
  }

  // ---- membership ----

  addConnection(connection: Connection): void {
    if (this.unloadTimer) {
      clearTimeout(this.unloadTimer);
      this.unloadTimer = null;
    }
    this.connections.add(connection);
  }

  removeConnection(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.saveWaiters = this.saveWaiters.filter((w) => w.connection !== connection);
    const ids = Array.from(connection.awarenessClientIds);
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
  }

  /**
   * Once every valid update is on disk, replaces the doc with one loaded from disk. Until then the room
   * holds back client updates and replies, so the rebuilt doc misses nothing that was accepted.
   */
  private rebuildWhenCommitted(): void {
    if (!this.suspect || this.rebuilding || this.committedSeq !== this.appliedSeq) return;
    this.rebuilding = true;
    this.loadStored().then(
      (updates) => {
        const rebuilt = this.newDoc();
        Y.transact(rebuilt, () => {
          for (const update of updates) Y.applyUpdate(rebuilt, update, STORAGE_ORIGIN);
        }, STORAGE_ORIGIN);
        const old = this.currentDoc;
        this.currentDoc = rebuilt;
        old.destroy();
        this.fullStateReply = null;
        this.storedRows = updates.length;
        this.suspect = false;
        this.rebuilding = false;
        this.runSettledWaiters();
      },
      (error: unknown) => {
        // Storage cannot be read: keep holding (nothing suspect leaks) and try again shortly.
        this.log.error({ documentId: this.documentId, err: String(error) }, 'rebuilding from disk failed; retrying');
        this.rebuilding = false;
        setTimeout(() => this.rebuildWhenCommitted(), 1000).unref();
      },
    );
  }

  destroy(): void {
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.pendingPresence.clear();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly state: Record<string, unknown> | null;
}

/** An awareness entry as read off the wire, its state still UTF-8 JSON bytes. */
export interface RawAwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly json: Uint8Array;
}

/** Decodes as lib0's readVarString does (invalid UTF-8 becomes U+FFFD; the JSON parse then judges). */
const utf8 = new TextDecoder();
const NULL_JSON = [0x6e, 0x75, 0x6c, 0x6c]; // "null": how y-protocols encodes a removed state

function isNullJson(json: Uint8Array): boolean {
  return json.length === 4 && NULL_JSON.every((byte, i) => json[i] === byte);
}

function parseAwarenessEntry({ clientId, clock, json }: RawAwarenessEntry): AwarenessEntry {
  let state: unknown;
  try {
    state = JSON.parse(utf8.decode(json));
  } catch {
    throw new ProtocolError(CloseCodes.malformedMessage, 'awareness state is not JSON');
  }
  if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
    throw new ProtocolError(CloseCodes.malformedMessage, 'awareness state must be an object or null');
  }
  return { clientId, clock, state: state as Record<string, unknown> | null };
}

/** Encodes awareness entries as y-protocols does (count, then client id, clock and JSON state each). */
function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}
