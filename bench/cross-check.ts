// Cross-checks `npm run bench` against the team's reference harness (shared/bench/relay-bench.mjs): starts
// each server exactly as run.ts does (fresh, pinned to the server core), prepares the documents the
// harness will open (Concord needs them to exist and a session token in the URL), runs the harness pinned
// to the load core, and prints its figures side by side. The harness is an argument, never imported, so
// this repository does not depend on ../shared at run time.
//
//   npx tsx bench/cross-check.ts --harness /tmp/relay-bench/relay-bench.mjs [--shapes 1x16,20x16,1x200/10]
//     [--harness-args='--awareness-echo off']   (passed to relay-bench as they are, for diagnosis)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOAD_CORE, SERVER_CORE, dedicatedCommand, pinProcess, tasksetAvailable, waitForQuietMachine } from './machine.js';
import { SERVER_LABELS, startServer, type ServerKind } from './servers.js';
import { defaultWarmupSeconds } from './warm-up.js';

/** The parts of relay-bench's live report we compare. */
interface HarnessReport {
  latency_ms: { fanout: { p50: number; p95: number; p99: number; max: number } };
  delivery: { lost: number };
  server?: { cpu_measure?: { util: number }; cpu_us_per_delivery: number | null; hwm_mb: number };
  harness: { cpu_util: number };
  pass: boolean;
  warnings: string[];
}

interface Shape {
  label: string;
  rooms: number;
  clients: number;
  writers: number;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** "20x16" = 20 rooms of 16, all typing; "1x200/10" = 10 of them typing. */
function parseShape(text: string): Shape {
  const match = /^(\d+)x(\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`--shapes: "${text}" is not ROOMSxCLIENTS[/WRITERS]`);
  const clients = Number(match[2]);
  return { label: text.trim(), rooms: Number(match[1]), clients, writers: match[3] ? Number(match[3]) : clients };
}

function runHarness(harness: string, args: string[], timeoutMs: number): Promise<number | null> {
  const [command, commandArgs] = dedicatedCommand(tasksetAvailable() ? LOAD_CORE : undefined, process.execPath, [harness, ...args]);
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      harness: { type: 'string' },
      shapes: { type: 'string', default: '1x16,20x16' },
      servers: { type: 'string', default: 'concord,peer' },
      // Default: per shape, as npm run bench does (bench/warm-up.ts).
      warmup: { type: 'string' },
      duration: { type: 'string', default: '20' },
      'harness-args': { type: 'string', default: '' },
    },
  });
  const harness = values.harness && path.resolve(values.harness);
  if (!harness || !existsSync(harness)) {
    console.error('Usage: npx tsx bench/cross-check.ts --harness <path to relay-bench.mjs> [--shapes 1x16,20x16] [--servers concord,peer]');
    console.error('Copy shared/bench somewhere writable and run `npm ci` there first (it pins its own yjs and ws).');
    process.exit(2);
  }
  const shapes = values.shapes.split(',').map(parseShape);
  const servers = values.servers.split(',').map((s) => s.trim()) as ServerKind[];
  const pinned = tasksetAvailable();
  if (pinned) pinProcess(process.pid, LOAD_CORE);
  const outDir = path.join(repoRoot, '.bench', `cross-check-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(outDir, { recursive: true });

  const rows: string[] = [];
  for (const shape of shapes) {
    for (const kind of servers) {
      await waitForQuietMachine();
      const server = await startServer(kind, repoRoot, pinned ? SERVER_CORE : undefined);
      const prefix = `xc${shape.rooms}x${shape.clients}`;
      const out = path.join(outDir, `${shape.label.replace('/', 'w')}-${kind}.json`);
      const warmup = values.warmup ?? String(defaultWarmupSeconds(shape.rooms));
      try {
        // relay-bench opens `<prefix>-preflight` first, then `<prefix>-0` … `<prefix>-(R-1)`.
        await server.createDocuments([`${prefix}-preflight`, ...Array.from({ length: shape.rooms }, (_, r) => `${prefix}-${r}`)]);
        console.error(`relay-bench ${shape.label} on ${SERVER_LABELS[kind]}…`);
        const code = await runHarness(
          harness,
          [
            '--url', `${server.baseUrl}${server.socketQuery}`,
            '--pid', String(server.pid),
            '--rooms', String(shape.rooms),
            '--clients-per-room', String(shape.clients),
            '--writers-per-room', String(shape.writers),
            '--warmup', warmup,
            '--duration', values.duration,
            '--room-prefix', prefix,
            '--quiet',
            '--out', out,
            ...values['harness-args'].split(' ').filter(Boolean),
          ],
          (Number(warmup) + Number(values.duration) + 240) * 1000,
        );
        if (!existsSync(out)) {
          rows.push(`| ${shape.label} | ${SERVER_LABELS[kind]} | harness exited ${code} without a report | | | | | | |`);
          continue;
        }
        const report = JSON.parse(readFileSync(out, 'utf8')) as HarnessReport;
        const f = report.latency_ms.fanout;
        const cells = [
          `${shape.label} (warm-up ${warmup} s)`,
          SERVER_LABELS[kind],
          `${f.p50} / ${f.p95} / **${f.p99}**`,
          f.max,
          report.delivery.lost,
          `${Math.round((report.server?.cpu_measure?.util ?? Number.NaN) * 100)}%`,
          report.server?.cpu_us_per_delivery ?? '–',
          report.server?.hwm_mb ?? '–',
          `${Math.round(report.harness.cpu_util * 100)}%`,
          `${report.pass ? 'yes' : 'NO'}${report.warnings.length ? ` ⚠ ${report.warnings.join('; ')}` : ''}`,
        ];
        rows.push(`| ${cells.join(' | ')} |`);
      } finally {
        await server.stop();
      }
    }
  }
  console.log(`\nrelay-bench cross-check, ${new Date().toISOString()}, window ${values.duration} s\n`);
  console.log(
    '| load | server | fan-out p50 / p95 / p99 ms | max ms | lost | server CPU | server µs / delivery | ' +
      'server peak RSS MB | harness CPU | pass |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log(`\nReports: ${path.relative(process.cwd(), outDir)} (${rows.length} runs)`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
