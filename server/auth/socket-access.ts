// Ties sessions and the workspace to the collaboration sockets: who may open a document's socket (and
// whether they may write), who is in each document now, and closing the sockets of revoked people.
import type { Context } from 'hono';
import { CloseCodes } from '../../shared/protocol.js';
import { colourFor, type PersonView } from '../../shared/workspace.js';
import type { SocketAccess } from '../collaboration/collaboration-route.js';
import type { Connection } from '../collaboration/connection.js';
import { HttpError } from '../errors.js';
import { authenticate } from '../workspace/workspace-routes.js';
import type { WorkspaceStore } from '../workspace/workspace-store.js';
import { documentAccess, roleInGroup } from './access.js';
import type { SessionTokens } from './sessions.js';

export function createSocketAuthorizer(workspace: WorkspaceStore, sessions: SessionTokens) {
  return async (c: Context, documentId: string): Promise<SocketAccess> => {
    const viewer = await authenticate(c, workspace, sessions, true);
    if (!viewer) throw new HttpError(401, 'unauthenticated', 'a session is required (cookie, bearer token or ?token=)');
    const document = workspace.document(documentId);
    if (!document) throw new HttpError(404, 'not_found', 'no such document');
    const access = documentAccess(viewer, document.groupId);
    if (!access) throw new HttpError(403, 'forbidden', 'you have no access to this document');
    const { person } = viewer;
    // Archived documents (or those of an archived meeting or group) are kept as they are: read-only.
    const archived =
      document.archived || workspace.meeting(document.meetingId)?.archived === true || workspace.group(document.groupId)?.archived === true;
    return {
      canWrite: access === 'write' && !archived,
      identity: {
        personId: person.id,
        name: person.name,
        delegation: person.delegation,
        color: colourFor(person.delegation, person.id),
        role: roleInGroup(viewer, document.groupId) ?? 'observer',
      },
    };
  };
}

/** The people with a document open right now, once each. */
export function peopleOnline(connections: ReadonlySet<Connection>, documentId: string): PersonView[] {
  const seen = new Map<string, PersonView>();
  for (const connection of connections) {
    const identity = connection.identity;
    if (connection.documentId !== documentId || !identity || !connection.isOpen) continue;
    seen.set(identity.personId, { id: identity.personId, name: identity.name, delegation: identity.delegation as PersonView['delegation'] });
  }
  return Array.from(seen.values());
}

/** Closes every open socket of these people at once (revoked, or their rights changed). */
export function disconnectPeople(connections: ReadonlySet<Connection>, personIds: readonly string[]): void {
  if (personIds.length === 0) return;
  const ids = new Set(personIds);
  for (const connection of connections) {
    if (connection.identity && ids.has(connection.identity.personId)) connection.close(CloseCodes.accessRevoked);
  }
}

/** Closes every socket on these documents (4403); clients re-check their access and reconnect. */
export function reconnectDocuments(connections: ReadonlySet<Connection>, documentIds: readonly string[]): void {
  if (documentIds.length === 0) return;
  const ids = new Set(documentIds);
  for (const connection of connections) {
    if (ids.has(connection.documentId)) connection.close(CloseCodes.accessRevoked);
  }
}
