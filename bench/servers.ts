// Starts and stops the servers under test as child processes on free loopback ports: Concord
// (server/main.ts), the reference peer @y/websocket-server 0.1.1 and, on request, the floor relay
// (bench/floor-relay.ts). Each is pinned to its own core (see machine.ts) and started as the Node
// process itself (no npm/npx wrapper), so the PID we read /proc for is the server.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { COLLAB_PATH } from '../shared/protocol.js';
import { dedicatedCommand } from './machine.js';

export type ServerKind = 'concord' | 'peer' | 'floor';

export const SERVER_LABELS: Record<ServerKind, string> = {
  concord: 'Concord',
  peer: '@y/websocket-server 0.1.1',
  floor: 'floor relay (stores nothing)',
};

export interface RunningServer {
  kind: ServerKind;
  pid: number;
  port: number;
  /** WebsocketProvider-style base URL; a document's socket is `<baseUrl>/<documentId><socketQuery>`. */
  baseUrl: string;
  /** Appended to every socket URL, like WebsocketProvider's `params` (Concord: `?token=<session>`). */
  socketQuery: string;
  /** Makes sure these documents exist and the bench's session may write them (the peer serves any path). */
  createDocuments(ids: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const running = new Set<ChildProcess>();

// A crashed or interrupted bench must not leave servers holding a core.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts one server and resolves once it accepts TCP connections. `repoRoot` is where `server/` and
 * `node_modules/` live; `core` pins it (undefined = unpinned, when taskset is missing).
 */
export async function startServer(
  kind: ServerKind,
  repoRoot: string,
  core: number | undefined,
  /** False: no session and priority boost of its own (it then shares the CPU like any process here). */
  boost = true,
): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST, PORT: String(port) };
  let dataDir: string | undefined;
  let args: string[];
  if (kind === 'concord') {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'concord-bench-'));
    Object.assign(env, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    // `node --import tsx` keeps the server in this one process; `npx tsx` would put a wrapper in between.
    args = ['--import', 'tsx', 'server/main.ts'];
  } else if (kind === 'peer') {
    // No YPERSISTENCE: the peer keeps documents in memory only, as the team's reference figures were taken.
    args = ['node_modules/@y/websocket-server/src/server.js'];
  } else {
    args = ['--import', 'tsx', 'bench/floor-relay.ts'];
  }
  // Extra Node flags for the server only, to diagnose it under load, e.g.
  // BENCH_SERVER_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench -- --only 20x16
  const extraFlags = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const [command, commandArgs] = dedicatedCommand(core, process.execPath, [...extraFlags, ...args], boost);
  const child = spawn(command, commandArgs, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000); // the tail is enough to explain a failed start
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  let exitStatus = '';
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitStatus = signal ? `killed by ${signal}` : `exited with code ${code}`;
      exited = true;
      running.delete(child);
      resolve();
    }),
  );

  const cleanUp = (): void => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000));
      await Promise.race([exitedPromise, timeout]);
      if (!exited) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    }
    cleanUp();
  };

  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const why = exited ? exitStatus : 'still not listening after 30 s';
      throw new Error(`${SERVER_LABELS[kind]} did not start on port ${port} (${why}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${SERVER_LABELS[kind]} has no pid`);
  // nice and taskset exec the command in place, so the PID must now be Node itself; anything else would
  // make the /proc figures describe a wrapper.
  const executable = readlinkSync(`/proc/${pid}/exe`);
  if (path.basename(executable) !== path.basename(process.execPath)) {
    await stop();
    throw new Error(`PID ${pid} is ${executable}, not the Node server`);
  }
  const base = { kind, pid, port, baseUrl: `ws://${HOST}:${port}${COLLAB_PATH}`, stop };
  if (kind !== 'concord') return { ...base, socketQuery: '', createDocuments: () => Promise.resolve() };
  try {
    return { ...base, ...(await signInToConcord(port, () => output)) };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Concord admits a socket only for a signed-in person with write access to an existing document. On a
 * first start it prints an organiser invitation; the bench redeems it through the same API a browser
 * uses (POST /api/session), then creates its documents in the first meeting. Every simulated client uses
 * the organiser's token: the figures are about relaying, not about how many people exist.
 */
async function signInToConcord(
  port: number,
  output: () => string,
): Promise<Pick<RunningServer, 'socketQuery' | 'createDocuments'>> {
  const api = `http://${HOST}:${port}/api`;
  const deadline = Date.now() + 5000;
  let code: string | undefined;
  while (!(code = /Organiser invitation: \S*\/join\/([A-Za-z0-9_-]+)/.exec(output())?.[1])) {
    if (Date.now() > deadline) {
      // No invitation printed: a Concord without sign-in, which serves sockets as they are.
      return { socketQuery: '', createDocuments: () => Promise.resolve() };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const call = async <T>(method: string, route: string, body: unknown, token?: string): Promise<T> => {
    const response = await fetch(`${api}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`Concord ${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const { token } = await call<{ token: string }>('POST', '/session', { invitation: code, name: 'Bench organiser' });
  const initiative = await call<{ groups: Array<{ meetings: Array<{ id: string }> }> }>('GET', '/initiative', undefined, token);
  const meetingId = initiative.groups.flatMap((g) => g.meetings)[0]?.id;
  if (!meetingId) throw new Error('Concord: the first-start workspace has no meeting to create documents in');
  // Concord starts its export process (exports, versions lists, automatic versions) on first use and
  // it loads for ~1.5 s at idle priority. Without this, the first use would be the preflight room's
  // automatic version when its people leave, inside a measured window; a one-time start-up cost is
  // not what a steady-state window is about. Listing a document's versions starts it.
  await call('POST', `/meetings/${meetingId}/documents`, { kind: 'agenda', title: 'Bench warm-up', id: 'bench-warm-up' }, token);
  await call('GET', '/documents/bench-warm-up/versions', undefined, token);
  return {
    socketQuery: `?token=${encodeURIComponent(token)}`,
    createDocuments: async (ids) => {
      for (const id of ids) {
        await call('POST', `/meetings/${meetingId}/documents`, { kind: 'agenda', title: `Bench ${id}`, id }, token);
      }
    },
  };
}
