// The dialogue's structure and its people, in SQLite (the same DATA_DIR database file as documents):
// initiative → groups → meetings → documents; people with a delegation and a role per group (or
// initiative-wide); invitation links; who signs for each delegation. Synchronous: better-sqlite3 calls
// take microseconds and keep access checks free of interleaving.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Delegation, DocumentKind, Role } from '../../shared/workspace.js';

export const WORKSPACE_FILE_NAME = 'concord.sqlite';
/** The scope of an initiative-wide membership or invitation. */
const INITIATIVE_SCOPE = '*';

export interface GroupRow {
  id: string;
  name: string;
  archived: boolean;
}
export interface MeetingRow {
  id: string;
  groupId: string;
  number: number;
  city: string;
  date: string | null;
  timeZone: string;
  archived: boolean;
}
export interface DocumentRow {
  id: string;
  meetingId: string;
  groupId: string;
  kind: DocumentKind;
  title: string;
  archived: boolean;
}
export interface PersonRow {
  id: string;
  name: string;
  delegation: Delegation;
  invitationCode: string | null;
  revoked: boolean;
}
export interface InvitationRow {
  code: string;
  role: Role;
  groupId: string | null;
  delegation: Delegation;
  name: string | null;
  expiresAt: number;
  revoked: boolean;
  createdAt: number;
  createdBy: string | null;
}
export interface Roles {
  initiative: Role | null;
  groups: Record<string, Role>;
}

