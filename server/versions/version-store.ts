// Where versions, each document's sign-off state and the audit trail live: SQLite tables in the same
// DATA_DIR/concord.sqlite as documents and the workspace, on this module's own connection (WAL).
//
// A version is a full copy, never a Yjs snapshot: snapshots need `gc: false`, which would make every
// live document keep all deleted text forever. Each row holds the committed Yjs state
// (Y.encodeStateAsUpdate, which keeps item ids, so a compare can trace text to its authors), the
// editor JSON, the plain text and the SHA-256 of the canonical JSON, computed once at save time.
// Versions and audit events are append-only: SQLite triggers refuse UPDATE (and DELETE of audit
// events), so an agreed version cannot be altered through this connection or any other.
//
// Every write transaction is IMMEDIATE: it takes the write lock at BEGIN, waiting (busy_timeout) for
// any other connection writing the same file. A deferred one that reads first could not upgrade its
// snapshot after another connection committed, and would fail at once with "database is locked".
//
// The interface is synchronous like better-sqlite3: a sign-off step reads, decides and writes in one
// transaction without interleaving. An asynchronous backend would need a per-document lock in
// VersionService instead.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteSynchronous } from '../config.js';
import type { Delegation, PersonView } from '../../shared/workspace.js';
import {
  EMPTY_SIGN_OFF,
  type AuditKind,
  type EditorJson,
  type SignOffState,
  type VersionKind,
} from '../../shared/versions.js';
import { WORKSPACE_FILE_NAME, newId } from '../workspace/workspace-store.js';

export interface NewVersion {
  documentId: string;
  name: string | null;
  kind: VersionKind;
  author: PersonView | null;
  createdAt: number;
  yjsState: Uint8Array;
  contentJson: EditorJson;
  plainText: string;
  contentHash: string;
  characters: number;
  inserted: number;
  deleted: number;
}

/** A version without its (large) content: what lists need. */
export interface VersionRow {
  id: string;
  documentId: string;
  number: number;
  name: string | null;
  kind: VersionKind;
  author: PersonView | null;
  createdAt: number;
  contentHash: string;
  characters: number;
  inserted: number;
  deleted: number;
}

export interface VersionRecord extends VersionRow {
  yjsState: Uint8Array;
  contentJson: EditorJson;
  plainText: string;
}

export interface NewAuditEvent {
  kind: AuditKind;
  at: number;
  actor: PersonView | null;
  versionId: string | null;
  detail: Record<string, unknown>;
}

export interface AuditRow extends NewAuditEvent {
  seq: number;
  documentId: string;
  versionNumber: number | null;
}

