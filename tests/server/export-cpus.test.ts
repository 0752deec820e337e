// EXPORT_CPUS: exports render on the CPUs it names and the server relays on the others, so that a PDF
// being printed never takes the relay's core (bench:export measures why). Checked on real processes:
// `npm start`'s code path in a child process, the affinity read back from /proc.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.js';
import { allowedCpus, defaultExportCpus, parseCpuList } from '../../server/export/cpu-affinity.js';
import { connectProvider, requestSave } from '../helpers/provider.js';
import { ensureDocument, organiserToken } from '../helpers/test-access.js';
import { makeDataDir, spawnServerProcess } from '../helpers/test-server.js';
import { BACKGROUND_WORK_TIMEOUT_MS, waitFor } from '../helpers/wait-for.js';
import { setBlocks } from './versions-support.js';

const DOC = 'cpus-communique';

/** Every thread's CPU list of a process (libuv's pool and V8's helpers included). */
function threadCpus(pid: number): string[] {
  const tasks = execFileSync('ls', [`/proc/${pid}/task`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return tasks.map((task) => /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8'))?.[1] ?? '?');
}

function exportProcessOf(serverPid: number): number | null {
  try {
    const pid = execFileSync('pgrep', ['-P', String(serverPid), '-f', 'export-worker-boot'], { encoding: 'utf8' }).trim().split('\n')[0];
    return pid ? Number(pid) : null;
  } catch {
    return null; // pgrep exits 1 when there is none
  }
}

describe('EXPORT_CPUS', { timeout: 60_000 }, () => {
  const cpus = allowedCpus();
  it('renders exports on the CPUs it names and keeps every thread of the server on the others', async () => {
    // Like Chromium for the export tests, two CPUs are a requirement of the suite, not a reason to skip.
    expect(cpus.length, `this test needs two CPUs; this process may use only ${cpus.join(',')}`).toBeGreaterThanOrEqual(2);
    const exportCpu = String(cpus[cpus.length - 1]);
    const serverCpus = cpus.slice(0, -1);
    const server = await spawnServerProcess({ dataDir: await makeDataDir(), env: { EXPORT_CPUS: exportCpu } });
    await ensureDocument(server.url, DOC);
    const editor = await connectProvider(server.url, DOC);
    setBlocks(editor.doc, ['Joint communiqué', 'د سولې لپاره همکارۍ']);
    await requestSave(editor.provider, 1);

    const token = await organiserToken(server.url);
    const markdown = await fetch(`${server.url}/api/documents/${DOC}/export?format=md`, { headers: { authorization: `Bearer ${token}` } });
    expect(markdown.status).toBe(200);
    expect(await markdown.text()).toContain('د سولې لپاره همکارۍ');

    const exporter = await waitFor(() => exportProcessOf(server.pid), { message: 'the export process', timeout: BACKGROUND_WORK_TIMEOUT_MS });
    for (const list of threadCpus(exporter)) expect(parseCpuList(list)).toEqual([Number(exportCpu)]);
    for (const list of threadCpus(server.pid)) expect(parseCpuList(list)).toEqual(serverCpus);
  });

  it('refuses to start with a list this machine cannot honour, saying which', async () => {
    const server = spawnServerProcess({ dataDir: await makeDataDir(), env: { EXPORT_CPUS: '4095' }, startTimeout: 20_000 });
    await expect(server).rejects.toThrow(/EXPORT_CPUS="4095"/);
  });

  it('refuses a list that leaves the server no CPU', async () => {
    const server = spawnServerProcess({ dataDir: await makeDataDir(), env: { EXPORT_CPUS: cpus.join(',') }, startTimeout: 20_000 });
    await expect(server).rejects.toThrow(/leaves no CPU for relaying edits/);
  });

  it('refuses a malformed list', async () => {
    const server = spawnServerProcess({ dataDir: await makeDataDir(), env: { EXPORT_CPUS: 'last one' }, startTimeout: 20_000 });
    await expect(server).rejects.toThrow(/EXPORT_CPUS must be a CPU list/);
  });

  it('is, for npm start, the last CPU this process may use unless set; any leaves exports on every CPU', () => {
    expect(defaultExportCpus()).toBe(String(cpus[cpus.length - 1]));
    expect(readConfig({ EXPORT_CPUS: 'any' }).exportCpus).toBeNull();
    expect(readConfig({}).exportCpus).toBeNull();
    expect(readConfig({ EXPORT_CPUS: '1' }).exportCpus).toBe('1');
  });
});
