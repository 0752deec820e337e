// Who may do what: a person's role in a group is their role for that group, else their
// initiative-wide role. Reading needs any role; editing any role but observer; managing, organiser.
import { canEdit, canManage, type Role } from '../../shared/workspace.js';
import { HttpError } from '../errors.js';
import type { PersonRow, Roles } from '../workspace/workspace-store.js';

export interface Viewer {
  person: PersonRow;
  roles: Roles;
}

export function roleInGroup(viewer: Viewer, groupId: string): Role | null {
  return viewer.roles.groups[groupId] ?? viewer.roles.initiative;
}

export type DocumentAccess = 'write' | 'read' | null;

export function documentAccess(viewer: Viewer, groupId: string): DocumentAccess {
  const role = roleInGroup(viewer, groupId);
  if (!role) return null;
  return canEdit(role) ? 'write' : 'read';
}

export function isInitiativeOrganiser(viewer: Viewer): boolean {
  return viewer.roles.initiative === 'organiser';
}

export function requireGroupRole(viewer: Viewer, groupId: string): Role {
  const role = roleInGroup(viewer, groupId);
  if (!role) throw new HttpError(403, 'forbidden', 'you are not a member of this group');
  return role;
}

/** Organisers of the group (or of the whole initiative) manage it. */
export function requireGroupOrganiser(viewer: Viewer, groupId: string): void {
  const role = requireGroupRole(viewer, groupId);
  if (!canManage(role)) throw new HttpError(403, 'forbidden', 'only organisers can do this');
}

export function requireInitiativeOrganiser(viewer: Viewer): void {
  if (!isInitiativeOrganiser(viewer)) throw new HttpError(403, 'forbidden', 'only organisers of the initiative can do this');
}