export interface VersionStore {
  /** Stores the version and its audit events in one transaction; answers it with its number. */
  insertVersion(version: NewVersion, audit: (versionId: string) => NewAuditEvent[]): VersionRow;
  /** Newest first. */
  versions(documentId: string): VersionRow[];
  /** One version without its content (cheap), or null if the document has no such version. */
  versionRow(documentId: string, versionId: string): VersionRow | null;
  /** One version with its content. */
  version(documentId: string, versionId: string): VersionRecord | null;
  latestVersion(documentId: string): VersionRow | null;
  signOff(documentId: string): SignOffState;
  /**
   * Reads the sign-off state, lets `decide` compute the next one (or throw to change nothing), and
   * stores it with its audit events, all in one transaction.
   */
  updateSignOff(documentId: string, decide: (state: SignOffState) => { state: SignOffState; audit: NewAuditEvent[] }): SignOffState;
  appendAudit(documentId: string, events: readonly NewAuditEvent[]): void;
  /** Oldest first. */
  audit(documentId: string): AuditRow[];
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS versions (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  name TEXT,
  kind TEXT NOT NULL,
  author_id TEXT,
  author_name TEXT,
  author_delegation TEXT,
  created_at INTEGER NOT NULL,
  yjs_state BLOB NOT NULL,
  content_json TEXT NOT NULL,
  plain_text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  characters INTEGER NOT NULL,
  inserted INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  UNIQUE (document_id, number)
);
CREATE TRIGGER IF NOT EXISTS versions_are_immutable BEFORE UPDATE ON versions
  BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TABLE IF NOT EXISTS sign_offs (
  document_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  version_id TEXT,
  actor_id TEXT,
  actor_name TEXT,
  actor_delegation TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_events_by_document ON audit_events (document_id, seq);
CREATE TRIGGER IF NOT EXISTS audit_events_are_append_only_u BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_events_are_append_only_d BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
`;

const ROW_COLUMNS =
  'id, document_id, number, name, kind, author_id, author_name, author_delegation, created_at, content_hash, characters, inserted, deleted';

interface VersionRowRecord {
  id: string;
  document_id: string;
  number: number;
  name: string | null;
  kind: string;
  author_id: string | null;
  author_name: string | null;
  author_delegation: string | null;
  created_at: number;
  content_hash: string;
  characters: number;
  inserted: number;
  deleted: number;
}
interface VersionFullRecord extends VersionRowRecord {
  yjs_state: Buffer;
  content_json: string;
  plain_text: string;
}
interface AuditRecord {
  seq: number;
  document_id: string;
  at: number;
  kind: string;
  version_id: string | null;
  actor_id: string | null;
  actor_name: string | null;
  actor_delegation: string | null;
  detail: string;
  version_number: number | null;
}

function person(id: string | null, name: string | null, delegation: string | null): PersonView | null {
  return id === null ? null : { id, name: name ?? '', delegation: (delegation ?? 'org') as Delegation };
}

const toRow = (r: VersionRowRecord): VersionRow => ({
  id: r.id,
  documentId: r.document_id,
  number: r.number,
  name: r.name,
  kind: r.kind as VersionKind,
  author: person(r.author_id, r.author_name, r.author_delegation),
  createdAt: r.created_at,
  contentHash: r.content_hash,
  characters: r.characters,
  inserted: r.inserted,
  deleted: r.deleted,
});

const toRecord = (r: VersionFullRecord): VersionRecord => ({
  ...toRow(r),
  yjsState: new Uint8Array(r.yjs_state),
  contentJson: JSON.parse(r.content_json) as EditorJson,
  plainText: r.plain_text,
});

export class SqliteVersionStore implements VersionStore {
  private readonly db: Database.Database;

  /** `location` is a DATA_DIR, or `:memory:` (STORAGE=memory: versions last as long as the process). */
  constructor(location: string, synchronous: SqliteSynchronous = 'FULL') {
    if (location === ':memory:') {
      this.db = new Database(':memory:');
    } else {
      fs.mkdirSync(location, { recursive: true });
      this.db = new Database(path.join(location, WORKSPACE_FILE_NAME));
    }
    this.db.pragma('journal_mode = WAL');
    // A signature or an agreed version must survive a power loss as much as an edit does.
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  insertVersion(version: NewVersion, audit: (versionId: string) => NewAuditEvent[]): VersionRow {
    return this.db.transaction(() => {
      const id = newId(9);
      const { n } = this.db
        .prepare('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM versions WHERE document_id = ?')
        .get(version.documentId) as { n: number };
      this.db
        .prepare(
          `INSERT INTO versions (id, document_id, number, name, kind, author_id, author_name, author_delegation, created_at,
             yjs_state, content_json, plain_text, content_hash, characters, inserted, deleted)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          version.documentId,
          n,
          version.name,
          version.kind,
          version.author?.id ?? null,
          version.author?.name ?? null,
          version.author?.delegation ?? null,
          version.createdAt,
          Buffer.from(version.yjsState.buffer, version.yjsState.byteOffset, version.yjsState.byteLength),
          JSON.stringify(version.contentJson),
          version.plainText,
          version.contentHash,
          version.characters,
          version.inserted,
          version.deleted,
        );
      this.insertAudit(version.documentId, audit(id));
      return {
        id,
        documentId: version.documentId,
        number: n,
        name: version.name,
        kind: version.kind,
        author: version.author,
        createdAt: version.createdAt,
        contentHash: version.contentHash,
        characters: version.characters,
        inserted: version.inserted,
        deleted: version.deleted,
      };
    }).immediate();
  }

  versions(documentId: string): VersionRow[] {
    return (
      this.db.prepare(`SELECT ${ROW_COLUMNS} FROM versions WHERE document_id = ? ORDER BY number DESC`).all(documentId) as VersionRowRecord[]
    ).map(toRow);
  }

  version(documentId: string, versionId: string): VersionRecord | null {
    const row = this.db.prepare('SELECT * FROM versions WHERE document_id = ? AND id = ?').get(documentId, versionId) as
      | VersionFullRecord
      | undefined;
    return row ? toRecord(row) : null;
  }

  versionRow(documentId: string, versionId: string): VersionRow | null {
    const row = this.db.prepare(`SELECT ${ROW_COLUMNS} FROM versions WHERE document_id = ? AND id = ?`).get(documentId, versionId) as
      | VersionRowRecord
      | undefined;
    return row ? toRow(row) : null;
  }

  latestVersion(documentId: string): VersionRow | null {
    const row = this.db
      .prepare(`SELECT ${ROW_COLUMNS} FROM versions WHERE document_id = ? ORDER BY number DESC LIMIT 1`)
      .get(documentId) as VersionRowRecord | undefined;
    return row ? toRow(row) : null;
  }

  signOff(documentId: string): SignOffState {
    const row = this.db.prepare('SELECT state FROM sign_offs WHERE document_id = ?').get(documentId) as { state: string } | undefined;
    return row ? { ...EMPTY_SIGN_OFF, ...(JSON.parse(row.state) as Partial<SignOffState>) } : EMPTY_SIGN_OFF;
  }

  updateSignOff(documentId: string, decide: (state: SignOffState) => { state: SignOffState; audit: NewAuditEvent[] }): SignOffState {
    return this.db.transaction(() => {
      const { state, audit } = decide(this.signOff(documentId));
      this.db
        .prepare(
          'INSERT INTO sign_offs (document_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (document_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
        )
        .run(documentId, JSON.stringify(state), Date.now());
      this.insertAudit(documentId, audit);
      return state;
    }).immediate();
  }

  appendAudit(documentId: string, events: readonly NewAuditEvent[]): void {
    this.db.transaction(() => this.insertAudit(documentId, events)).immediate();
  }

  private insertAudit(documentId: string, events: readonly NewAuditEvent[]): void {
    const insert = this.db.prepare(
      'INSERT INTO audit_events (document_id, at, kind, version_id, actor_id, actor_name, actor_delegation, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const event of events) {
      insert.run(
        documentId,
        event.at,
        event.kind,
        event.versionId,
        event.actor?.id ?? null,
        event.actor?.name ?? null,
        event.actor?.delegation ?? null,
        JSON.stringify(event.detail),
      );
    }
  }

  audit(documentId: string): AuditRow[] {
    const rows = this.db
      .prepare(
        `SELECT a.*, v.number AS version_number FROM audit_events a LEFT JOIN versions v ON v.id = a.version_id
         WHERE a.document_id = ? ORDER BY a.seq`,
      )
      .all(documentId) as AuditRecord[];
    return rows.map((r) => ({
      seq: r.seq,
      documentId: r.document_id,
      at: r.at,
      kind: r.kind as AuditKind,
      actor: person(r.actor_id, r.actor_name, r.actor_delegation),
      versionId: r.version_id,
      versionNumber: r.version_number,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
