// Opens the workspace and, on a first start (no initiative yet), creates the bundled dialogue and an
// organiser invitation. Shared by the server's start and by `npm run invite`.
import type { Role, Delegation } from '../../shared/workspace.js';
import { SessionTokens } from '../auth/sessions.js';
import seed from './seed.json' with { type: 'json' };
import { WorkspaceStore, type InvitationRow, type WorkspaceSeed } from './workspace-store.js';

const FIRST_ORGANISER_LINK_DAYS = 30;
const SESSION_SECRET_SETTING = 'session_secret';

export interface PreparedWorkspace {
  workspace: WorkspaceStore;
  sessionSecret: string;
  /** Created on a first start: the link that makes its opener the initiative's organiser. */
  firstOrganiserInvitation: InvitationRow | null;
}

export function prepareWorkspace(location: string, sessionSecret: string | null): PreparedWorkspace {
  const workspace = new WorkspaceStore(location);
  let firstOrganiserInvitation: InvitationRow | null = null;
  if (workspace.isEmpty()) {
    workspace.seed(seed as WorkspaceSeed);
    firstOrganiserInvitation = createInvitation(workspace, {
      role: 'organiser',
      groupId: null,
      delegation: 'org',
      name: null,
      expiresInMs: FIRST_ORGANISER_LINK_DAYS * 86_400_000,
    });
  }
  // A secret kept in the database survives restarts, so sessions do too; SESSION_SECRET overrides it.
  const secret = sessionSecret ?? workspace.settingOrCreate(SESSION_SECRET_SETTING, () => SessionTokens.newSecret());
  return { workspace, sessionSecret: secret, firstOrganiserInvitation };
}

export function createInvitation(
  workspace: WorkspaceStore,
  input: { role: Role; groupId: string | null; delegation: Delegation; name: string | null; expiresInMs: number },
): InvitationRow {
  return workspace.createInvitation({
    role: input.role,
    groupId: input.groupId,
    delegation: input.delegation,
    name: input.name,
    expiresAt: Date.now() + input.expiresInMs,
    createdBy: null,
  });
}

export function invitationUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/$/, '')}/join/${code}`;
}
