// The JSON API under /api for the lobby and for scripts: sessions, the initiative tree, groups,
// meetings, documents, invitations, members and signatories. Every route but POST /api/session needs
// a session; inputs are checked with zod; failures go through the one error funnel.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';
import {
  DELEGATIONS,
  DOCUMENT_KINDS,
  ROLES,
  SIGNING_DELEGATIONS,
  type DocumentView,
  type GroupView,
  type InitiativeView,
  type InvitationView,
  type MeView,
  type MemberView,
  type PersonView,
} from '../../shared/workspace.js';
import { DOCUMENT_ID_PATTERN } from '../../shared/protocol.js';
import { HttpError } from '../errors.js';
import {
  documentAccess,
  isInitiativeOrganiser,
  requireGroupOrganiser,
  requireGroupRole,
  requireInitiativeOrganiser,
  roleInGroup,
  type Viewer,
} from '../auth/access.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import { clearSessionCookie, setSessionCookie, tokenOf, type SessionTokens } from '../auth/sessions.js';
import { invitationUrl } from './prepare-workspace.js';
import type { InvitationRow, PersonRow, WorkspaceStore } from './workspace-store.js';

export interface WorkspaceRouteOptions {
  workspace: WorkspaceStore;
  sessions: SessionTokens;
  rateLimiter: RateLimiter;
  /** Who has each document open right now. */
  onlineIn(documentId: string): PersonView[];
  /** Closes the open sockets of these people (revoked, or their role changed). */
  disconnect(personIds: readonly string[]): void;
  /** Closes every socket on these documents so clients reconnect under the new rules (archived: read-only). */
  reconnectDocuments(documentIds: readonly string[]): void;
  /** The address people open (PUBLIC_URL, else http://HOST:PORT); known once the server listens. */
  publicUrl: () => string;
}

type Env = { Variables: { viewer: Viewer } };

const MAX_INVITATION_HOURS = 24 * 365;

/** Turns a zod failure into our 400 with the first problem named. */
const validationHook = (result: {
  success: boolean;
  error?: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> };
}): void => {
  if (!result.success && result.error) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
    throw new HttpError(400, 'invalid_input', `${where}${issue?.message ?? 'invalid input'}`);
  }
};

const name = z.string().trim().min(1).max(120);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown time zone');

export const sessionInput = z.object({ invitation: z.string().min(1).max(200), name: name.optional() });
const groupInput = z.object({ name });
const groupChange = z.object({ name: name.optional(), archived: z.boolean().optional() });
const meetingInput = z.object({ number: z.number().int().min(1).max(999), city: name, date: isoDate.nullable().default(null), timeZone });
const meetingChange = z.object({
  number: z.number().int().min(1).max(999).optional(),
  city: name.optional(),
  date: isoDate.nullable().optional(),
  timeZone: timeZone.optional(),
  archived: z.boolean().optional(),
});
/** `id` lets scripts choose a readable document id (e.g. `communique-m7`); by default one is generated. */
const documentInput = z.object({
  kind: z.enum(DOCUMENT_KINDS),
  title: name,
  id: z.string().regex(DOCUMENT_ID_PATTERN, 'document ids are 1-64 characters of A-Z, a-z, 0-9, _ and -').optional(),
});
const documentChange = z.object({ title: name.optional(), archived: z.boolean().optional() });
const invitationInput = z.object({
  role: z.enum(ROLES),
  groupId: z.string().min(1).max(64).nullable().default(null),
  delegation: z.enum(DELEGATIONS),
  name: name.nullable().default(null),
  expiresInHours: z.number().positive().max(MAX_INVITATION_HOURS).default(24 * 14),
});
const signatoryInput = z.object({ delegation: z.enum(SIGNING_DELEGATIONS), personId: z.string().min(1).max(64).nullable() });

export function personView(person: PersonRow): PersonView {
  return { id: person.id, name: person.name, delegation: person.delegation };
}

