// Automatic versions: saved after a period of editing (AUTO_VERSION_AFTER_MS) and when the last person
// leaves a document after changes (before it unloads), never for a visit that changed nothing.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, SaveVersionAnswer, VersionListView } from '../../shared/versions.js';
import { connectProvider, requestSave } from '../helpers/provider.js';
import { organiserToken } from '../helpers/test-access.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { BACKGROUND_WORK_TIMEOUT_MS, waitFor } from '../helpers/wait-for.js';
import { api, setBlocks, typeInto } from './versions-support.js';

const DOC = 'auto-versions';

async function versionsOf(server: TestServer): Promise<VersionListView['versions']> {
  const answer = await api<VersionListView>(server, await organiserToken(server.url), 'GET', `/documents/${DOC}/versions`);
  expect(answer.status).toBe(200);
  return answer.body.versions;
}

/** The export processes this test process has started (the servers here run in it). */
function exportProcesses(): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'export-worker-boot'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

async function triggers(server: TestServer): Promise<unknown[]> {
  const answer = await api<{ events: AuditEntry[] }>(server, await organiserToken(server.url), 'GET', `/documents/${DOC}/audit`);
  return answer.body.events.map((e) => e.detail['trigger']);
}

describe('automatic versions', { timeout: 60_000 }, () => {
  it('are saved after a period of editing, once per period', async () => {
    const server = await startTestServer({ AUTO_VERSION_AFTER_MS: '300', UNLOAD_DELAY_MS: '60000' });
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['Typing for a while.']);
    await requestSave(editor.provider, 1);
    const [first] = await waitFor(async () => {
      const versions = await versionsOf(server);
      return versions.length === 1 && versions;
    }, { message: 'an automatic version after the period', timeout: BACKGROUND_WORK_TIMEOUT_MS });
    expect(first).toMatchObject({ number: 1, kind: 'auto', name: null, author: null, change: { inserted: 'Typing for a while.'.length } });

    typeInto(editor.doc, 0, 0, 'Still ');
    await requestSave(editor.provider, 2);
    await waitFor(async () => (await versionsOf(server)).length === 2, { message: 'a second automatic version', timeout: BACKGROUND_WORK_TIMEOUT_MS });
    expect(await triggers(server)).toEqual(['activity', 'activity']);
    expect((await versionsOf(server))[0]).toMatchObject({ change: { inserted: 'Still '.length, deleted: 0 } });
  });

  it('are saved when the last person leaves after changes, and not after a visit without changes', async () => {
    const server = await startTestServer({ UNLOAD_DELAY_MS: '50' });
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['Written, then left.']);
    await requestSave(editor.provider, 1);
    expect(await versionsOf(server)).toEqual([]);
    editor.provider.destroy();
    await waitFor(async () => (await versionsOf(server)).length === 1, { message: 'a version when the last person left', timeout: BACKGROUND_WORK_TIMEOUT_MS });
    expect((await versionsOf(server))[0]).toMatchObject({ kind: 'auto', author: null });
    expect(await triggers(server)).toEqual(['last-left']);

    // A reader comes and goes: nothing new. (Listing versions loads the room too; wait for it to unload.)
    const reader = await connectProvider(server.url, DOC);
    reader.provider.destroy();
    const healthy = async (): Promise<boolean> => {
      const response = await fetch(`${server.url}/healthz`);
      return ((await response.json()) as { documentsInMemory?: number }).documentsInMemory === 0;
    };
    await waitFor(healthy, { message: 'the document to unload', timeout: BACKGROUND_WORK_TIMEOUT_MS });
    expect(await versionsOf(server)).toHaveLength(1);
  });

  it('are worked out the same with in-memory storage (the state handed over instead of read from disk)', async () => {
    // The period (1 s) is long enough that the last person leaving (unload after 50 ms) comes first.
    const server = await startTestServer({ STORAGE: 'memory', AUTO_VERSION_AFTER_MS: '1000', UNLOAD_DELAY_MS: '50' });
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['سولې د همکارۍ لپاره']);
    await requestSave(editor.provider, 1);
    await waitFor(async () => (await versionsOf(server)).length === 1, { message: 'an automatic version after the period', timeout: BACKGROUND_WORK_TIMEOUT_MS });
    typeInto(editor.doc, 0, 0, 'Agreed: ');
    await requestSave(editor.provider, 2);
    editor.provider.destroy();
    await waitFor(async () => (await versionsOf(server)).length === 2, { message: 'a version when the last person left', timeout: BACKGROUND_WORK_TIMEOUT_MS });
    const [left, period] = await versionsOf(server);
    expect(period).toMatchObject({ kind: 'auto', characters: 'سولې د همکارۍ لپاره'.length, change: { inserted: 'سولې د همکارۍ لپاره'.length, deleted: 0 } });
    expect(left).toMatchObject({ kind: 'auto', change: { inserted: 'Agreed: '.length, deleted: 0 } });
    expect(await triggers(server)).toEqual(['activity', 'last-left']);
  });

  it('keep their place when a named version is saved while one is being worked out', async () => {
    // An automatic version spans several turns (it is worked out in the export process). A named save
    // that comes meanwhile waits for it: numbers follow the order in which the texts were read, and
    // each change is measured from the version before.
    const before = new Set(exportProcesses());
    const server = await startTestServer({ AUTO_VERSION_AFTER_MS: '200', UNLOAD_DELAY_MS: '60000' });
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['First draft.']);
    await requestSave(editor.provider, 1);
    // Nothing else has used the export process yet: once it exists, the automatic version has read
    // its text and waits for the process, which takes a while to load.
    await waitFor(() => exportProcesses().some((pid) => !before.has(pid)), { message: 'the automatic version to start', timeout: BACKGROUND_WORK_TIMEOUT_MS });
    typeInto(editor.doc, 0, 0, 'Second: ');
    await requestSave(editor.provider, 2);
    const named = await api<SaveVersionAnswer>(server, organiser, 'POST', `/documents/${DOC}/versions`, { name: 'Named' });
    expect(named.status).toBe(201);
    const [latest, earlier] = await versionsOf(server);
    expect([latest?.number, latest?.kind, earlier?.number, earlier?.kind]).toEqual([2, 'named', 1, 'auto']);
    // The automatic version read the text when the export process got to it (from disk: at least
    // what was committed when it started, maybe "Second: " too); the named one has everything.
    expect(latest?.characters).toBe('Second: First draft.'.length);
    const earlierCharacters = earlier?.characters ?? 0;
    expect(earlierCharacters).toBeGreaterThanOrEqual('First draft.'.length);
    expect(latest?.change).toEqual({ inserted: 'Second: First draft.'.length - earlierCharacters, deleted: 0 });
    editor.provider.destroy();
  });
});
