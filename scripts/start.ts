// `npm start`: builds the web client when it is missing or older than its sources, then runs the
// server. Installs nothing (the README's run command does `npm ci` first).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../server/config.js';
import { defaultExportCpus } from '../server/export/cpu-affinity.js';
import { runFromCommandLine } from '../server/main.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const clientSources = ['client', 'shared', 'vite.config.ts', 'package-lock.json'].map((p) => path.join(repoRoot, p));

function newestModification(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestModification(path.join(target, entry)));
  return newest;
}

// PDFs render on a CPU of their own unless told otherwise (EXPORT_CPUS=any): printing one then never
// takes the core that relays edits (README, Export). Only here: tests run many servers side by side.
if (process.env.EXPORT_CPUS === undefined) {
  const cpus = defaultExportCpus();
  if (cpus !== null) process.env.EXPORT_CPUS = cpus;
}

const config = readConfig();
const builtIndex = path.join(config.clientDir, 'index.html');
const builtAt = fs.existsSync(builtIndex) ? fs.statSync(builtIndex).mtimeMs : 0;
if (builtAt === 0 || Math.max(...clientSources.map(newestModification)) > builtAt) {
  process.stdout.write(builtAt === 0 ? 'Building the web client…\n' : 'Client sources changed; rebuilding…\n');
  const build = spawnSync('npx', ['vite', 'build', '--outDir', config.clientDir, '--emptyOutDir'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    process.stderr.write('The client build failed; see the output above.\n');
    process.exit(build.status ?? 1);
  }
}

await runFromCommandLine();