export function createWorkspaceRoutes(options: WorkspaceRouteOptions): Hono<Env> {
  const { workspace, sessions, rateLimiter } = options;
  const api = new Hono<Env>();

  const invitationView = (row: InvitationRow): InvitationView => ({
    code: row.code,
    url: invitationUrl(options.publicUrl(), row.code),
    role: row.role,
    groupId: row.groupId,
    delegation: row.delegation,
    name: row.name,
    expiresAt: new Date(row.expiresAt).toISOString(),
    revoked: row.revoked,
    createdAt: new Date(row.createdAt).toISOString(),
    joined: workspace.joinedThrough(row.code),
  });

  const requireSession: MiddlewareHandler<Env> = async (c, next) => {
    const viewer = await authenticate(c, workspace, sessions, false);
    if (!viewer) throw new HttpError(401, 'unauthenticated', 'sign in through an invitation link first');
    if (!rateLimiter.take(`person:${viewer.person.id}`)) {
      throw new HttpError(429, 'rate_limited', 'too many requests; slow down');
    }
    c.set('viewer', viewer);
    await next();
  };

  // ---- sessions ----

  api.post('/session', zValidator('json', sessionInput, validationHook), async (c) => {
    const input = c.req.valid('json');
    if (!rateLimiter.take(`invitation:${input.invitation}`)) throw new HttpError(429, 'rate_limited', 'too many attempts');
    const invitation = workspace.invitation(input.invitation);
    if (!invitation || invitation.revoked) throw new HttpError(403, 'invitation_invalid', 'this invitation link is not valid');
    if (invitation.expiresAt < Date.now()) throw new HttpError(403, 'invitation_expired', 'this invitation link has expired');
    if (invitation.groupId && !workspace.group(invitation.groupId)) throw new HttpError(403, 'invitation_invalid', 'the group no longer exists');
    const displayName = input.name ?? invitation.name;
    if (!displayName) throw new HttpError(400, 'invalid_input', 'name: a display name is required');
    // Someone already signed in who opens another link gains that role too, under the same identity.
    const existing = await authenticate(c, workspace, sessions, false);
    const person = existing?.person ?? workspace.createPerson(displayName, invitation.delegation, invitation.code);
    workspace.setRole(person.id, invitation.groupId, invitation.role);
    // Their open sockets carry the rights they had; reconnecting picks up the new role.
    if (existing) options.disconnect([person.id]);
    const token = await sessions.issue(person.id);
    setSessionCookie(c, token, options.publicUrl().startsWith('https:'));
    return c.json({ token, person: personView(person) }, 201);
  });

  api.delete('/session', (c) => {
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  api.use('*', requireSession);

  api.get('/me', (c) => {
    const { person, roles } = c.get('viewer');
    const me: MeView = { ...personView(person), initiativeRole: roles.initiative, groupRoles: roles.groups };
    return c.json(me);
  });

  // ---- the tree ----

  api.get('/initiative', (c) => {
    const viewer = c.get('viewer');
    const initiative = workspace.initiative();
    const meetings = workspace.meetings();
    const documents = workspace.documents();
    const organiser = isInitiativeOrganiser(viewer);
    const groups: GroupView[] = [];
    for (const group of workspace.groups()) {
      const role = roleInGroup(viewer, group.id);
      if (!role) continue;
      if (group.archived && !organiser) continue;
      const signatories: GroupView['signatories'] = {};
      for (const [delegation, personId] of Object.entries(workspace.signatories(group.id))) {
        const person = workspace.person(personId);
        if (person) signatories[delegation as keyof GroupView['signatories']] = personView(person);
      }
      groups.push({
        id: group.id,
        name: group.name,
        archived: group.archived,
        role,
        signatories,
        meetings: meetings
          .filter((m) => m.groupId === group.id && (organiser || !m.archived))
          .map((m) => ({
            id: m.id,
            number: m.number,
            city: m.city,
            date: m.date,
            timeZone: m.timeZone,
            archived: m.archived,
            documents: documents
              .filter((d) => d.meetingId === m.id && (organiser || !d.archived))
              .map((d): DocumentView => ({ id: d.id, kind: d.kind, title: d.title, archived: d.archived, online: options.onlineIn(d.id) })),
          })),
      });
    }
    const view: InitiativeView = { id: initiative.id, name: initiative.name, role: viewer.roles.initiative, groups };
    return c.json(view);
  });

  api.get('/documents/:id', (c) => {
    const viewer = c.get('viewer');
    const document = workspace.document(c.req.param('id'));
    if (!document) throw new HttpError(404, 'not_found', 'no such document');
    const access = documentAccess(viewer, document.groupId);
    if (!access) throw new HttpError(403, 'forbidden', 'you have no access to this document');
    const meeting = workspace.meeting(document.meetingId);
    const group = workspace.group(document.groupId);
    const archived = document.archived || meeting?.archived === true || group?.archived === true;
    return c.json({
      ...document,
      access: archived ? 'read' : access,
      meeting: meeting && { id: meeting.id, number: meeting.number, city: meeting.city, date: meeting.date, timeZone: meeting.timeZone },
      group: group && { id: group.id, name: group.name },
      online: options.onlineIn(document.id),
    });
  });

  // ---- groups, meetings, documents ----

  api.post('/groups', zValidator('json', groupInput, validationHook), (c) => {
    requireInitiativeOrganiser(c.get('viewer'));
    return c.json(workspace.createGroup(c.req.valid('json').name), 201);
  });

  api.patch('/groups/:id', zValidator('json', groupChange, validationHook), (c) => {
    const id = c.req.param('id');
    if (!workspace.group(id)) throw new HttpError(404, 'not_found', 'no such group');
    requireGroupOrganiser(c.get('viewer'), id);
    const change = c.req.valid('json');
    workspace.updateGroup(id, change);
    if (change.archived !== undefined) options.reconnectDocuments(workspace.documents().filter((d) => d.groupId === id).map((d) => d.id));
    return c.json(workspace.group(id));
  });

  api.post('/groups/:id/meetings', zValidator('json', meetingInput, validationHook), (c) => {
    const groupId = c.req.param('id');
    if (!workspace.group(groupId)) throw new HttpError(404, 'not_found', 'no such group');
    requireGroupOrganiser(c.get('viewer'), groupId);
    return c.json(workspace.createMeeting(groupId, c.req.valid('json')), 201);
  });

  api.patch('/meetings/:id', zValidator('json', meetingChange, validationHook), (c) => {
    const meeting = workspace.meeting(c.req.param('id'));
    if (!meeting) throw new HttpError(404, 'not_found', 'no such meeting');
    requireGroupOrganiser(c.get('viewer'), meeting.groupId);
    const change = c.req.valid('json');
    workspace.updateMeeting(meeting.id, change);
    if (change.archived !== undefined) {
      options.reconnectDocuments(workspace.documents().filter((d) => d.meetingId === meeting.id).map((d) => d.id));
    }
    return c.json(workspace.meeting(meeting.id));
  });

  api.post('/meetings/:id/documents', zValidator('json', documentInput, validationHook), (c) => {
    const meeting = workspace.meeting(c.req.param('id'));
    if (!meeting) throw new HttpError(404, 'not_found', 'no such meeting');
    requireGroupOrganiser(c.get('viewer'), meeting.groupId);
    const { kind, title, id } = c.req.valid('json');
    if (id !== undefined && workspace.document(id)) throw new HttpError(409, 'conflict', 'a document with this id exists');
    return c.json(workspace.createDocument(meeting.id, kind, title, id), 201);
  });

  api.patch('/documents/:id', zValidator('json', documentChange, validationHook), (c) => {
    const document = workspace.document(c.req.param('id'));
    if (!document) throw new HttpError(404, 'not_found', 'no such document');
    requireGroupOrganiser(c.get('viewer'), document.groupId);
    const change = c.req.valid('json');
    workspace.updateDocument(document.id, change);
    if (change.archived !== undefined) options.reconnectDocuments([document.id]);
    return c.json(workspace.document(document.id));
  });

  // ---- invitations ----

  api.get('/invitations', (c) => {
    const viewer = c.get('viewer');
    const visible = workspace
      .invitations()
      .filter((i) => isInitiativeOrganiser(viewer) || (i.groupId !== null && roleInGroup(viewer, i.groupId) === 'organiser'));
    if (visible.length === 0 && !hasAnyOrganiserRole(viewer)) throw new HttpError(403, 'forbidden', 'only organisers can see invitations');
    return c.json(visible.map(invitationView));
  });

  api.post('/invitations', zValidator('json', invitationInput, validationHook), (c) => {
    const viewer = c.get('viewer');
    const input = c.req.valid('json');
    if (input.groupId === null) requireInitiativeOrganiser(viewer);
    else {
      if (!workspace.group(input.groupId)) throw new HttpError(404, 'not_found', 'no such group');
      requireGroupOrganiser(viewer, input.groupId);
    }
    const row = workspace.createInvitation({
      role: input.role,
      groupId: input.groupId,
      delegation: input.delegation,
      name: input.name,
      expiresAt: Date.now() + input.expiresInHours * 3_600_000,
      createdBy: viewer.person.id,
    });
    return c.json(invitationView(row), 201);
  });

  api.delete('/invitations/:code', (c) => {
    const viewer = c.get('viewer');
    const invitation = workspace.invitation(c.req.param('code'));
    if (!invitation) throw new HttpError(404, 'not_found', 'no such invitation');
    if (invitation.groupId === null) requireInitiativeOrganiser(viewer);
    else requireGroupOrganiser(viewer, invitation.groupId);
    const affected = workspace.revokeInvitation(invitation.code, viewer.person.id);
    options.disconnect(affected);
    return c.json({ revoked: true, disconnected: affected.length });
  });

  // ---- members and signatories ----

  api.get('/members', (c) => {
    const viewer = c.get('viewer');
    if (!hasAnyOrganiserRole(viewer)) throw new HttpError(403, 'forbidden', 'only organisers can list members');
    const members: MemberView[] = workspace.people().map((p) => {
      const roles = workspace.roles(p.id);
      return { ...personView(p), initiativeRole: roles.initiative, groupRoles: roles.groups, revoked: p.revoked };
    });
    return c.json(members);
  });

  api.delete('/members/:id', (c) => {
    const viewer = c.get('viewer');
    requireInitiativeOrganiser(viewer);
    const person = workspace.person(c.req.param('id'));
    if (!person) throw new HttpError(404, 'not_found', 'no such person');
    if (person.id === viewer.person.id) throw new HttpError(409, 'conflict', 'you cannot revoke yourself');
    workspace.revokePerson(person.id);
    options.disconnect([person.id]);
    return c.json({ revoked: true });
  });

  api.put('/groups/:id/signatories', zValidator('json', signatoryInput, validationHook), (c) => {
    const groupId = c.req.param('id');
    if (!workspace.group(groupId)) throw new HttpError(404, 'not_found', 'no such group');
    requireGroupOrganiser(c.get('viewer'), groupId);
    const { delegation, personId } = c.req.valid('json');
    if (personId !== null) {
      const person = workspace.person(personId);
      if (!person || person.revoked) throw new HttpError(404, 'not_found', 'no such person');
      if (person.delegation !== delegation) throw new HttpError(409, 'conflict', 'a signatory must belong to the delegation they sign for');
      const role = workspace.roles(person.id).groups[groupId] ?? workspace.roles(person.id).initiative;
      if (!role || role === 'observer') throw new HttpError(409, 'conflict', 'a signatory must be a member of the group who can edit');
    }
    workspace.setSignatory(groupId, delegation, personId);
    return c.json({ groupId, delegation, personId });
  });

  return api;
}

function hasAnyOrganiserRole(viewer: Viewer): boolean {
  return viewer.roles.initiative === 'organiser' || Object.values(viewer.roles.groups).includes('organiser');
}

/** The signed-in, unrevoked person behind the request, or null. */
export async function authenticate(
  c: Context,
  workspace: WorkspaceStore,
  sessions: SessionTokens,
  allowQueryToken: boolean,
): Promise<Viewer | null> {
  const token = tokenOf(c, allowQueryToken);
  if (!token) return null;
  const personId = await sessions.personIdOf(token);
  if (!personId) return null;
  const person = workspace.person(personId);
  if (!person || person.revoked) return null;
  return { person, roles: workspace.roles(person.id) };
}

export { requireGroupRole };