export interface WorkspaceSeed {
  initiative: string;
  groups: Array<{ id: string; name: string }>;
  meetings: Array<{ n: number; group: string; city: string; date?: string | null; timeZone: string }>;
  documentKinds: DocumentKind[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS initiative (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, archived INTEGER NOT NULL DEFAULT 0, position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS meetings (
  id TEXT PRIMARY KEY, group_id TEXT NOT NULL REFERENCES groups(id), number INTEGER NOT NULL, city TEXT NOT NULL,
  date TEXT, time_zone TEXT NOT NULL, archived INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meetings(id), kind TEXT NOT NULL, title TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, delegation TEXT NOT NULL, invitation_code TEXT,
  revoked INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS memberships (
  person_id TEXT NOT NULL REFERENCES people(id), scope TEXT NOT NULL, role TEXT NOT NULL,
  PRIMARY KEY (person_id, scope)
);
CREATE TABLE IF NOT EXISTS invitations (
  code TEXT PRIMARY KEY, role TEXT NOT NULL, scope TEXT NOT NULL, delegation TEXT NOT NULL, name TEXT,
  expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, created_by TEXT
);
CREATE TABLE IF NOT EXISTS signatories (
  group_id TEXT NOT NULL REFERENCES groups(id), delegation TEXT NOT NULL, person_id TEXT NOT NULL REFERENCES people(id),
  PRIMARY KEY (group_id, delegation)
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export function newId(bytes = 9): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

interface GroupRecord { id: string; name: string; archived: number }
interface MeetingRecord { id: string; group_id: string; number: number; city: string; date: string | null; time_zone: string; archived: number }
interface DocumentRecord { id: string; meeting_id: string; group_id: string; kind: string; title: string; archived: number }
interface PersonRecord { id: string; name: string; delegation: string; invitation_code: string | null; revoked: number }
interface InvitationRecord { code: string; role: string; scope: string; delegation: string; name: string | null; expires_at: number; revoked: number; created_at: number; created_by: string | null }

const toGroup = (r: GroupRecord): GroupRow => ({ id: r.id, name: r.name, archived: r.archived === 1 });
const toMeeting = (r: MeetingRecord): MeetingRow => ({
  id: r.id, groupId: r.group_id, number: r.number, city: r.city, date: r.date, timeZone: r.time_zone, archived: r.archived === 1,
});
const toDocument = (r: DocumentRecord): DocumentRow => ({
  id: r.id, meetingId: r.meeting_id, groupId: r.group_id, kind: r.kind as DocumentKind, title: r.title, archived: r.archived === 1,
});
const toPerson = (r: PersonRecord): PersonRow => ({
  id: r.id, name: r.name, delegation: r.delegation as Delegation, invitationCode: r.invitation_code, revoked: r.revoked === 1,
});
const toInvitation = (r: InvitationRecord): InvitationRow => ({
  code: r.code, role: r.role as Role, groupId: r.scope === INITIATIVE_SCOPE ? null : r.scope, delegation: r.delegation as Delegation,
  name: r.name, expiresAt: r.expires_at, revoked: r.revoked === 1, createdAt: r.created_at, createdBy: r.created_by,
});

export class WorkspaceStore {
  private readonly db: Database.Database;

  /** `location` is a DATA_DIR, or `:memory:` for a workspace that lives as long as the process. */
  constructor(location: string) {
    if (location === ':memory:') {
      this.db = new Database(':memory:');
    } else {
      fs.mkdirSync(location, { recursive: true });
      this.db = new Database(path.join(location, WORKSPACE_FILE_NAME));
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- settings (the session secret lives here unless SESSION_SECRET is set) ----

  setting(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  settingOrCreate(key: string, create: () => string): string {
    this.db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, create());
    return this.setting(key) ?? create();
  }

  // ---- the tree ----

  isEmpty(): boolean {
    return this.db.prepare('SELECT 1 FROM initiative').get() === undefined;
  }

  /** Creates the initiative, its groups and meetings, and one document of each kind per meeting. */
  seed(seed: WorkspaceSeed): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO initiative (id, name) VALUES (?, ?)').run(newId(), seed.initiative);
      seed.groups.forEach((g, i) => {
        this.db.prepare('INSERT INTO groups (id, name, position) VALUES (?, ?, ?)').run(g.id, g.name, i);
      });
      for (const m of seed.meetings) {
        const meetingId = `${m.group}-m${m.n}`;
        this.db
          .prepare('INSERT INTO meetings (id, group_id, number, city, date, time_zone) VALUES (?, ?, ?, ?, ?, ?)')
          .run(meetingId, m.group, m.n, m.city, m.date ?? null, m.timeZone);
        for (const kind of seed.documentKinds) {
          this.insertDocument(meetingId, kind, `${documentKindTitle(kind)} — meeting ${m.n}, ${m.city}`);
        }
      }
    })();
  }

  initiative(): { id: string; name: string } {
    const row = this.db.prepare('SELECT id, name FROM initiative').get() as { id: string; name: string } | undefined;
    if (!row) throw new Error('workspace has no initiative');
    return row;
  }

  groups(): GroupRow[] {
    return (this.db.prepare('SELECT id, name, archived FROM groups ORDER BY position, name').all() as GroupRecord[]).map(toGroup);
  }

  group(id: string): GroupRow | null {
    const row = this.db.prepare('SELECT id, name, archived FROM groups WHERE id = ?').get(id) as GroupRecord | undefined;
    return row ? toGroup(row) : null;
  }

  createGroup(name: string): GroupRow {
    const id = newId(6);
    const position = (this.db.prepare('SELECT COALESCE(MAX(position), 0) + 1 AS p FROM groups').get() as { p: number }).p;
    this.db.prepare('INSERT INTO groups (id, name, position) VALUES (?, ?, ?)').run(id, name, position);
    return { id, name, archived: false };
  }

  updateGroup(id: string, change: { name?: string | undefined; archived?: boolean | undefined }): void {
    if (change.name !== undefined) this.db.prepare('UPDATE groups SET name = ? WHERE id = ?').run(change.name, id);
    if (change.archived !== undefined) this.db.prepare('UPDATE groups SET archived = ? WHERE id = ?').run(change.archived ? 1 : 0, id);
  }

  meetings(): MeetingRow[] {
    return (
      this.db.prepare('SELECT id, group_id, number, city, date, time_zone, archived FROM meetings ORDER BY number').all() as MeetingRecord[]
    ).map(toMeeting);
  }

  meeting(id: string): MeetingRow | null {
    const row = this.db
      .prepare('SELECT id, group_id, number, city, date, time_zone, archived FROM meetings WHERE id = ?')
      .get(id) as MeetingRecord | undefined;
    return row ? toMeeting(row) : null;
  }

  createMeeting(groupId: string, m: { number: number; city: string; date: string | null; timeZone: string }): MeetingRow {
    const id = newId(6);
    this.db
      .prepare('INSERT INTO meetings (id, group_id, number, city, date, time_zone) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, groupId, m.number, m.city, m.date, m.timeZone);
    return { id, groupId, ...m, archived: false };
  }

  updateMeeting(
    id: string,
    change: { number?: number | undefined; city?: string | undefined; date?: string | null | undefined; timeZone?: string | undefined; archived?: boolean | undefined },
  ): void {
    const current = this.meeting(id);
    if (!current) return;
    this.db
      .prepare('UPDATE meetings SET number = ?, city = ?, date = ?, time_zone = ?, archived = ? WHERE id = ?')
      .run(
        change.number ?? current.number,
        change.city ?? current.city,
        change.date === undefined ? current.date : change.date,
        change.timeZone ?? current.timeZone,
        (change.archived ?? current.archived) ? 1 : 0,
        id,
      );
  }

  documents(): DocumentRow[] {
    return (
      this.db
        .prepare(
          'SELECT d.id, d.meeting_id, m.group_id, d.kind, d.title, d.archived FROM documents d JOIN meetings m ON m.id = d.meeting_id ORDER BY d.created_at, d.rowid',
        )
        .all() as DocumentRecord[]
    ).map(toDocument);
  }

  document(id: string): DocumentRow | null {
    const row = this.db
      .prepare(
        'SELECT d.id, d.meeting_id, m.group_id, d.kind, d.title, d.archived FROM documents d JOIN meetings m ON m.id = d.meeting_id WHERE d.id = ?',
      )
      .get(id) as DocumentRecord | undefined;
    return row ? toDocument(row) : null;
  }

  createDocument(meetingId: string, kind: DocumentKind, title: string, chosenId?: string): DocumentRow {
    const id = this.insertDocument(meetingId, kind, title, chosenId);
    const created = this.document(id);
    if (!created) throw new Error('document vanished');
    return created;
  }

  private insertDocument(meetingId: string, kind: DocumentKind, title: string, chosenId?: string): string {
    const id = chosenId ?? newId(9);
    this.db
      .prepare('INSERT INTO documents (id, meeting_id, kind, title, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, meetingId, kind, title, Date.now());
    return id;
  }

  updateDocument(id: string, change: { title?: string | undefined; archived?: boolean | undefined }): void {
    if (change.title !== undefined) this.db.prepare('UPDATE documents SET title = ? WHERE id = ?').run(change.title, id);
    if (change.archived !== undefined) this.db.prepare('UPDATE documents SET archived = ? WHERE id = ?').run(change.archived ? 1 : 0, id);
  }

  // ---- people and roles ----

  createPerson(name: string, delegation: Delegation, invitationCode: string | null): PersonRow {
    const id = newId(9);
    this.db
      .prepare('INSERT INTO people (id, name, delegation, invitation_code, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, name, delegation, invitationCode, Date.now());
    return { id, name, delegation, invitationCode, revoked: false };
  }

  person(id: string): PersonRow | null {
    const row = this.db.prepare('SELECT id, name, delegation, invitation_code, revoked FROM people WHERE id = ?').get(id) as
      | PersonRecord
      | undefined;
    return row ? toPerson(row) : null;
  }

  people(): PersonRow[] {
    return (
      this.db.prepare('SELECT id, name, delegation, invitation_code, revoked FROM people ORDER BY created_at').all() as PersonRecord[]
    ).map(toPerson);
  }

  revokePerson(id: string): void {
    this.db.prepare('UPDATE people SET revoked = 1 WHERE id = ?').run(id);
  }

  /** Gives the person `role` in a group (or initiative-wide for null), replacing any role they had there. */
  setRole(personId: string, groupId: string | null, role: Role): void {
    this.db
      .prepare('INSERT INTO memberships (person_id, scope, role) VALUES (?, ?, ?) ON CONFLICT (person_id, scope) DO UPDATE SET role = excluded.role')
      .run(personId, groupId ?? INITIATIVE_SCOPE, role);
  }

  roles(personId: string): Roles {
    const rows = this.db.prepare('SELECT scope, role FROM memberships WHERE person_id = ?').all(personId) as Array<{ scope: string; role: string }>;
    const roles: Roles = { initiative: null, groups: {} };
    for (const { scope, role } of rows) {
      if (scope === INITIATIVE_SCOPE) roles.initiative = role as Role;
      else roles.groups[scope] = role as Role;
    }
    return roles;
  }

  // ---- invitations ----

  createInvitation(input: {
    role: Role;
    groupId: string | null;
    delegation: Delegation;
    name: string | null;
    expiresAt: number;
    createdBy: string | null;
  }): InvitationRow {
    const code = newId(18);
    const createdAt = Date.now();
    this.db
      .prepare(
        'INSERT INTO invitations (code, role, scope, delegation, name, expires_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(code, input.role, input.groupId ?? INITIATIVE_SCOPE, input.delegation, input.name, input.expiresAt, createdAt, input.createdBy);
    return { code, ...input, revoked: false, createdAt };
  }

  invitation(code: string): InvitationRow | null {
    const row = this.db.prepare('SELECT * FROM invitations WHERE code = ?').get(code) as InvitationRecord | undefined;
    return row ? toInvitation(row) : null;
  }

  invitations(): InvitationRow[] {
    return (this.db.prepare('SELECT * FROM invitations ORDER BY created_at DESC').all() as InvitationRecord[]).map(toInvitation);
  }

  joinedThrough(code: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM people WHERE invitation_code = ?').get(code) as { n: number }).n;
  }

  /**
   * Revokes the link and everyone who joined through it, except `keepPersonId` (the organiser revoking
   * it, who may have joined through that very link); answers the revoked ids (their sockets must close).
   */
  revokeInvitation(code: string, keepPersonId: string | null): string[] {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE invitations SET revoked = 1 WHERE code = ?').run(code);
      const ids = (this.db.prepare('SELECT id FROM people WHERE invitation_code = ?').all(code) as Array<{ id: string }>)
        .map((r) => r.id)
        .filter((id) => id !== keepPersonId);
      const revoke = this.db.prepare('UPDATE people SET revoked = 1 WHERE id = ?');
      for (const id of ids) revoke.run(id);
      return ids;
    })();
  }

  // ---- signatories ----

  signatories(groupId: string): Partial<Record<Delegation, string>> {
    const rows = this.db.prepare('SELECT delegation, person_id FROM signatories WHERE group_id = ?').all(groupId) as Array<{
      delegation: string;
      person_id: string;
    }>;
    const result: Partial<Record<Delegation, string>> = {};
    for (const r of rows) result[r.delegation as Delegation] = r.person_id;
    return result;
  }

  setSignatory(groupId: string, delegation: Delegation, personId: string | null): void {
    if (personId === null) {
      this.db.prepare('DELETE FROM signatories WHERE group_id = ? AND delegation = ?').run(groupId, delegation);
      return;
    }
    this.db
      .prepare(
        'INSERT INTO signatories (group_id, delegation, person_id) VALUES (?, ?, ?) ON CONFLICT (group_id, delegation) DO UPDATE SET person_id = excluded.person_id',
      )
      .run(groupId, delegation, personId);
  }
}

export function documentKindTitle(kind: DocumentKind): string {
  switch (kind) {
    case 'agenda':
      return 'Agenda';
    case 'recommendations':
      return 'Recommendations';
    case 'communique':
      return 'Joint communiqué';
    case 'notes':
      return 'Notes';
  }
}
