// Server-enforced access (issue 3): every role against every route and the websocket, observers
// who cannot write, revocation that closes live sockets, group isolation, stamped presence.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { onTestFinished } from 'vitest';
import { COLLAB_PATH, CloseCodes } from '../../shared/protocol.js';
import type { Role, Delegation } from '../../shared/workspace.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { organiserToken, signIn } from '../helpers/test-access.js';
import { waitFor } from '../helpers/wait-for.js';

interface Person {
  token: string;
  id: string;
}

async function api(server: TestServer, token: string | null, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function invite(server: TestServer, role: Role, groupId: string | null, delegation: Delegation, name: string): Promise<Person & { code: string }> {
  const organiser = await organiserToken(server.url);
  const created = await api(server, organiser, 'POST', '/invitations', { role, groupId, delegation });
  expect(created.status).toBe(201);
  const code = created.body?.['code'] as string;
  const token = await signIn(server.url, code, name);
  const me = await api(server, token, 'GET', '/me');
  return { token, id: me.body?.['id'] as string, code };
}

/** Opens a socket; resolves with the HTTP status (101 when upgraded) and the open socket if any. */
function openSocket(
  server: TestServer,
  docId: string,
  token: string | null,
): Promise<{ status: number; ws: WebSocket | null; received: Buffer[] }> {
  const url = `${server.url.replace(/^http/, 'ws')}${COLLAB_PATH}/${docId}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    // Collected from the start: the server's first frames can arrive in the same tick as 'open'.
    const received: Buffer[] = [];
    ws.on('message', (data: Buffer) => received.push(data));
    ws.on('error', () => {});
    ws.once('open', () => {
      onTestFinished(() => ws.terminate());
      resolve({ status: 101, ws, received });
    });
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, ws: null, received }));
  });
}

function provider(server: TestServer, docId: string, token: string, doc = new Y.Doc()) {
  const p = new WebsocketProvider(server.url.replace(/^http/, 'ws') + COLLAB_PATH, docId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token },
    maxBackoffTime: 300,
  });
  onTestFinished(() => {
    p.destroy();
    doc.destroy();
  });
  return { doc, provider: p };
}

async function firstDocumentOf(server: TestServer, groupId: string): Promise<string> {
  const tree = await api(server, await organiserToken(server.url), 'GET', '/initiative');
  const groups = tree.body?.['groups'] as Array<{ id: string; meetings: Array<{ documents: Array<{ id: string }> }> }>;
  const id = groups.find((g) => g.id === groupId)?.meetings[0]?.documents[0]?.id;
  if (!id) throw new Error(`no document in ${groupId}`);
  return id;
}

describe('access control', () => {
  it('applies the access matrix to every role, route and the websocket', async () => {
    const server = await startTestServer();
    const organiser = { token: await organiserToken(server.url) };
    const rapporteur = await invite(server, 'rapporteur', 'security', 'pk', 'Rapporteur');
    const delegate = await invite(server, 'delegate', 'security', 'af', 'Delegate');
    const observer = await invite(server, 'observer', 'security', 'af', 'Observer');
    const outsider = await invite(server, 'delegate', 'civil-society', 'pk', 'Outsider');
    const securityDoc = await firstDocumentOf(server, 'security');

    const people: Array<[string, string | null]> = [
      ['organiser', organiser.token],
      ['rapporteur', rapporteur.token],
      ['delegate', delegate.token],
      ['observer', observer.token],
      ['outsider', outsider.token],
      ['anonymous', null],
    ];
    type Expect = Record<string, number>;
    const orgOnly = (ok: number): Expect => ({ organiser: ok, rapporteur: 403, delegate: 403, observer: 403, outsider: 403, anonymous: 401 });
    const members = (ok: number): Expect => ({ organiser: ok, rapporteur: ok, delegate: ok, observer: ok, outsider: 403, anonymous: 401 });
    const routes: Array<[string, string, () => unknown, Expect]> = [
      ['GET', '/initiative', () => undefined, { organiser: 200, rapporteur: 200, delegate: 200, observer: 200, outsider: 200, anonymous: 401 }],
      ['GET', '/me', () => undefined, { organiser: 200, rapporteur: 200, delegate: 200, observer: 200, outsider: 200, anonymous: 401 }],
      ['GET', `/documents/${securityDoc}`, () => undefined, members(200)],
      ['POST', '/groups', () => ({ name: 'Economy' }), orgOnly(201)],
      ['PATCH', '/groups/security', () => ({ name: 'Regional Security Group' }), orgOnly(200)],
      ['POST', '/groups/security/meetings', () => ({ number: 9, city: 'Kabul', date: '2027-01-10', timeZone: 'Asia/Kabul' }), orgOnly(201)],
      ['PATCH', '/meetings/security-m1', () => ({ date: '2027-02-01' }), orgOnly(200)],
      ['POST', '/meetings/security-m1/documents', () => ({ kind: 'notes', title: 'Side notes' }), orgOnly(201)],
      ['PATCH', `/documents/${securityDoc}`, () => ({ title: 'Agenda — meeting 1' }), orgOnly(200)],
      ['GET', '/invitations', () => undefined, orgOnly(200)],
      ['POST', '/invitations', () => ({ role: 'delegate', groupId: 'security', delegation: 'pk' }), orgOnly(201)],
      ['GET', '/members', () => undefined, orgOnly(200)],
      ['PUT', '/groups/security/signatories', () => ({ delegation: 'pk', personId: rapporteur.id }), orgOnly(200)],
    ];
    const mismatches: string[] = [];
    for (const [method, path, body, expected] of routes) {
      for (const [who, token] of people) {
        const { status } = await api(server, token, method, path, body());
        if (status !== expected[who]) mismatches.push(`${who} ${method} ${path}: ${status}, expected ${expected[who]}`);
      }
    }
    const socketExpect: Record<string, number> = { organiser: 101, rapporteur: 101, delegate: 101, observer: 101, outsider: 403, anonymous: 401 };
    for (const [who, token] of people) {
      const { status } = await openSocket(server, securityDoc, token);
      if (status !== socketExpect[who]) mismatches.push(`${who} websocket: ${status}, expected ${socketExpect[who]}`);
    }
    expect((await openSocket(server, 'no-such-document', organiser.token)).status).toBe(404);
    expect(mismatches).toEqual([]);
    // Errors have the documented shape.
    expect((await api(server, outsider.token, 'POST', '/groups', { name: 'x' })).body).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect((await api(server, organiser.token, 'POST', '/groups', { name: '' })).status).toBe(400);
  });

  it("never applies, stores or relays an observer's write, and tells the observer", async () => {
    const server = await startTestServer();
    const docId = await firstDocumentOf(server, 'security');
    const writer = provider(server, docId, await organiserToken(server.url));
    const observerPerson = await invite(server, 'observer', 'security', 'af', 'Observer');
    const observer = provider(server, docId, observerPerson.token);
    await waitFor(() => writer.provider.synced && observer.provider.synced);
    const denied: string[] = [];
    observer.provider.messageHandlers[2] = (_e, decoder) => {
      decoder.pos += 1; // auth sub-type
      const len = decoder.arr[decoder.pos] ?? 0;
      denied.push(new TextDecoder().decode(decoder.arr.subarray(decoder.pos + 1, decoder.pos + 1 + len)));
      decoder.pos += 1 + len;
    };

    observer.doc.getText('text').insert(0, 'OBSERVER WAS HERE');
    writer.doc.getText('text').insert(0, 'agreed text');
    await waitFor(() => observer.doc.getText('text').toJSON().includes('agreed text'), { message: 'observers read live' });
    await waitFor(() => denied.length > 0, { message: 'the observer is told it is read-only' });
    expect(denied[0]).toBe('read-only');
    expect(writer.doc.getText('text').toJSON()).toBe('agreed text');

    // Not stored either: a fresh reader after a restart sees only the writer's text.
    const token = await organiserToken(server.url);
    await server.close();
    const again = await startTestServer({ DATA_DIR: server.dataDir });
    const reader = provider(again, docId, token);
    await waitFor(() => reader.provider.synced);
    expect(reader.doc.getText('text').toJSON()).toBe('agreed text');
  });

  it('closes the live sockets of a revoked link within 5 s and refuses its session afterwards', async () => {
    const server = await startTestServer();
    const docId = await firstDocumentOf(server, 'security');
    const delegate = await invite(server, 'delegate', 'security', 'pk', 'To be revoked');
    const socket = await openSocket(server, docId, delegate.token);
    const closed = new Promise<number>((resolve) => socket.ws?.once('close', (code) => resolve(code)));
    const started = Date.now();
    const revoked = await api(server, await organiserToken(server.url), 'DELETE', `/invitations/${delegate.code}`);
    expect(revoked.status).toBe(200);
    expect(await closed).toBe(CloseCodes.accessRevoked.code);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await openSocket(server, docId, delegate.token)).status).toBe(401);
    expect((await api(server, delegate.token, 'GET', '/initiative')).status).toBe(401);
    // The link itself no longer signs anyone in.
    const reuse = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invitation: delegate.code, name: 'Again' }),
    });
    expect(reuse.status).toBe(403);
  });

  it('closes the sockets of a revoked member at once', async () => {
    const server = await startTestServer();
    const docId = await firstDocumentOf(server, 'security');
    const delegate = await invite(server, 'delegate', 'security', 'af', 'Member');
    const socket = await openSocket(server, docId, delegate.token);
    const closed = new Promise<number>((resolve) => socket.ws?.once('close', (code) => resolve(code)));
    expect((await api(server, await organiserToken(server.url), 'DELETE', `/members/${delegate.id}`)).status).toBe(200);
    expect(await closed).toBe(CloseCodes.accessRevoked.code);
  });

  it("never delivers a group's draft to someone invited only to another group (canary text)", async () => {
    const server = await startTestServer();
    const securityDoc = await firstDocumentOf(server, 'security');
    const civilDoc = await firstDocumentOf(server, 'civil-society');
    const canary = `CANARY-${Math.random().toString(36).slice(2)}`;
    const writer = provider(server, securityDoc, await organiserToken(server.url));
    await waitFor(() => writer.provider.synced);
    writer.doc.getText('text').insert(0, canary);

    const outsider = await invite(server, 'delegate', 'civil-society', 'pk', 'Civil society delegate');
    const own = await openSocket(server, civilDoc, outsider.token);
    expect(own.status).toBe(101);
    const received = own.received;
    expect((await openSocket(server, securityDoc, outsider.token)).status).toBe(403);
    expect((await api(server, outsider.token, 'GET', `/documents/${securityDoc}`)).status).toBe(403);
    const tree = JSON.stringify((await api(server, outsider.token, 'GET', '/initiative')).body);
    expect(tree).not.toContain(securityDoc);
    // Keep typing while the outsider is connected elsewhere; nothing of it may reach them.
    writer.doc.getText('text').insert(0, `${canary}-2 `);
    await waitFor(() => received.length > 0);
    expect(Buffer.concat(received).toString('latin1')).not.toContain('CANARY');
  });

  it('stamps presence with the session identity: a client cannot pose as someone else', async () => {
    const server = await startTestServer();
    const docId = await firstDocumentOf(server, 'security');
    const honest = provider(server, docId, await organiserToken(server.url));
    const spoofer = await invite(server, 'delegate', 'security', 'af', 'Real Name');
    const liar = provider(server, docId, spoofer.token);
    liar.provider.awareness.setLocalStateField('user', { name: 'Test organiser', delegation: 'pk', color: '#000000' });
    // It also tries to overwrite the honest client's presence with its own clock bump.
    await waitFor(() => honest.provider.synced && liar.provider.synced);
    const stateOfLiar = () => honest.provider.awareness.getStates().get(liar.doc.clientID) as { user?: Record<string, unknown> } | undefined;
    await waitFor(() => stateOfLiar()?.user !== undefined, { message: 'the spoofer shows up' });
    expect(stateOfLiar()?.user).toMatchObject({ name: 'Real Name', delegation: 'af', personId: spoofer.id });
    expect(stateOfLiar()?.user?.['color']).not.toBe('#000000');
  });
});

describe('access edge cases', () => {
  it('lets an organiser revoke the link they joined through without locking themselves out', async () => {
    const server = await startTestServer();
    const organiser = await invite(server, 'organiser', null, 'org', 'Second organiser');
    const revoked = await api(server, organiser.token, 'DELETE', `/invitations/${organiser.code}`);
    expect(revoked.status).toBe(200);
    expect((await api(server, organiser.token, 'GET', '/me')).status).toBe(200);
  });

  it('makes an archived document read-only for everyone and reconnects its open sockets', async () => {
    const server = await startTestServer();
    const token = await organiserToken(server.url);
    const docId = await firstDocumentOf(server, 'security');
    const socket = await openSocket(server, docId, token);
    const closed = new Promise<number>((resolve) => socket.ws?.once('close', (code) => resolve(code)));
    expect((await api(server, token, 'PATCH', `/documents/${docId}`, { archived: true })).status).toBe(200);
    expect(await closed).toBe(CloseCodes.accessRevoked.code);
    expect((await api(server, token, 'GET', `/documents/${docId}`)).body).toMatchObject({ access: 'read', archived: true });

    const writer = provider(server, docId, token);
    await waitFor(() => writer.provider.synced);
    writer.doc.getText('text').insert(0, 'too late');
    const reader = provider(server, docId, token);
    await waitFor(() => reader.provider.synced);
    await waitFor(async () => {
      const again = provider(server, docId, token);
      await waitFor(() => again.provider.synced);
      return again.doc.getText('text').toJSON() === '';
    });
    expect(reader.doc.getText('text').toJSON()).toBe('');
  });
});
