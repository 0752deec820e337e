// Version history over the real API: named versions that survive a restart, content as editor JSON
// and plain text, the access rules (observers read and compare, never write), the sign-off with its
// 4xx refusals that change nothing, "changed since the agreed version", and the audit trail in order.
import { describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  SaveVersionAnswer,
  SignOffView,
  VersionDetail,
  VersionDiff,
  VersionListView,
} from '../../shared/versions.js';
import { connectProvider, requestSave } from '../helpers/provider.js';
import { organiserToken } from '../helpers/test-access.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { BACKGROUND_WORK_TIMEOUT_MS, waitFor } from '../helpers/wait-for.js';
import { api, invite, makeSignatory, setBlocks, typeInto } from './versions-support.js';

const DOC = 'communique-versions';

async function saveVersion(server: TestServer, token: string, name: string): Promise<SaveVersionAnswer> {
  const answer = await api<SaveVersionAnswer>(server, token, 'POST', `/documents/${DOC}/versions`, { name });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

async function list(server: TestServer, token: string): Promise<VersionListView> {
  const answer = await api<VersionListView>(server, token, 'GET', `/documents/${DOC}/versions`);
  expect(answer.status).toBe(200);
  return answer.body;
}

describe('versions', { timeout: 60_000 }, () => {
  it('saves named versions, lists them newest first, serves JSON and text, and keeps them across a restart', async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['Joint communiqué', 'The delegations met in Kabul on Tuesday.']);
    await requestSave(editor.provider, 1);
    const first = await saveVersion(server, organiser, 'Kabul draft 1');
    expect(first.version).toMatchObject({
      id: first.id,
      number: 1,
      name: 'Kabul draft 1',
      kind: 'named',
      author: { name: 'Test organiser', delegation: 'org' },
      characters: 'Joint communiqué'.length + 'The delegations met in Kabul on Tuesday.'.length,
      change: { inserted: 56, deleted: 0 },
      agreed: false,
    });
    expect(first.version.contentHash).toMatch(/^[0-9a-f]{64}$/);

    typeInto(editor.doc, 1, 'The delegations met in Kabul'.length, ' and Islamabad');
    await requestSave(editor.provider, 2);
    const second = await saveVersion(server, organiser, 'Kabul draft 2');
    expect(second.version).toMatchObject({ number: 2, change: { inserted: ' and Islamabad'.length, deleted: 0 } });

    const listed = await list(server, organiser);
    expect(listed.versions.map((v) => v.name)).toEqual(['Kabul draft 2', 'Kabul draft 1']);
    expect(listed.meetingTimeZone).toBe('Asia/Karachi');
    expect(listed.live).toMatchObject({ contentHash: second.version.contentHash, changedSinceLastVersion: false, changedSinceAgreed: null });
    expect(Date.parse(listed.versions[0]?.createdAt ?? '')).toBeGreaterThan(0);

    const detail = await api<VersionDetail>(server, organiser, 'GET', `/documents/${DOC}/versions/${first.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.content).toMatchObject({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Joint communiqué' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'The delegations met in Kabul on Tuesday.' }] },
      ],
    });
    expect(detail.body.text).toBe('Joint communiqué\nThe delegations met in Kabul on Tuesday.');
    const text = await fetch(`${server.url}/api/documents/${DOC}/versions/${second.id}/text`, { headers: { authorization: `Bearer ${organiser}` } });
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('Joint communiqué\nThe delegations met in Kabul and Islamabad on Tuesday.');
    const live = await api<{ text: string; contentHash: string }>(server, organiser, 'GET', `/documents/${DOC}/versions/live`);
    expect(live.body).toMatchObject({ text: 'Joint communiqué\nThe delegations met in Kabul and Islamabad on Tuesday.', contentHash: second.version.contentHash });

    // Bad input.
    expect((await api(server, organiser, 'POST', `/documents/${DOC}/versions`, { name: '  ' })).status).toBe(400);
    expect((await api(server, organiser, 'POST', `/documents/${DOC}/versions`, {})).body).toMatchObject({ error: { code: 'invalid_input' } });
    expect((await api(server, organiser, 'GET', `/documents/${DOC}/versions/nope`)).status).toBe(404);
    expect((await api(server, organiser, 'GET', `/documents/no-such-doc/versions`)).status).toBe(404);

    // Restart on the same DATA_DIR: everything is still there, byte for byte.
    editor.provider.destroy();
    await server.close();
    const again = await startTestServer({ DATA_DIR: server.dataDir });
    const relisted = await list(again, organiser);
    expect(relisted.versions).toEqual(listed.versions);
    const reread = await api<VersionDetail>(again, organiser, 'GET', `/documents/${DOC}/versions/${first.id}`);
    expect(reread.body).toEqual(detail.body);
    expect(relisted.live.changedSinceLastVersion).toBe(false);
  });

  it('numbers saves made at the same time in the order of their texts, each change measured from the version before', async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['Recommendations']);
    await requestSave(editor.provider, 1);
    // Five saves in flight at once, the text growing between them as a rapporteur keeps typing.
    const saves: Promise<SaveVersionAnswer>[] = [];
    for (let round = 0; round < 5; round++) {
      typeInto(editor.doc, 0, 'Recommendations'.length + round * 4, ` R${round}.`);
      await requestSave(editor.provider, round + 2);
      saves.push(saveVersion(server, organiser, `round ${round}`));
    }
    await Promise.all(saves);
    const versions = (await list(server, organiser)).versions.slice().reverse();
    expect(versions.map((v) => v.number)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < versions.length; i++) {
      const earlier = versions[i - 1];
      const later = versions[i];
      if (!earlier || !later) throw new Error('missing version');
      // A later number never holds an older text, and its change is counted from the one before it.
      expect(later.characters).toBeGreaterThanOrEqual(earlier.characters);
      expect(later.change).toEqual({ inserted: later.characters - earlier.characters, deleted: 0 });
    }
    editor.provider.destroy();
  });

  it('with in-memory storage, the live status, the live text and a compare with it follow every committed edit', async () => {
    // The background process reads the live text from the SQLite file once stored; without one the
    // server hands it the state instead. Same answers either way.
    const server = await startTestServer({ STORAGE: 'memory' });
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['Joint communiqué', 'د سولې لپاره همکارۍ']);
    await requestSave(editor.provider, 1);
    const first = await saveVersion(server, organiser, 'Pashto draft');
    expect((await list(server, organiser)).live).toMatchObject({ contentHash: first.version.contentHash, changedSinceLastVersion: false });

    typeInto(editor.doc, 1, 0, 'Agreed: ');
    await requestSave(editor.provider, 2);
    const listed = await list(server, organiser);
    expect(listed.live.changedSinceLastVersion).toBe(true);
    const live = await api<{ text: string; contentHash: string; characters: number }>(server, organiser, 'GET', `/documents/${DOC}/versions/live`);
    expect(live.body).toMatchObject({ text: 'Joint communiqué\nAgreed: د سولې لپاره همکارۍ', contentHash: listed.live.contentHash });
    const diff = await api<VersionDiff>(server, organiser, 'GET', `/documents/${DOC}/versions/${first.id}/diff?to=live`);
    expect(diff.status).toBe(200);
    expect(diff.body.to).toMatchObject({ id: 'live', contentHash: listed.live.contentHash });
    expect(diff.body.summary).toMatchObject({ insertedCharacters: 'Agreed: '.length, deletedCharacters: 0, insertions: 1 });
    editor.provider.destroy();
  });

  it('lets observers list, view and compare, but not save, restore, propose or sign', async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['Draft text.']);
    await requestSave(editor.provider, 1);
    const { id } = await saveVersion(server, organiser, 'v1');
    const observer = await invite(server, 'observer', 'security', 'af', 'Observer');
    const outsider = await invite(server, 'delegate', 'civil-society', 'pk', 'Outsider');

    const reads: Array<[string, string]> = [
      ['GET', `/documents/${DOC}/versions`],
      ['GET', `/documents/${DOC}/versions/${id}`],
      ['GET', `/documents/${DOC}/versions/${id}/text`],
      ['GET', `/documents/${DOC}/versions/${id}/diff?to=live`],
      ['GET', `/documents/${DOC}/sign-off`],
      ['GET', `/documents/${DOC}/audit`],
    ];
    const writes: Array<[string, string, unknown]> = [
      ['POST', `/documents/${DOC}/versions`, { name: 'mine' }],
      ['POST', `/documents/${DOC}/versions/${id}/restore`, undefined],
      ['POST', `/documents/${DOC}/versions/${id}/propose`, undefined],
      ['POST', `/documents/${DOC}/versions/${id}/sign`, {}],
      ['POST', `/documents/${DOC}/versions/${id}/withdraw`, {}],
    ];
    for (const [method, path] of reads) {
      expect((await api(server, observer.token, method, path)).status, `observer ${method} ${path}`).toBe(200);
      expect((await api(server, outsider.token, method, path)).status, `outsider ${method} ${path}`).toBe(403);
      expect((await api(server, null, method, path)).status, `anonymous ${method} ${path}`).toBe(401);
    }
    for (const [method, path, body] of writes) {
      const answer = await api(server, observer.token, method, path, body);
      expect(answer.status, `observer ${method} ${path}`).toBe(403);
      expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
      expect((await api(server, outsider.token, method, path, body)).status).toBe(403);
    }
    // Nothing changed: one version, and only its own audit event.
    expect((await list(server, organiser)).versions).toHaveLength(1);
    expect((await api<{ events: AuditEntry[] }>(server, organiser, 'GET', `/documents/${DOC}/audit`)).body.events.map((e) => e.kind)).toEqual([
      'version-saved',
    ]);
  });

  it('signs off the agreed version: proposals, signatures, withdrawal, refusals that change nothing, the changed flag and the audit trail', async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const rapporteur = await invite(server, 'rapporteur', 'security', 'pk', 'Rapporteur Ayesha');
    const pkSigner = await invite(server, 'delegate', 'security', 'pk', 'Bilal');
    const afSigner = await invite(server, 'delegate', 'security', 'af', 'Zarghuna');
    const delegate = await invite(server, 'delegate', 'security', 'af', 'Delegate');
    await makeSignatory(server, 'security', 'pk', pkSigner.id);
    await makeSignatory(server, 'security', 'af', afSigner.id);

    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['Both delegations agree to reopen the Torkham crossing.']);
    await requestSave(editor.provider, 1);
    const v1 = await saveVersion(server, rapporteur.token, 'Kabul draft 1');
    typeInto(editor.doc, 0, 'Both delegations agree to reopen the Torkham crossing'.length, ' within thirty days');
    await requestSave(editor.provider, 2);
    const v2 = await saveVersion(server, rapporteur.token, 'Kabul draft 2');

    const step = (who: { token: string }, version: string, action: string, body?: unknown) =>
      api<SignOffView & { error?: { code: string } }>(server, who.token, 'POST', `/documents/${DOC}/versions/${version}/${action}`, body);
    const signOff = async (): Promise<SignOffView> => (await api<SignOffView>(server, organiser, 'GET', `/documents/${DOC}/sign-off`)).body;
    /** A refusal: the status and code, and the sign-off exactly as before. */
    const refused = async (answer: Promise<{ status: number; body: unknown }>, status: number, code: string): Promise<void> => {
      const before = await signOff();
      const { status: got, body } = await answer;
      expect(got, JSON.stringify(body)).toBe(status);
      expect(body).toMatchObject({ error: { code } });
      expect(await signOff()).toEqual(before);
    };

    expect((await signOff()).status).toBe('none');
    await refused(step(delegate, v1.id, 'propose'), 403, 'not_rapporteur');
    await refused(step(pkSigner, v1.id, 'sign', {}), 409, 'no_proposal');

    const proposed = await step(rapporteur, v1.id, 'propose');
    expect(proposed.status).toBe(200);
    expect(proposed.body).toMatchObject({ status: 'proposed', proposal: { versionId: v1.id, versionNumber: 1, contentHash: v1.version.contentHash } });

    await refused(step(afSigner, v1.id, 'sign', { delegation: 'pk' }), 403, 'not_signatory');
    await refused(step(delegate, v1.id, 'sign', {}), 403, 'not_signatory');
    expect((await step(pkSigner, v1.id, 'sign', {})).body).toMatchObject({ status: 'partly-signed', proposal: { signatures: { pk: { name: 'Bilal' } } } });
    await refused(step(pkSigner, v1.id, 'sign', {}), 409, 'already_signed');
    expect((await step(pkSigner, v1.id, 'withdraw', {})).body).toMatchObject({ status: 'proposed', proposal: { signatures: {} } });
    await refused(step(pkSigner, v1.id, 'withdraw', {}), 409, 'not_signed');
    expect((await step(pkSigner, v1.id, 'sign')).status).toBe(200); // no body at all is fine too

    // A newer version supersedes the open proposal; the old one can no longer be signed.
    expect((await step(rapporteur, v2.id, 'propose')).body).toMatchObject({ status: 'proposed', proposal: { versionId: v2.id, signatures: {} } });
    await refused(step(afSigner, v1.id, 'sign', {}), 409, 'proposal_superseded');
    await refused(step(afSigner, 'no-such-version', 'sign', {}), 404, 'not_found');

    expect((await step(pkSigner, v2.id, 'sign', { contentHash: v2.version.contentHash })).status).toBe(200);
    await refused(step(afSigner, v2.id, 'sign', { contentHash: v1.version.contentHash }), 409, 'hash_mismatch');
    await refused(step(afSigner, v2.id, 'sign', { contentHash: 'not-a-hash' }), 400, 'invalid_input');
    const agreed = await step(afSigner, v2.id, 'sign', { delegation: 'af', contentHash: v2.version.contentHash });
    expect(agreed.body).toMatchObject({
      status: 'agreed',
      proposal: null,
      agreed: {
        versionId: v2.id,
        versionNumber: 2,
        contentHash: v2.version.contentHash,
        signatures: { pk: { personId: pkSigner.id, name: 'Bilal' }, af: { personId: afSigner.id, name: 'Zarghuna' } },
      },
      signatories: { pk: { id: pkSigner.id }, af: { id: afSigner.id } },
    });
    await refused(step(pkSigner, v2.id, 'withdraw', {}), 409, 'already_agreed');
    await refused(step(afSigner, v2.id, 'sign', {}), 409, 'already_agreed');

    const listed = await list(server, afSigner.token);
    expect(listed.versions.map((v) => [v.number, v.agreed])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(listed.signOff.you).toEqual({ canPropose: false, signsFor: ['af'] });
    expect(listed.live.changedSinceAgreed).toBe(false);

    // Any later edit to the live text shows as "changed since the agreed version".
    typeInto(editor.doc, 0, 0, 'Today, ');
    await waitFor(async () => (await list(server, organiser)).live.changedSinceAgreed === true, { message: 'the changed flag to flip', timeout: BACKGROUND_WORK_TIMEOUT_MS });
    expect((await list(server, organiser)).live.changedSinceLastVersion).toBe(true);

    const audit = await api<{ events: AuditEntry[] }>(server, organiser, 'GET', `/documents/${DOC}/audit`);
    expect(audit.body.events.map((e) => [e.kind, e.versionNumber, e.actor?.name ?? null, e.detail['delegation'] ?? null])).toEqual([
      ['version-saved', 1, 'Rapporteur Ayesha', null],
      ['version-saved', 2, 'Rapporteur Ayesha', null],
      ['proposed', 1, 'Rapporteur Ayesha', null],
      ['signed', 1, 'Bilal', 'pk'],
      ['withdrawn', 1, 'Bilal', 'pk'],
      ['signed', 1, 'Bilal', 'pk'],
      ['proposed', 2, 'Rapporteur Ayesha', null],
      ['signed', 2, 'Bilal', 'pk'],
      ['signed', 2, 'Zarghuna', 'af'],
      ['agreed', 2, 'Zarghuna', null],
    ]);
    expect(audit.body.events[6]?.detail['supersedes']).toBe(v1.id);
    expect(audit.body.events[9]?.detail['contentHash']).toBe(v2.version.contentHash);
    const times = audit.body.events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('refuses restore to observers and changes nothing', async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['First text.']);
    await requestSave(editor.provider, 1);
    const { id } = await saveVersion(server, organiser, 'v1');
    setBlocks(editor.doc, ['Second text.']);
    await requestSave(editor.provider, 2);
    const observer = await invite(server, 'observer', 'security', 'pk', 'Observer');
    const answer = await api(server, observer.token, 'POST', `/documents/${DOC}/versions/${id}/restore`);
    expect(answer).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'observers cannot restore versions' } } });
    const live = await api<{ text: string }>(server, organiser, 'GET', `/documents/${DOC}/versions/live`);
    expect(live.body.text).toBe('Second text.');
    expect((await list(server, organiser)).versions).toHaveLength(1);
  });
});
