// Sessions and documents for integration tests. Concord refuses every socket without a session and
// every document the workspace does not know, so test helpers sign in as the first-start organiser
// (through the real invitation link and POST /api/session) and create each document a test names,
// with that name as its id, through the real API, before connecting.
import { COLLAB_PATH } from '../../shared/protocol.js';
import { TOKEN_QUERY_PARAMETER } from '../../shared/workspace.js';

/** The meeting test documents are created in (the seed's first meeting of the security group). */
export const TEST_MEETING_ID = 'security-m1';

interface Access {
  /** Lazily signs in: a server started on a DATA_DIR seeded elsewhere has no organiser link to use. */
  token: Promise<string>;
  documents: Map<string, Promise<void>>;
}

/** Keyed by DATA_DIR: a restarted server on the same directory keeps its people, documents and secret. */
const byDataDir = new Map<string, Access>();
const dataDirOf = new Map<string, string>();

/** Called by the server helpers when a server starts: `invitationUrl` is set on a first start only. */
export function registerServer(serverUrl: string, dataDir: string, invitationUrl: string | null): void {
  dataDirOf.set(serverUrl, dataDir);
  if (byDataDir.has(dataDir)) return;
  const code = invitationUrl?.split('/join/')[1];
  const token = code
    ? signIn(serverUrl, code, 'Test organiser')
    : Promise.reject(new Error(`no organiser invitation for ${dataDir} (its dialogue was created elsewhere)`));
  token.catch(() => {}); // reported to whoever awaits it, not as an unhandled rejection
  byDataDir.set(dataDir, { token, documents: new Map() });
}

export async function signIn(serverUrl: string, invitation: string, name: string): Promise<string> {
  const response = await fetch(`${serverUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ invitation, name }),
  });
  if (response.status !== 201) throw new Error(`sign-in failed: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

function accessFor(serverUrl: string): Access {
  const dataDir = dataDirOf.get(serverUrl);
  const access = dataDir === undefined ? undefined : byDataDir.get(dataDir);
  if (!access) throw new Error(`no test server registered at ${serverUrl}`);
  return access;
}

/** The organiser's session token for this server. */
export function organiserToken(serverUrl: string): Promise<string> {
  return accessFor(serverUrl).token;
}

/** Creates the document `docId` once (idempotent per DATA_DIR). */
export function ensureDocument(serverUrl: string, docId: string): Promise<void> {
  const access = accessFor(serverUrl);
  let created = access.documents.get(docId);
  if (!created) {
    created = (async () => {
      const response = await fetch(`${serverUrl}/api/meetings/${TEST_MEETING_ID}/documents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await access.token}` },
        body: JSON.stringify({ kind: 'notes', title: `Test document ${docId}`, id: docId }),
      });
      if (response.status !== 201 && response.status !== 409) {
        throw new Error(`creating document ${docId} failed: HTTP ${response.status} ${await response.text()}`);
      }
    })();
    access.documents.set(docId, created);
  }
  return created;
}

/** `ws://host:port/collab/<docId>?token=…` for the organiser, after making sure the document exists. */
export async function authorizedCollabUrl(serverUrl: string, docId: string): Promise<string> {
  await ensureDocument(serverUrl, docId);
  const token = await organiserToken(serverUrl);
  return `${serverUrl.replace(/^http/, 'ws')}${COLLAB_PATH}/${docId}?${TOKEN_QUERY_PARAMETER}=${encodeURIComponent(token)}`;
}
