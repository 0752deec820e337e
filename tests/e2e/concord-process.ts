// Runs the real Concord server (server/main.ts) as a child process for browser tests: the runner
// starts one for the whole suite, and crash tests start their own so they can SIGKILL it and start
// it again on the same port and data directory. Free of vitest so scripts/e2e.ts can use it too.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ConcordProcess {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /**
   * On a first start (empty data directory) the server creates the dialogue and prints the link that
   * makes its opener the organiser; null when the data directory was already in use.
   */
  readonly organiserInvitationUrl: string | null;
  /** SIGTERM (clean shutdown, stores everything) or SIGKILL (a crash); resolves once it exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Recent stdout and stderr, for failure messages. */
  output(): string;
}

const LISTENING_LINE = /Concord listening on (http:\/\/\S+)/;
const ORGANISER_INVITATION_LINE = /Organiser invitation: (\S+)/;
const OUTPUT_KEEP = 32 * 1024;

export interface StartOptions {
  dataDir: string;
  /** 0 (default) picks a free port; a restart passes the old one so open pages reconnect to it. */
  port?: number;
  clientDir?: string;
  startTimeoutMs?: number;
}

export function startConcordProcess({ dataDir, port = 0, clientDir = 'dist/client', startTimeoutMs = 30_000 }: StartOptions): Promise<ConcordProcess> {
  // Decided before the server touches the directory: only a first start prints an organiser link.
  const firstStart = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  // `node --import tsx` rather than `npx tsx`: one process, so SIGKILL really is a crash of the server.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      CLIENT_DIR: clientDir,
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEEP);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise<ConcordProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Concord did not start within ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Concord exited before listening:\n${output}`));
    });
    const onData = (): void => {
      const url = LISTENING_LINE.exec(output)?.[1];
      if (!url) return;
      // The link is printed just after the listening line, possibly in a later chunk.
      const organiserInvitationUrl = ORGANISER_INVITATION_LINE.exec(output)?.[1] ?? null;
      if (firstStart && organiserInvitationUrl === null) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url,
        port: Number(new URL(url).port),
        dataDir,
        organiserInvitationUrl,
        output: () => output,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
  });
}
