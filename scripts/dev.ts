// `npm run dev`: the Concord server on :8787 and Vite's dev server on :5173 (which proxies to it)
// together. Invitation links the server prints point at Vite's address, so opening one signs you in
// on the live-reloading client (the session cookie then travels through the proxy). Ctrl+C or a
// signal stops both; if either exits on its own, the other is stopped too.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER_PORT = process.env.PORT || '8787';
const CLIENT_PORT = process.env.DEV_CLIENT_PORT || '5173';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', env });
  child.on('error', (error) => {
    console.error(`[dev] could not start ${name}: ${error.message}`);
    shutdown(1);
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[dev] ${name} exited (${signal ?? `code ${code}`}); stopping the rest`);
    shutdown(code ?? 1);
  });
  return child;
}

let stopping = false;
const children: ChildProcess[] = [];

function shutdown(exitCode: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  if (running.length === 0) process.exit(exitCode);
  let left = running.length;
  for (const child of running) {
    child.once('exit', () => {
      left -= 1;
      if (left === 0) process.exit(exitCode);
    });
    child.kill(signal);
  }
  // A child that ignores the signal must not keep the terminal hostage.
  setTimeout(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(exitCode);
  }, 5000).unref();
}

// Node itself rather than npx/tsx wrappers: a wrapper does not pass our signals on, and would leave
// the real server running after we exit.
children.push(
  start('server', process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    ...process.env,
    PORT: SERVER_PORT,
    PUBLIC_URL: process.env.PUBLIC_URL || `http://localhost:${CLIENT_PORT}`,
  }),
  // A fixed port (strictPort: fail rather than move), since the printed links name it.
  start('vite', process.execPath, ['node_modules/vite/bin/vite.js', '--port', CLIENT_PORT, '--strictPort'], {
    ...process.env,
    CONCORD_SERVER: `http://127.0.0.1:${SERVER_PORT}`,
  }),
);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => shutdown(signal === 'SIGINT' ? 130 : 143, signal));
}
