// The version-history API under /api/documents/:id: versions (list, save, read as JSON or text,
// compare, restore), the sign-off steps (propose, sign, withdraw) and the audit trail.
//
// Access follows the roles: every member of the document's group may list, read and compare; saving
// and restoring need edit rights (observers get 403); proposing needs a rapporteur or organiser;
// signing and withdrawing need the group's signatory for that delegation (the state machine in
// shared/versions.ts decides, with its own 403/409 codes). Mounted under /api after the workspace
// routes, whose session middleware authenticates and rate-limits every /api request and sets
// `viewer`; a request without one is refused here too, so mounting this elsewhere fails closed.
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { LIVE_VERSION_ID, MAX_VERSION_NAME_LENGTH, type SaveVersionAnswer } from '../../shared/versions.js';
import { SIGNING_DELEGATIONS } from '../../shared/workspace.js';
import { documentAccess, roleInGroup, type Viewer } from '../auth/access.js';
import { HttpError } from '../errors.js';
import type { DocumentRow, WorkspaceStore } from '../workspace/workspace-store.js';
import type { Actor, VersionService } from './version-service.js';

type Env = { Variables: { viewer: Viewer } };

export interface VersionRouteOptions {
  workspace: WorkspaceStore;
  versions: VersionService;
}

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

const saveInput = z.object({ name: z.string().trim().min(1).max(MAX_VERSION_NAME_LENGTH) });
const signInput = z
  .object({
    delegation: z.enum(SIGNING_DELEGATIONS).optional(),
    /** The hash the signer was shown; refused (409 hash_mismatch) if it is not the version's. */
    contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256').optional(),
  })
  .default({});
const withdrawInput = z.object({ delegation: z.enum(SIGNING_DELEGATIONS).optional() }).default({});

interface DocumentContext {
  document: DocumentRow;
  actor: Actor;
  canWrite: boolean;
}

export function createVersionRoutes({ workspace, versions }: VersionRouteOptions): Hono<Env> {
  const api = new Hono<Env>();

  /** The document, who is asking, and whether they may write; 401/404/403 otherwise. */
  const context = (c: Context<Env>): DocumentContext => {
    const viewer = c.get('viewer') as Viewer | undefined;
    if (!viewer) throw new HttpError(401, 'unauthenticated', 'sign in through an invitation link first');
    const document = workspace.document(c.req.param('id') ?? '');
    if (!document) throw new HttpError(404, 'not_found', 'no such document');
    const access = documentAccess(viewer, document.groupId);
    const role = roleInGroup(viewer, document.groupId);
    if (!access || !role) throw new HttpError(403, 'forbidden', 'you have no access to this document');
    const { person } = viewer;
    return {
      document,
      actor: { person: { id: person.id, name: person.name, delegation: person.delegation }, role },
      canWrite: access === 'write',
    };
  };
  const writerContext = (c: Context<Env>, what: string): DocumentContext => {
    const ctx = context(c);
    if (!ctx.canWrite) throw new HttpError(403, 'forbidden', `observers cannot ${what}`);
    return ctx;
  };

  // ---- versions ----

  api.get('/documents/:id/versions', async (c) => {
    const { document, actor } = context(c);
    return c.json(await versions.list(document, actor));
  });

  api.post('/documents/:id/versions', zValidator('json', saveInput, validationHook), async (c) => {
    const { document, actor } = writerContext(c, 'save versions');
    const version = await versions.saveNamed(document.id, c.req.valid('json').name, actor.person);
    const answer: SaveVersionAnswer = { id: version.id, version };
    return c.json(answer, 201);
  });

  api.get('/documents/:id/versions/:versionId', async (c) => {
    const { document } = context(c);
    const versionId = c.req.param('versionId');
    if (versionId === LIVE_VERSION_ID) return c.json(await versions.live(document.id));
    return c.json(versions.version(document.id, versionId));
  });

  api.get('/documents/:id/versions/:versionId/text', async (c) => {
    const { document } = context(c);
    const versionId = c.req.param('versionId');
    const text = versionId === LIVE_VERSION_ID ? (await versions.live(document.id)).text : versions.version(document.id, versionId).text;
    return c.text(text, 200, { 'content-type': 'text/plain; charset=utf-8' });
  });

  /** `?to=<versionId|live>` (default live): what changed from this version to that one. */
  api.get('/documents/:id/versions/:versionId/diff', async (c) => {
    const { document } = context(c);
    const to = c.req.query('to') ?? LIVE_VERSION_ID;
    return c.json(await versions.compare(document.id, c.req.param('versionId'), to));
  });

  api.post('/documents/:id/versions/:versionId/restore', async (c) => {
    const { document, actor } = writerContext(c, 'restore versions');
    return c.json(await versions.restore(document.id, c.req.param('versionId'), actor.person));
  });

  // ---- sign-off ----

  api.get('/documents/:id/sign-off', (c) => {
    const { document, actor } = context(c);
    return c.json(versions.signOff(document, actor));
  });

  api.post('/documents/:id/versions/:versionId/propose', (c) => {
    const { document, actor } = writerContext(c, 'propose versions');
    return c.json(versions.signOffStep(document, c.req.param('versionId'), actor, { type: 'propose' }));
  });

  api.post('/documents/:id/versions/:versionId/sign', zValidator('json', signInput, validationHook), (c) => {
    const { document, actor } = writerContext(c, 'sign versions');
    const { delegation, contentHash } = c.req.valid('json');
    return c.json(versions.signOffStep(document, c.req.param('versionId'), actor, { type: 'sign', delegation, confirmHash: contentHash }));
  });

  api.post('/documents/:id/versions/:versionId/withdraw', zValidator('json', withdrawInput, validationHook), (c) => {
    const { document, actor } = writerContext(c, 'withdraw signatures');
    const { delegation } = c.req.valid('json');
    return c.json(versions.signOffStep(document, c.req.param('versionId'), actor, { type: 'withdraw', delegation }));
  });

  // ---- audit ----

  api.get('/documents/:id/audit', (c) => {
    const { document } = context(c);
    return c.json({ documentId: document.id, events: versions.audit(document.id) });
  });

  return api;
}
