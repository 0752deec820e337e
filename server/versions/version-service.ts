// Version history and sign-off for every document: saving (named, automatic, before a restore),
// reading, comparing and restoring versions, the sign-off steps, and the audit trail. The HTTP routes
// (version-routes.ts) decide who may call what; this service does it. It reads live documents only
// through the room registry, in the turn in which a room is settled, so a version holds exactly what
// is on disk and a restore follows everything committed. What a benchmark times is plain functions:
// contentOfState / describeContent (version-content.ts), changeSize and compareDocuments (compare.ts).
// Comparing, reading the live text's hash for the list and for viewing it, and working out automatic
// versions run in the export process (compare-job.ts, describe-job.ts). A named save (and the version
// before a restore) stays here: it reads the room's doc directly, where the export process would first
// have to rebuild it from a state (a named save took 270-340 ms that way for the 50-page communiqué,
// over its 200 ms budget, against ~85 ms here); nobody waits for an automatic one.
//
// Automatic versions: the first committed edit after a version starts a timer (AUTO_VERSION_AFTER_MS,
// 10 minutes by default); when it fires, or when the last person has left and the room is about to
// unload, a version is saved if the text differs from the newest version. Edits made just before a
// shutdown are versioned at the next of those moments after the document is edited again.
import type { Node as ProseMirrorNode, Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { readAgenda, type Agenda } from '../../shared/agenda.js';
import {
  LIVE_VERSION_ID,
  applySignOff,
  canPropose,
  signOffStatus,
  type AuditEntry,
  type DiffSide,
  type LiveContentView,
  type LiveStatusView,
  type RestoreAnswer,
  type SignOffAction,
  type SignOffActor,
  type SignOffEvent,
  type SignOffState,
  type SignOffView,
  type SigningDelegation,
  type VersionDetail,
  type VersionDiff,
  type VersionKind,
  type VersionListView,
  type VersionSummary,
} from '../../shared/versions.js';
import { SIGNING_DELEGATIONS, type PersonView, type Role } from '../../shared/workspace.js';
import type { Room } from '../collaboration/room.js';
import type { RoomHooks, RoomRegistry } from '../collaboration/room-registry.js';
import { HttpError, describeError } from '../errors.js';
import type { LiveText } from '../export/export-job.js';
import type { Logger } from '../log.js';
import type { DocumentRow, WorkspaceStore } from '../workspace/workspace-store.js';
import type { AuthorshipLog } from './authorship.js';
import { changeSize } from './compare.js';
import type { CompareJob, CompareOutput } from './compare-job.js';
import type { DescribeJob, DescribeOutput } from './describe-job.js';
import { applyVersionToRoom } from './restore.js';
import { describeContent, readEditorDocument, type EditorContent } from './version-content.js';
import type { NewAuditEvent, VersionRow, VersionStore } from './version-store.js';

export interface VersionServiceOptions {
  registry: RoomRegistry;
  workspace: WorkspaceStore;
  store: VersionStore;
  authorship: AuthorshipLog;
  /** Runs comparisons and live-text reads away from the event loop (the export process). */
  background: BackgroundWork;
  /** Whether the background process can read live text from the store's file (SQLite) once stored. */
  liveFromStore: boolean;
  schema: Schema;
  log: Logger;
  /** An automatic version is saved this long after the first edit that follows the newest version. */
  autoVersionAfterMs: number;
  /** How long a request waits for a document's edits to reach disk (storage failing) before a 503. */
  settleTimeoutMs?: number;
}

/** A version's text as stored: the editor JSON, the plain text, their hash and size. */
type SavedContent = Omit<EditorContent, 'node'>;

export interface BackgroundWork {
  compare(job: CompareJob): Promise<CompareOutput>;
  describe(job: DescribeJob): Promise<DescribeOutput>;
}

/** The person acting and their role in the document's group (resolved by the routes). */
export interface Actor {
  person: PersonView;
  role: Role;
}

/** How many documents keep their newest version's editor document in memory (to size the next change). */
const NEWEST_NODE_CACHE = 16;
const DEFAULT_SETTLE_TIMEOUT_MS = 10_000;

class Abandoned extends Error {}

export class VersionService {
  private readonly registry: RoomRegistry;
  private readonly workspace: WorkspaceStore;
  private readonly store: VersionStore;
  private readonly authorship: AuthorshipLog;
  private readonly background: BackgroundWork;
  private readonly liveFromStore: boolean;
  private readonly schema: Schema;
  private readonly log: Logger;
  private readonly autoVersionAfterMs: number;
  private readonly settleTimeoutMs: number;
  /** Documents edited (by a connection) since their newest version was saved. */
  private readonly dirty = new Set<string>();
  private readonly autoTimers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Bumped on every commit: a live hash computed from an older generation is not cached. */
  private readonly generation = new Map<string, number>();
  private readonly liveStatusCache = new Map<string, { contentHash: string; characters: number }>();
  /** Live-status reads in flight, by document, with the commit generation each started at. */
  private readonly liveStatusReads = new Map<string, { generation: number; read: Promise<{ contentHash: string; characters: number }> }>();
  private readonly newestNodes = new Map<string, { versionId: string; node: ProseMirrorNode }>();
  /** The tail of each document's queue of saves (inSaveOrder). */
  private readonly saveQueues = new Map<string, Promise<void>>();
  private closed = false;

  constructor(options: VersionServiceOptions) {
    this.registry = options.registry;
    this.workspace = options.workspace;
    this.store = options.store;
    this.authorship = options.authorship;
    this.background = options.background;
    this.liveFromStore = options.liveFromStore;
    this.schema = options.schema;
    this.log = options.log;
    this.autoVersionAfterMs = options.autoVersionAfterMs;
    this.settleTimeoutMs = options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS;
  }

  // ---- what the rooms tell us ----

  roomHooks(): RoomHooks {
    return {
      committed: (room, entries) => {
        const { documentId } = room;
        this.generation.set(documentId, (this.generation.get(documentId) ?? 0) + 1);
        this.liveStatusCache.delete(documentId);
        let edited = false;
        for (const { origin, update } of entries) {
          if (origin.kind !== 'connection') continue;
          edited = true;
          const identity = origin.connection.identity;
          if (identity) {
            this.authorship.recordUpdate(documentId, update, {
              id: identity.personId,
              name: identity.name,
              delegation: identity.delegation as PersonView['delegation'],
            });
          }
        }
        if (edited) this.noteEdited(documentId);
      },
      beforeUnload: async (room) => {
        const { documentId } = room;
        this.clearAutoTimer(documentId);
        this.authorship.forget(documentId);
        await this.saveAutomatic(documentId, 'last-left', room);
      },
    };
  }

  private noteEdited(documentId: string): void {
    this.dirty.add(documentId);
    if (this.autoTimers.has(documentId) || this.closed) return;
    const timer = setTimeout(() => {
      this.autoTimers.delete(documentId);
      void this.track(
        this.saveAutomatic(documentId).catch((error: unknown) => {
          this.log.error({ err: describeError(error), documentId }, 'automatic version failed');
        }),
      );
    }, this.autoVersionAfterMs);
    timer.unref();
    this.autoTimers.set(documentId, timer);
  }

  private clearAutoTimer(documentId: string): void {
    const timer = this.autoTimers.get(documentId);
    if (timer) clearTimeout(timer);
    this.autoTimers.delete(documentId);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => {});
    return promise;
  }

  // ---- reading live documents ----

  /** Runs `work` on the settled room, or answers 503 if its edits cannot reach disk in time. */
  private async withSettledRoom<T>(documentId: string, work: (room: Room) => T): Promise<T> {
    let abandoned = false;
    const run = this.registry.withSettledRoom(documentId, (room) => {
      // Work that starts after its request was answered 503 must not happen at all.
      if (abandoned) throw new Abandoned();
      return work(room);
    });
    run.catch(() => {});
    return this.withinSettleTimeout(run, () => {
      abandoned = true;
    });
  }

  /** `waiting`, or 503 document_unavailable (after `onTimeout`) if storage cannot catch up in time. */
  private async withinSettleTimeout<T>(waiting: Promise<T>, onTimeout: () => void = () => {}): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout();
        reject(new HttpError(503, 'document_unavailable', 'the document cannot be stored right now; try again shortly'));
      }, this.settleTimeoutMs);
    });
    try {
      return await Promise.race([waiting, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads a settled room's editor document (and, if asked, its full state) in place, in one turn. */
  private readLive(room: Room, withState: boolean): { node: ProseMirrorNode; state: Uint8Array | null } {
    return { node: readEditorDocument(room.doc, this.schema), state: withState ? Y.encodeStateAsUpdate(room.doc) : null };
  }

  /** The committed live text (and state), and the commit generation it was read at. */
  private liveContent(
    documentId: string,
    withState: boolean,
    { forVersion = false } = {},
  ): Promise<{ node: ProseMirrorNode; state: Uint8Array | null; generation: number }> {
    return this.withSettledRoom(documentId, (room) => {
      if (forVersion) this.versionTaken(documentId);
      return { ...this.readLive(room, withState), generation: this.generation.get(documentId) ?? 0 };
    });
  }

  /**
   * The live text is being saved as a version (called in the turn it is read): edits so far are in it,
   * so the period before the next automatic version starts again with the next edit.
   */
  private versionTaken(documentId: string): void {
    this.dirty.delete(documentId);
    this.clearAutoTimer(documentId);
  }

  /**
   * The live text's hash and size, read in the background process (describe-job.ts says why). Requests
   * for the same committed text share one read; a read is kept until the next commit.
   */
  private liveStatus(documentId: string): Promise<{ contentHash: string; characters: number }> {
    const cached = this.liveStatusCache.get(documentId);
    if (cached) return Promise.resolve(cached);
    const generation = this.generation.get(documentId) ?? 0;
    const pending = this.liveStatusReads.get(documentId);
    if (pending?.generation === generation) return pending.read;
    const read = this.describeLive(documentId, false).then(({ contentHash, characters }) => {
      const status = { contentHash, characters };
      // Only if nothing was committed meanwhile is this the text of `generation` (and not a later one).
      if ((this.generation.get(documentId) ?? 0) === generation) this.liveStatusCache.set(documentId, status);
      return status;
    });
    this.liveStatusReads.set(documentId, { generation, read });
    const forget = (): void => {
      if (this.liveStatusReads.get(documentId)?.read === read) this.liveStatusReads.delete(documentId);
    };
    read.then(forget, forget);
    return read;
  }

  /** Everything committed so far, described by the background process from disk (or from its state). */
  private async describeLive(documentId: string, full: boolean): Promise<DescribeOutput> {
    return this.background.describe({ text: await this.liveText(documentId), full });
  }

  /**
   * Where the export process is to read the committed live text (for an export, a versions list, an
   * automatic version): the store's file, once all of it is on disk (the document need not be
   * loaded); with in-memory storage a state encoded in a turn in which the room (`unloading`, or the
   * loaded one) is settled. `onRead` runs at the moment of reading.
   */
  async liveText(documentId: string, unloading: Room | null = null, onRead: () => void = () => {}): Promise<LiveText> {
    if (this.liveFromStore) {
      await this.whenStored(documentId);
      onRead();
      return { kind: 'stored', documentId };
    }
    const encode = (room: Room): Uint8Array => {
      onRead();
      return Y.encodeStateAsUpdate(room.doc);
    };
    if (!unloading) return { kind: 'state', state: await this.withSettledRoom(documentId, encode) };
    const state = await new Promise<Uint8Array>((resolve, reject) =>
      unloading.whenSettled(() => {
        try {
          resolve(encode(unloading));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    return { kind: 'state', state };
  }

  async live(documentId: string): Promise<LiveContentView> {
    const { contentHash, characters, content } = await this.describeLive(documentId, true);
    if (!content) throw new Error('the live text was read without its content');
    return { id: LIVE_VERSION_ID, content: content.json, text: content.text, characters, contentHash };
  }

  /** The live text and the agenda beside it, both read from the room's doc in the same turn. */
  async liveWithAgenda(documentId: string): Promise<{ live: LiveContentView; agenda: Agenda }> {
    const { node, agenda } = await this.withSettledRoom(documentId, (room) => ({
      node: readEditorDocument(room.doc, this.schema),
      agenda: readAgenda(room.doc),
    }));
    const content = describeContent(node);
    return {
      live: { id: LIVE_VERSION_ID, content: content.json, text: content.text, characters: content.characters, contentHash: content.contentHash },
      agenda,
    };
  }

  /**
   * Resolves once everything accepted for the document so far is on disk, without loading it (the
   * export process then reads the text from the store); 503 when storage cannot catch up in time.
   */
  private whenStored(documentId: string): Promise<void> {
    return this.withinSettleTimeout(this.registry.whenStored(documentId));
  }

  /** A version's number, name and kind (no text read), or null for an unknown one. */
  versionRow(documentId: string, versionId: string): VersionRow | null {
    return this.store.versionRow(documentId, versionId);
  }

  /** The agenda as stored in a version's Yjs state. */
  versionAgenda(documentId: string, versionId: string): Agenda {
    const record = this.store.version(documentId, versionId);
    if (!record) throw new HttpError(404, 'not_found', 'no such version of this document');
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, record.yjsState);
      return readAgenda(doc);
    } finally {
      doc.destroy();
    }
  }

  // ---- saving ----

  async saveNamed(documentId: string, name: string, author: PersonView): Promise<VersionSummary> {
    return this.inSaveOrder(documentId, async () => {
      const { node, state } = await this.liveContent(documentId, true, { forVersion: true });
      const content = describeContent(node);
      const row = this.storeVersion(documentId, state as Uint8Array, content, this.changeFromNewest(documentId, content), node, 'named', name, author);
      return this.summary(row, this.store.signOff(documentId));
    });
  }

  /**
   * Saves an automatic version if the live text differs from the newest version. Nobody waits for
   * one, so the text is read, hashed and measured in the background process (describe-job.ts): for a
   * 50-page text ~165 ms in which the event loop would relay no one's edits. Only the row is stored
   * here. `unloading`: the room whose last person left, about to be unloaded.
   */
  async saveAutomatic(documentId: string, trigger: 'activity' | 'last-left' = 'activity', unloading: Room | null = null): Promise<VersionRow | null> {
    if (!this.dirty.has(documentId) || this.closed) return null;
    return this.inSaveOrder(documentId, async () => {
      if (!this.dirty.has(documentId) || this.closed) return null;
      const newest = this.store.latestVersion(documentId);
      const since = newest ? this.store.version(documentId, newest.id)?.yjsState : null;
      if (since === undefined) throw new Error(`version ${newest?.id} vanished`);
      const text = await this.liveText(documentId, unloading, () => this.versionTaken(documentId));
      try {
        const described = await this.background.describe({ text, full: true, withState: text.kind === 'stored', changeFrom: { state: since } });
        const state = text.kind === 'state' ? text.state : described.state;
        if (!described.content || !described.change || !state) throw new Error('the background process described the text only in part');
        const { contentHash, characters } = described;
        if (newest ? newest.contentHash === contentHash : characters === 0) return null;
        const content = { json: described.content.json, text: described.content.text, contentHash, characters };
        return this.storeVersion(documentId, state, content, described.change, null, 'auto', null, null, { trigger });
      } catch (error) {
        // The edits since the newest version are still unversioned: try again after another period.
        if (!this.closed) this.noteEdited(documentId);
        throw error;
      }
    });
  }

  /**
   * Saves of one document (named, automatic, before a restore) run one after another: an automatic
   * one spans several turns, and versions must be numbered in the order their texts were read, each
   * change measured from the version before. close() waits for them (they may need the background
   * process, which closes after this service).
   */
  private inSaveOrder<T>(documentId: string, save: () => Promise<T>): Promise<T> {
    const previous = this.saveQueues.get(documentId) ?? Promise.resolve();
    const next = this.track(previous.then(save));
    const tail = next.then(
      () => {},
      () => {},
    );
    this.saveQueues.set(documentId, tail);
    void tail.then(() => {
      if (this.saveQueues.get(documentId) === tail) this.saveQueues.delete(documentId);
    });
    return next;
  }

  /** Size of the change from the newest version to `content` (everything, for a first version). */
  private changeFromNewest(documentId: string, content: EditorContent): { inserted: number; deleted: number } {
    const newest = this.store.latestVersion(documentId);
    return newest ? changeSize(this.nodeOf(documentId, newest), content.node) : { inserted: content.characters, deleted: 0 };
  }

  /** Stores a version; `node` (its editor document, when read here) is kept to size the next change. */
  private storeVersion(
    documentId: string,
    state: Uint8Array,
    content: SavedContent,
    change: { inserted: number; deleted: number },
    node: ProseMirrorNode | null,
    kind: VersionKind,
    name: string | null,
    author: PersonView | null,
    detail: Record<string, unknown> = {},
  ): VersionRow {
    const createdAt = Date.now();
    const row = this.store.insertVersion(
      {
        documentId,
        name,
        kind,
        author,
        createdAt,
        yjsState: state,
        contentJson: content.json,
        plainText: content.text,
        contentHash: content.contentHash,
        characters: content.characters,
        inserted: change.inserted,
        deleted: change.deleted,
      },
      (versionId) => [
        { kind: 'version-saved', at: createdAt, actor: author, versionId, detail: { versionKind: kind, name, contentHash: content.contentHash, ...detail } },
      ],
    );
    if (node) this.rememberNewest(documentId, row.id, node);
    else this.newestNodes.delete(documentId);
    this.log.info({ documentId, version: row.number, kind, characters: row.characters }, 'version saved');
    return row;
  }

  private nodeOf(documentId: string, row: VersionRow): ProseMirrorNode {
    const cached = this.newestNodes.get(documentId);
    if (cached?.versionId === row.id) return cached.node;
    const record = this.store.version(documentId, row.id);
    if (!record) throw new Error(`version ${row.id} vanished`);
    return this.schema.nodeFromJSON(record.contentJson);
  }

  private rememberNewest(documentId: string, versionId: string, node: ProseMirrorNode): void {
    this.newestNodes.delete(documentId);
    this.newestNodes.set(documentId, { versionId, node });
    if (this.newestNodes.size > NEWEST_NODE_CACHE) {
      const oldest = this.newestNodes.keys().next().value;
      if (oldest !== undefined) this.newestNodes.delete(oldest);
    }
  }

  // ---- reading versions ----

  async list(document: DocumentRow, actor: Actor): Promise<VersionListView> {
    const live = await this.liveStatus(document.id);
    const state = this.store.signOff(document.id);
    const rows = this.store.versions(document.id);
    const newest = rows[0];
    const liveView: LiveStatusView = {
      contentHash: live.contentHash,
      characters: live.characters,
      changedSinceLastVersion: newest ? newest.contentHash !== live.contentHash : live.characters > 0,
      changedSinceAgreed: state.agreed ? state.agreed.contentHash !== live.contentHash : null,
    };
    return {
      documentId: document.id,
      meetingTimeZone: this.workspace.meeting(document.meetingId)?.timeZone ?? null,
      versions: rows.map((row) => this.summary(row, state)),
      signOff: this.signOffView(document, state, actor),
      live: liveView,
    };
  }

  version(documentId: string, versionId: string): VersionDetail {
    const record = this.store.version(documentId, versionId);
    if (!record) throw new HttpError(404, 'not_found', 'no such version of this document');
    return { ...this.summary(record, this.store.signOff(documentId)), content: record.contentJson, text: record.plainText };
  }

  audit(documentId: string): AuditEntry[] {
    return this.store.audit(documentId).map((row) => ({
      seq: row.seq,
      at: new Date(row.at).toISOString(),
      kind: row.kind,
      actor: row.actor,
      versionId: row.versionId,
      versionNumber: row.versionNumber,
      detail: row.detail,
    }));
  }

  private summary(row: VersionRow, state: SignOffState): VersionSummary {
    const agreed = state.agreed?.versionId === row.id || state.history.some((a) => a.versionId === row.id);
    return {
      id: row.id,
      number: row.number,
      name: row.name,
      kind: row.kind,
      author: row.author,
      createdAt: new Date(row.createdAt).toISOString(),
      characters: row.characters,
      change: { inserted: row.inserted, deleted: row.deleted },
      contentHash: row.contentHash,
      agreed,
    };
  }

  // ---- compare ----

  /**
   * Compares `fromId` (older) with `toId` (newer); either may be `live`. Only reading the two states
   * happens here (the live one in the turn in which its room is settled); the comparison itself runs
   * in the export process (compare-job.ts says why).
   */
  async compare(documentId: string, fromId: string, toId: string): Promise<VersionDiff> {
    const rowOf = (id: string): VersionRow | null => {
      if (id === LIVE_VERSION_ID) return null;
      const row = this.store.versionRow(documentId, id);
      if (!row) throw new HttpError(404, 'not_found', `no version ${id} of this document`);
      return row;
    };
    const fromRow = rowOf(fromId);
    const toRow = rowOf(toId);
    const live = !fromRow || !toRow ? await this.withSettledRoom(documentId, (room) => Y.encodeStateAsUpdate(room.doc)) : null;
    const stateOf = (row: VersionRow | null): Uint8Array => {
      if (!row) return live as Uint8Array;
      const record = this.store.version(documentId, row.id);
      if (!record) throw new HttpError(404, 'not_found', 'no such version of this document');
      return record.yjsState;
    };
    const { summary, blocks, fromHash, toHash } = await this.background.compare({
      from: stateOf(fromRow),
      to: stateOf(toRow),
      authors: this.authorship.authorRecords(documentId),
    });
    const side = (id: string, row: VersionRow | null, contentHash: string): DiffSide =>
      row ? { id: row.id, number: row.number, name: row.name, contentHash: row.contentHash } : { id, number: null, name: null, contentHash };
    return { from: side(fromId, fromRow, fromHash), to: side(toId, toRow, toHash), summary, blocks };
  }

  // ---- restore ----

  async restore(documentId: string, versionId: string, author: PersonView): Promise<RestoreAnswer> {
    return this.inSaveOrder(documentId, () => this.restoreNow(documentId, versionId, author));
  }

  private async restoreNow(documentId: string, versionId: string, author: PersonView): Promise<RestoreAnswer> {
    const target = this.store.version(documentId, versionId);
    if (!target) throw new HttpError(404, 'not_found', 'no such version of this document');
    let targetNode: ProseMirrorNode;
    try {
      targetNode = this.schema.nodeFromJSON(target.contentJson);
      targetNode.check();
    } catch (error) {
      throw new HttpError(409, 'version_unreadable', `this version does not fit the current editor schema: ${describeError(error)}`);
    }
    const outcome = await this.withSettledRoom(documentId, (room) => {
      // Read, save and replace in one turn: no edit can slip in between the text saved as
      // "before restore" and the restore, so nothing anyone typed is lost without a version.
      const { node, state } = this.readLive(room, true);
      const current = describeContent(node);
      if (current.contentHash === target.contentHash) return { changed: false as const };
      this.versionTaken(documentId);
      const change = this.changeFromNewest(documentId, current);
      const before = this.storeVersion(documentId, state as Uint8Array, current, change, node, 'before-restore', `Before restoring version ${target.number}`, author, {
        restoring: target.id,
      });
      const applied = applyVersionToRoom(room, targetNode, `restore version ${target.number}`);
      this.store.appendAudit(documentId, [
        {
          kind: 'restored',
          at: Date.now(),
          actor: author,
          versionId: target.id,
          detail: { beforeRestoreVersionId: before.id, contentHash: target.contentHash },
        },
      ]);
      return { changed: true as const, room, before, applied };
    });
    const signOff = this.store.signOff(documentId);
    if (!outcome.changed) return { changed: false, restored: this.summary(target, signOff), beforeRestore: null };
    this.authorship.noteClient(documentId, outcome.applied.clientId, author);
    for (const update of outcome.applied.updates) this.authorship.recordUpdate(documentId, update, author);
    // Answer once the restore is on disk (and so relayed to everyone connected).
    const stored = await Promise.race([
      outcome.room.settled().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), this.settleTimeoutMs).unref()),
    ]);
    if (!stored) {
      throw new HttpError(503, 'storage_unavailable', 'the restore is applied but not yet stored; it will be once storage recovers');
    }
    return { changed: true, restored: this.summary(target, signOff), beforeRestore: this.summary(outcome.before, signOff) };
  }

  // ---- sign-off ----

  signOff(document: DocumentRow, actor: Actor): SignOffView {
    return this.signOffView(document, this.store.signOff(document.id), actor);
  }

  signOffStep(
    document: DocumentRow,
    versionId: string,
    actor: Actor,
    request: { type: 'propose' } | { type: 'sign'; delegation?: SigningDelegation; confirmHash?: string } | { type: 'withdraw'; delegation?: SigningDelegation },
  ): SignOffView {
    const row = this.store.versionRow(document.id, versionId);
    if (!row) throw new HttpError(404, 'not_found', 'no such version of this document');
    const now = Date.now();
    const at = new Date(now).toISOString();
    const signOffActor: SignOffActor = {
      personId: actor.person.id,
      name: actor.person.name,
      delegation: actor.person.delegation,
      role: actor.role,
      signsFor: this.signsFor(document.groupId, actor.person.id),
    };
    const action: SignOffAction =
      request.type === 'propose'
        ? { type: 'propose', versionId, contentHash: row.contentHash, at }
        : request.type === 'sign'
          ? { type: 'sign', versionId, delegation: request.delegation, confirmHash: request.confirmHash, at }
          : { type: 'withdraw', versionId, delegation: request.delegation, at };
    const state = this.store.updateSignOff(document.id, (current) => {
      const result = applySignOff(current, action, signOffActor);
      if (!result.ok) throw new HttpError(result.status, result.code, result.message);
      return { state: result.state, audit: result.events.map((event) => this.auditOf(event, actor.person, now, result.state)) };
    });
    return this.signOffView(document, state, actor);
  }

  private auditOf(event: SignOffEvent, actor: PersonView, at: number, state: SignOffState): NewAuditEvent {
    switch (event.kind) {
      case 'proposed':
        return {
          kind: 'proposed',
          at,
          actor,
          versionId: event.versionId,
          detail: { supersedes: event.supersedes, contentHash: state.proposal?.contentHash ?? null },
        };
      case 'signed':
        return { kind: 'signed', at, actor, versionId: event.versionId, detail: { delegation: event.delegation } };
      case 'withdrawn':
        return { kind: 'withdrawn', at, actor, versionId: event.versionId, detail: { delegation: event.delegation } };
      case 'agreed':
        return {
          kind: 'agreed',
          at,
          actor,
          versionId: event.versionId,
          detail: { contentHash: event.contentHash, signatures: state.agreed?.signatures ?? null },
        };
    }
  }

  private signsFor(groupId: string, personId: string): SigningDelegation[] {
    const signatories = this.workspace.signatories(groupId);
    return SIGNING_DELEGATIONS.filter((delegation) => signatories[delegation] === personId);
  }

  private signOffView(document: DocumentRow, state: SignOffState, actor: Actor): SignOffView {
    const numberOf = (versionId: string): number | null => this.store.versionRow(document.id, versionId)?.number ?? null;
    const signatories: SignOffView['signatories'] = {};
    const assigned = this.workspace.signatories(document.groupId);
    for (const delegation of SIGNING_DELEGATIONS) {
      const personId = assigned[delegation];
      const person = personId ? this.workspace.person(personId) : null;
      if (person) signatories[delegation] = { id: person.id, name: person.name, delegation: person.delegation };
    }
    return {
      status: signOffStatus(state),
      proposal: state.proposal && { ...state.proposal, versionNumber: numberOf(state.proposal.versionId) },
      agreed: state.agreed && { ...state.agreed, versionNumber: numberOf(state.agreed.versionId) },
      signatories,
      you: { canPropose: canPropose(actor.role), signsFor: this.signsFor(document.groupId, actor.person.id) },
    };
  }

  /** Stops automatic versions and waits for the ones in progress (before rooms and storage close). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.autoTimers.values()) clearTimeout(timer);
    this.autoTimers.clear();
    await Promise.allSettled(this.inFlight);
    this.authorship.flush();
  }
}
