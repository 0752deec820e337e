// Starts the real Concord server for a test: in this process (startTestServer) or as a child process
// (spawnServerProcess, for SIGKILL/SIGTERM tests). Both use a fresh temp DATA_DIR unless given one and
// register their own teardown with onTestFinished, so a test never leaks a server, a process or a dir.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { readConfig } from '../../server/config.js';
import { startConcord } from '../../server/main.js';
import { WORKSPACE_FILE_NAME } from '../../server/workspace/workspace-store.js';
import { registerServer } from './test-access.js';
import { waitFor, withTimeout } from './wait-for.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Environment-style overrides, exactly as the README's configuration table names them. */
export type ConfigOverrides = Record<string, string>;

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  dataDir: string;
  /** Idempotent; also run automatically when the test finishes. */
  close(): Promise<void>;
}

/** A temp DATA_DIR, removed when the test finishes (after any server using it has been closed). */
export async function makeDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'concord-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The real server in this process on port 0. Pass `{ DATA_DIR }` to reuse a directory (restart tests);
 * otherwise a temp dir is made. Logging is silent unless LOG_LEVEL is overridden.
 */
export async function startTestServer(overrides: ConfigOverrides = {}): Promise<TestServer> {
  const dataDir = overrides.DATA_DIR ?? (await makeDataDir());
  const config = readConfig({
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    UNLOAD_DELAY_MS: '100',
    ...overrides,
    PORT: '0',
    DATA_DIR: dataDir,
  });
  const server = await startConcord(config);
  registerServer(server.url, dataDir, server.organiserInvitationUrl);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= server.close());
  onTestFinished(close);
  return { url: server.url, port: server.port, dataDir, close };
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  /** Sends the signal and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<ExitStatus>;
  exited: Promise<ExitStatus>;
  /** The last 64 KiB of stdout+stderr, for failure messages. */
  output(): string;
}

const LISTENING_LINE = /Concord listening on (http:\/\/[^\s"'\\]+)/;
const OUTPUT_KEEP = 64 * 1024;
/** What a first start prints after the URL (see runFromCommandLine): not an error. */
const STARTUP_NOTICE = /^(First start: |Organiser invitation: |More links: )/;
const INVITATION_LINE = /Organiser invitation: (\S+)/;

/**
 * `node --import tsx server/main.ts` as a child process, resolved once it prints its URL.
 * The process is SIGKILLed at teardown if it is still running.
 */
export async function spawnServerProcess({
  dataDir,
  env = {},
  startTimeout = 30_000,
}: {
  dataDir: string;
  env?: ConfigOverrides;
  startTimeout?: number;
}): Promise<ServerProcess> {
  const firstStart = !existsSync(path.join(dataDir, WORKSPACE_FILE_NAME));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, PORT: '0', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEEP);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);

  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });

  const url = await withTimeout(
    new Promise<string>((resolve, reject) => {
      const onData = (): void => {
        const match = LISTENING_LINE.exec(output);
        if (match?.[1]) {
          child.stdout.off('data', onData);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', onData);
      void exited.then((status) =>
        reject(new Error(`server process exited before listening (${JSON.stringify(status)}):\n${output}`)),
      );
    }),
    startTimeout,
    'the server process to print its URL',
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error instanceof Error ? new Error(`${error.message}\n--- server output ---\n${output}`) : error;
  });

  const pid = child.pid;
  if (pid === undefined) throw new Error('server process has no pid');
  // A first start (no database yet) prints the organiser link after the URL line, possibly in a later
  // chunk of output; later starts print none.
  const invitation = firstStart
    ? await waitFor(() => INVITATION_LINE.exec(output)?.[1], { message: 'the organiser invitation line' })
    : null;
  registerServer(url, dataDir, invitation);
  return {
    url,
    port: Number(new URL(url).port),
    pid,
    dataDir,
    exited,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Lines of a server process's output that show an internal failure: log entries at level error or
 * fatal (pino: 50+), and anything that is not a log entry at all (an uncaught stack trace, a stray
 * console.error), apart from the listening line.
 */
export function internalErrorsIn(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '' && !LISTENING_LINE.test(line) && !STARTUP_NOTICE.test(line))
    .filter((line) => {
      try {
        const entry = JSON.parse(line) as { level?: unknown };
        return typeof entry.level === 'number' && entry.level >= 50;
      } catch {
        return true;
      }
    });
}

/** GET /healthz: status and parsed body (or the raw text when it is not JSON). */
export async function getHealth(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/healthz`);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertion on `body` will show the text
  }
  return { status: response.status, body };
}
