// Restoring a version over real websockets: everyone connected converges on the version's text, a
// third client's concurrent typing (made before it saw the restore, delivered after) survives, the
// text that was replaced is saved first as a `before-restore` version, and restoring that undoes it.
import { describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type { AuditEntry, RestoreAnswer, SaveVersionAnswer, VersionListView } from '../../shared/versions.js';
import { connectProvider, requestSave } from '../helpers/provider.js';
import { organiserToken } from '../helpers/test-access.js';
import { startTestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { api, blockTexts, invite, connectAs, setBlocks, typeInto } from './versions-support.js';

const DOC = 'restore-under-load';

/**
 * Holds back everything the provider would send (its socket stays open and keeps receiving), so its
 * edits stay concurrent with whatever the server does meanwhile; `release` sends them in order.
 */
function holdOutgoing(provider: WebsocketProvider): { release(): void } {
  const ws = provider.ws;
  if (!ws) throw new Error('provider is not connected');
  const send = ws.send.bind(ws);
  const held: Array<Parameters<typeof send>[0]> = [];
  ws.send = (data) => {
    held.push(data);
  };
  return {
    release() {
      ws.send = send;
      for (const data of held.splice(0)) send(data);
    },
  };
}

describe('restore', () => {
  it('converges every connected client on the version, keeps concurrent typing, saves the replaced text first, and can be undone', async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const delegate = await invite(server, 'delegate', 'security', 'af', 'Typist');
    const a = await connectProvider(server.url, DOC);
    const b = await connectProvider(server.url, DOC);
    const c = await connectAs(server, DOC, delegate.token);

    const versionText = ['Agenda item 1: trade.', 'Agenda item 2: water sharing.', 'Agenda item 3: visas.'];
    setBlocks(a.doc, versionText);
    await requestSave(a.provider, 1);
    await waitFor(() => expect(blockTexts(c.doc)).toEqual(versionText));
    const saved = await api<SaveVersionAnswer>(server, organiser, 'POST', `/documents/${DOC}/versions`, { name: 'Tuesday' });
    expect(saved.status).toBe(201);

    // Later edits: item 1 rewritten, a fourth item added.
    const edited = ['Agenda item 1: trade and transit.', 'Agenda item 2: water sharing.', 'Agenda item 3: visas.', 'Agenda item 4: students.'];
    setBlocks(b.doc, edited);
    await requestSave(b.provider, 1);
    await waitFor(() => expect(blockTexts(a.doc)).toEqual(edited));
    await waitFor(() => expect(blockTexts(c.doc)).toEqual(edited));

    // C types in item 3 (which the restore leaves as it is) without the server knowing yet.
    const hold = holdOutgoing(c.provider);
    typeInto(c.doc, 2, 'Agenda item 3: visas'.length, ' for students and traders');

    const restored = await api<RestoreAnswer>(server, organiser, 'POST', `/documents/${DOC}/versions/${saved.body.id}/restore`);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body).toMatchObject({ changed: true, restored: { id: saved.body.id, number: 1 }, beforeRestore: { kind: 'before-restore', number: 2 } });

    // Everyone connected sees the version's text, C with its own pending typing on top.
    await waitFor(() => expect(blockTexts(a.doc)).toEqual(versionText), { message: 'A converges on the version' });
    await waitFor(() => expect(blockTexts(b.doc)).toEqual(versionText), { message: 'B converges on the version' });
    const withTyping = ['Agenda item 1: trade.', 'Agenda item 2: water sharing.', 'Agenda item 3: visas for students and traders.'];
    await waitFor(() => expect(blockTexts(c.doc)).toEqual(withTyping), { message: 'C merges the restore with its typing' });

    // C's typing reaches the server after the restore, and survives it everywhere.
    hold.release();
    for (const client of [a, b, c]) await waitFor(() => expect(blockTexts(client.doc)).toEqual(withTyping));
    await requestSave(c.provider, 7);
    const live = await api<{ text: string }>(server, organiser, 'GET', `/documents/${DOC}/versions/live`);
    expect(live.body.text).toBe(withTyping.join('\n'));

    // The replaced text was saved first, and restoring it is the undo.
    const beforeId = restored.body.beforeRestore?.id ?? '';
    const before = await api<{ text: string; author: { name: string } }>(server, organiser, 'GET', `/documents/${DOC}/versions/${beforeId}`);
    expect(before.body).toMatchObject({ text: edited.join('\n'), author: { name: 'Test organiser' } });
    const undo = await api<RestoreAnswer>(server, organiser, 'POST', `/documents/${DOC}/versions/${beforeId}/restore`);
    expect(undo.body.changed).toBe(true);
    for (const client of [a, b, c]) await waitFor(() => expect(blockTexts(client.doc)).toEqual(edited));

    // Restoring what is already the live text changes nothing and saves nothing.
    const again = await api<RestoreAnswer>(server, organiser, 'POST', `/documents/${DOC}/versions/${beforeId}/restore`);
    expect(again.body).toMatchObject({ changed: false, beforeRestore: null });

    const versions = (await api<VersionListView>(server, organiser, 'GET', `/documents/${DOC}/versions`)).body.versions;
    expect(versions.map((v) => [v.number, v.kind])).toEqual([
      [3, 'before-restore'],
      [2, 'before-restore'],
      [1, 'named'],
    ]);
    const audit = (await api<{ events: AuditEntry[] }>(server, organiser, 'GET', `/documents/${DOC}/audit`)).body.events;
    expect(audit.map((e) => [e.kind, e.versionNumber])).toEqual([
      ['version-saved', 1],
      ['version-saved', 2],
      ['restored', 1],
      ['version-saved', 3],
      ['restored', 2],
    ]);
    expect(audit[2]?.detail['beforeRestoreVersionId']).toBe(beforeId);
  });

  it('survives a restart: the restored text is what was stored', async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['Original.']);
    await requestSave(editor.provider, 1);
    const { id } = (await api<SaveVersionAnswer>(server, organiser, 'POST', `/documents/${DOC}/versions`, { name: 'v1' })).body;
    setBlocks(editor.doc, ['Rewritten.', 'More.']);
    await requestSave(editor.provider, 2);
    expect((await api(server, organiser, 'POST', `/documents/${DOC}/versions/${id}/restore`)).status).toBe(200);
    editor.provider.destroy();
    await server.close();
    const again = await startTestServer({ DATA_DIR: server.dataDir });
    const reader = await connectProvider(again.url, DOC);
    expect(blockTexts(reader.doc)).toEqual(['Original.']);
  });
});
