// `npm run test:e2e`: the browser tests against the real server. Builds the client when the build
// is missing or older than its sources, starts server/main.ts on a free port with a throwaway data
// directory (whose first start prints the organiser invitation the tests sign in with), runs
// tests/e2e in Chromium through Vitest, stops the server, and ends with the line `N passed, M failed`
// (exit status non-zero on any failure).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startConcordProcess, type ConcordProcess } from '../tests/e2e/concord-process.js';

const CLIENT_OUT = path.join(repoRoot, 'dist/client');
const CLIENT_SOURCES = ['client', 'shared', 'vite.config.ts', 'package-lock.json'];
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function newestModification(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestModification(path.join(entry, child)));
  return newest;
}

/** A stale build would test yesterday's client and pass or fail for the wrong reasons. */
function clientBuildIsCurrent(): boolean {
  const index = path.join(CLIENT_OUT, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return CLIENT_SOURCES.map((p) => path.join(repoRoot, p))
    .filter((p) => existsSync(p))
    .every((p) => newestModification(p) <= built);
}

interface VitestJsonReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numFailedTestSuites?: number;
  numPendingTests?: number;
  numTodoTests?: number;
}

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-core, or set CHROMIUM_PATH`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  if (!clientBuildIsCurrent()) {
    console.log('[e2e] building the client (vite build)');
    const code = await run(process.execPath, [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build']);
    if (code !== 0) {
      console.log('0 passed, 1 failed');
      return 1;
    }
  }

  const scratch = await mkdtemp(path.join(os.tmpdir(), 'concord-e2e-'));
  const dataDir = path.join(scratch, 'data');
  const reportPath = path.join(scratch, 'vitest-report.json');
  let server: ConcordProcess | null = null;
  let exitCode = 1;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    server = await startConcordProcess({ dataDir, clientDir: CLIENT_OUT });
    console.log(`[e2e] Concord at ${server.url} (data in ${dataDir})`);
    if (!server.organiserInvitationUrl) throw new Error('the server printed no "Organiser invitation:" line on its first start');
    const vitestCode = await run(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'tests/e2e/vitest.e2e.config.ts',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${reportPath}`,
        ...process.argv.slice(2),
      ],
      { ...process.env, CONCORD_E2E_URL: server.url, CONCORD_E2E_ORGANISER_INVITATION: server.organiserInvitationUrl, CHROMIUM_PATH: CHROMIUM },
    );
    let report: VitestJsonReport = {};
    try {
      report = JSON.parse(await readFile(reportPath, 'utf8')) as VitestJsonReport;
    } catch {
      // Vitest died before writing its report: counted as a failure below.
    }
    passed = report.numPassedTests ?? 0;
    failed = report.numFailedTests ?? 0;
    skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that failed to load or a hook that threw fails no test by itself; it must still count.
    if (vitestCode !== 0 && failed === 0) failed = Math.max(1, report.numFailedTestSuites ?? 0);
    exitCode = failed > 0 || vitestCode !== 0 ? 1 : 0;
  } catch (error) {
    console.error('[e2e]', error instanceof Error ? error.message : error);
    failed = Math.max(failed, 1);
    exitCode = 1;
  } finally {
    if (server) {
      await server.stop('SIGTERM');
      if (exitCode !== 0) console.error(`[e2e] server output (last part):\n${server.output()}`);
    }
    await rm(scratch, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
