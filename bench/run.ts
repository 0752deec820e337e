// `npm run bench`: puts the same collaborative-editing load on Concord and on the reference peer
// (@y/websocket-server 0.1.1), a fresh server per scenario pinned to core 0 and a fresh load process pinned
// to core 1, then prints medians, Concord/peer ratios and the issue's targets, and writes the JSON to
// .bench/results-<date>.json. Only 127.0.0.1 is contacted, and every phase has a time bound.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildEditHistory, writeEditHistory } from './edit-history.js';
import type { WorkerJob, WorkerReply } from './load-worker.js';
import {
  checkTargets,
  computeRatios,
  renderRatios,
  renderTables,
  renderTargets,
  summarize,
  type RunRecord,
  type ScenarioSpec,
} from './report.js';
import {
  LOAD_CORE,
  PRIORITY_BOOST,
  SERVER_CORE,
  dedicatedCommand,
  pinProcess,
  tasksetAvailable,
  waitForQuietMachine,
} from './machine.js';
import { SERVER_LABELS, startServer, type ServerKind } from './servers.js';
import { round } from './stats.js';
import { defaultWarmupSeconds } from './warm-up.js';

const USAGE = `Usage: npm run bench -- [options]

  --duration <s>     measurement window of live scenarios (default 20)
  --warmup <s>       typing before the window opens (default 60 s for one document, 5 s for 20;
                     see bench/warm-up.ts)
  --runs <n>         repeat every scenario n times, interleaving servers, and report medians (default 1)
  --only <ids>       comma-separated scenarios: 1x16, 20x16, 1x200, cold (default: all)
  --servers <list>   comma-separated: concord, peer, floor (default: concord,peer); floor is
                     the leanest relay we could write, storing nothing (bench/floor-relay.ts)
  --quick            smoke run: 3 s windows, 1 s warm-up, fewer cold joins
  --out <file>       JSON path (default .bench/results-<date>.json)
  --help             this text

The servers inherit the environment, so Concord's own settings can be varied for diagnosis, e.g.
SQLITE_SYNCHRONOUS=NORMAL or STORAGE=memory; BENCH_SERVER_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/p'
passes Node flags to the servers only. Cross-check with the team harness: bench/cross-check.ts.`;

/** Hard stop for the whole bench (per requested run), whatever happens inside a scenario. */
const GLOBAL_LIMIT_MS_PER_RUN = 30 * 60 * 1000;

const SCENARIOS: readonly ScenarioSpec[] = [
  { id: '1x16', title: '1 document × 16 clients, all typing', kind: 'live', rooms: 1, clientsPerRoom: 16, writersPerRoom: 16 },
  { id: '20x16', title: '20 documents × 16 clients, all typing', kind: 'live', rooms: 20, clientsPerRoom: 16, writersPerRoom: 16 },
  { id: '1x200', title: '1 document × 200 clients, 10 typing', kind: 'live', rooms: 1, clientsPerRoom: 200, writersPerRoom: 10 },
  { id: 'cold', title: 'cold join, 100k-edit document', kind: 'cold', rooms: 1, clientsPerRoom: 0, writersPerRoom: 0 },
];

/**
 * A run that failed, or during which others used more than NOISY_CORES, is measured again (RETRIES times),
 * unless the bench has already run for RETRY_BUDGET_MS per requested run (a default run takes ~8 min).
 */
const NOISY_CORES = 0.15;
const RETRIES = 1;
const RETRY_BUDGET_MS = 16 * 60 * 1000;

const COLD_HISTORY = { edits: 100_000, sessions: 20, editsPerBatch: 1000, seed: 20261126 };

interface Options {
  durationSeconds: number;
  /** --warmup for every live scenario; undefined = each scenario's own (quick: 1 s). */
  warmupSeconds: number | undefined;
  settleSeconds: number;
  runs: number;
  scenarios: ScenarioSpec[];
  servers: ServerKind[];
  joins: number;
  burst: number;
  out: string | undefined;
  quick: boolean;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function warmupOf(spec: ScenarioSpec, options: Options): number {
  return options.warmupSeconds ?? defaultWarmupSeconds(spec.rooms);
}

function readOptions(): Options {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        runs: { type: 'string' },
        only: { type: 'string' },
        servers: { type: 'string' },
        quick: { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  if (parsed.help) fail(USAGE, 0);
  const quick = parsed.quick === true;
  const positive = (raw: string | undefined, fallback: number, name: string): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) fail(`--${name} must be a positive number, got "${raw}"`);
    return value;
  };
  const only = parsed.only?.split(',').map((s) => s.trim()) ?? SCENARIOS.map((s) => s.id);
  const unknown = only.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length > 0) fail(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  const servers = (parsed.servers?.split(',').map((s) => s.trim()) ?? ['concord', 'peer']) as ServerKind[];
  if (servers.some((s) => !(s in SERVER_LABELS)) || servers.length === 0) fail(`--servers takes a list of: ${Object.keys(SERVER_LABELS).join(', ')}`);
  return {
    durationSeconds: positive(parsed.duration, quick ? 3 : 20, 'duration'),
    warmupSeconds: parsed.warmup === undefined ? (quick ? 1 : undefined) : positive(parsed.warmup, 0, 'warmup'),
    settleSeconds: quick ? 0.5 : 2,
    runs: Math.round(positive(parsed.runs, 1, 'runs')),
    scenarios: SCENARIOS.filter((s) => only.includes(s.id)),
    servers,
    joins: quick ? 2 : 5,
    burst: quick ? 10 : 50,
    out: parsed.out,
    quick,
  };
}

/** Builds the cold-join document once and caches it: it is deterministic, and building takes seconds. */
function coldHistoryFile(): string {
  const dir = path.join(repoRoot, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `cold-history-${COLD_HISTORY.edits}-${COLD_HISTORY.sessions}-${COLD_HISTORY.seed}-v1.bin`);
  if (!existsSync(file)) {
    console.error(`building the ${COLD_HISTORY.edits}-edit document…`);
    const history = buildEditHistory(COLD_HISTORY);
    writeEditHistory(file, history);
    console.error(`  ${history.characters} characters, ${history.paragraphs} paragraphs, ${round(history.encodedBytes / 1024)} KiB encoded`);
  }
  return file;
}

/** Runs one job in a fresh load process on the load core; resolves with its reply, bounded by `timeoutMs`. */
function runInLoadProcess(job: WorkerJob, core: number | undefined, timeoutMs: number): Promise<WorkerReply> {
  const [command, args] = dedicatedCommand(core, process.execPath, ['--import', 'tsx', 'bench/load-worker.ts']);
  const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<WorkerReply>((resolve) => {
    let reply: WorkerReply | undefined;
    const timer = setTimeout(() => {
      reply ??= { ok: false, error: `load process timed out after ${Math.round(timeoutMs / 1000)} s` };
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (message: WorkerReply) => {
      reply ??= message;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(reply ?? { ok: false, error: `load process exited with code ${code} without a result` });
    });
    child.send(job);
  });
}

/** One progress line per scenario run, so a long bench shows what it found as it goes. */
function describe(record: RunRecord): string {
  if (record.error) return `FAILED: ${record.error.split('\n')[0]}`;
  const percent = (value: number): string => `${Math.round(value * 100)}%`;
  const warnings = (list: string[]): string => (list.length ? ` ⚠ ${list.join('; ')}` : '');
  if (record.live) {
    const r = record.live;
    return (
      `fan-out p50 ${round(r.fanoutMs.p50)} / p99 ${round(r.fanoutMs.p99)} ms, lost ${r.delivery.lost}, ` +
      `${round(r.server.cpuUsPerDelivery)} µs/delivery (${percent(r.server.systemShare)} kernel), server ${percent(r.server.cpuUtil)}, ` +
      `load ${percent(r.harness.cpuUtil)}, ${Math.round(r.traffic.framesToClients)} frames/s to clients` +
      warnings(r.warnings)
    );
  }
  if (record.cold) {
    const r = record.cold;
    return (
      `join ${round(r.joinTotalMs.p50)} ms (server ${round(r.joinServerMs.p50)}), ` +
      `50 at once p99 ${round(r.burst.receivedMs.p99)} ms${warnings(r.warnings)}`
    );
  }
  return 'no result';
}

function packageVersion(name: string): string {
  try {
    const file = path.join(repoRoot, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return 'missing';
  }
}

/** One scenario on one fresh server with one fresh load process. Never throws: failures go in the record. */
async function runScenarioOnce(
  spec: ScenarioSpec,
  kind: ServerKind,
  run: number,
  attempt: number,
  options: Options,
  historyFile: string,
  pinned: boolean,
): Promise<RunRecord> {
  const record: RunRecord = { run, attempt, scenario: spec.id, server: kind, startedAt: new Date().toISOString() };
  let server;
  try {
    record.busyCoresBefore = await waitForQuietMachine();
    record.startedAt = new Date().toISOString();
    server = await startServer(kind, repoRoot, pinned ? SERVER_CORE : undefined);
    const roomPrefix = `bench-${spec.id}-${run}-${attempt}`;
    await server.createDocuments(
      spec.kind === 'live'
        ? [`${roomPrefix}-preflight`, ...Array.from({ length: spec.rooms }, (_, r) => `${roomPrefix}-${r}`)]
        : [roomPrefix],
    );
    const job: WorkerJob =
      spec.kind === 'live'
        ? {
            kind: 'live',
            config: {
              baseUrl: server.baseUrl,
              socketQuery: server.socketQuery,
              roomPrefix,
              serverPid: server.pid,
              rooms: spec.rooms,
              clientsPerRoom: spec.clientsPerRoom,
              writersPerRoom: spec.writersPerRoom,
              typingRate: 2,
              awarenessRate: 2,
              echoAwareness: true,
              settleSeconds: options.settleSeconds,
              warmupSeconds: warmupOf(spec, options),
              durationSeconds: options.durationSeconds,
              drainSeconds: 10,
              connectConcurrency: 32,
            },
          }
        : {
            kind: 'cold',
            config: {
              baseUrl: server.baseUrl,
              socketQuery: server.socketQuery,
              documentId: roomPrefix,
              serverPid: server.pid,
              historyFile,
              joins: options.joins,
              burst: options.burst,
              echoAwareness: true,
            },
          };
    const budgetSeconds =
      spec.kind === 'live' ? options.settleSeconds + warmupOf(spec, options) + options.durationSeconds + 180 : 300;
    const reply = await runInLoadProcess(job, pinned ? LOAD_CORE : undefined, budgetSeconds * 1000);
    if (!reply.ok) record.error = reply.error;
    else if (reply.kind === 'live') record.live = reply.result;
    else record.cold = reply.result;
  } catch (error) {
    record.error = error instanceof Error ? error.message : String(error);
  } finally {
    await server?.stop();
  }
  return record;
}

/** "60 s (1x16, 1x200), 5 s (20x16)" */
function warmups(options: Options): string {
  const byLength = new Map<number, string[]>();
  for (const spec of options.scenarios) {
    if (spec.kind !== 'live') continue;
    const seconds = warmupOf(spec, options);
    byLength.set(seconds, [...(byLength.get(seconds) ?? []), spec.id]);
  }
  return [...byLength].map(([seconds, ids]) => `${seconds} s (${ids.join(', ')})`).join(', ') || 'none';
}

async function main(): Promise<void> {
  const options = readOptions();
  const globalTimer = setTimeout(() => fail('bench: global time limit reached', 3), GLOBAL_LIMIT_MS_PER_RUN * options.runs);
  globalTimer.unref();

  // Count cores before pinning: afterwards this process sees only its own.
  if (os.availableParallelism() < 2) console.error('⚠ fewer than 2 cores: server and load will share a core.');
  const pinned = tasksetAvailable();
  if (pinned) {
    // The orchestrator stays off the server's core too; load processes are pinned explicitly below.
    pinProcess(process.pid, LOAD_CORE);
  } else {
    console.error('⚠ taskset (util-linux) not found: servers and load are NOT pinned; figures are less comparable.');
  }
  if (options.servers.includes('concord') && !existsSync(path.join(repoRoot, 'server', 'main.ts'))) {
    fail('server/main.ts does not exist yet; run with --servers peer to measure the reference peer alone.');
  }
  const historyFile = options.scenarios.some((s) => s.kind === 'cold') ? coldHistoryFile() : '';
  const startedAt = new Date();
  const records: RunRecord[] = [];

  for (let run = 1; run <= options.runs; run++) {
    for (const [index, spec] of options.scenarios.entries()) {
      // Alternate which server goes first, so neither always meets a warmer (or more tired) machine.
      const order = (run + index) % 2 === 1 ? options.servers : [...options.servers].reverse();
      for (const kind of order) {
        const tag = `[run ${run}/${options.runs}] ${spec.id} on ${SERVER_LABELS[kind]}`;
        for (let attempt = 1; ; attempt++) {
          console.error(`${tag}…`);
          const record = await runScenarioOnce(spec, kind, run, attempt, options, historyFile, pinned);
          records.push(record);
          console.error(`${tag}: ${describe(record)}`);
          const noise = record.live?.otherCpuUtil ?? record.cold?.otherCpuUtil ?? 0;
          const overBudget = Date.now() - startedAt.getTime() > RETRY_BUDGET_MS * options.runs;
          if ((noise <= NOISY_CORES && !record.error) || attempt > RETRIES || overBudget) break;
          // A neighbour's burst in the window distorts latencies, and a server caught mid-edit may not
          // start: measure again rather than report either.
          record.superseded = record.error
            ? `failed (${record.error.split('\n')[0]}); measured again`
            : `other processes used ${Math.round(noise * 100)}% of a core; measured again`;
          console.error(`${tag}: ${record.superseded}`);
        }
      }
    }
  }

  const summaries = summarize(options.scenarios, records.filter((r) => !r.superseded), options.servers);
  const ratios = computeRatios(options.scenarios, summaries);
  const targets = checkTargets(options.scenarios, summaries);
  const finishedAt = new Date();
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    pinned,
    niceness: PRIORITY_BOOST,
  };

  console.log(`\nConcord benchmark, ${startedAt.toISOString()} (machine clock), ${options.runs} run(s), ` +
    `window ${options.durationSeconds} s after a warm-up of ${warmups(options)}${options.quick ? ', QUICK smoke run' : ''}`);
  console.log(`Machine: ${machine.cpus} × ${machine.cpuModel}, Linux ${machine.kernel}, Node ${machine.node}; ` +
    `server on core ${SERVER_CORE}, load on core ${LOAD_CORE}${pinned ? '' : ' (NOT pinned)'}` +
    `${PRIORITY_BOOST !== 0 ? `, both at nice ${PRIORITY_BOOST}` : ''}\n`);
  console.log(renderTables(options.scenarios, summaries, options.servers));
  const ratioTable = renderRatios(options.scenarios, ratios);
  if (ratioTable) console.log(`\nConcord / peer (below 1× means Concord is better):\n\n${ratioTable}`);
  if (targets.length > 0) console.log(`\nTargets:\n${renderTargets(targets)}`);
  const warnings: string[] = [];
  for (const spec of options.scenarios) {
    for (const kind of options.servers) {
      const summary = summaries.live[spec.id]?.[kind] ?? summaries.cold[spec.id]?.[kind];
      for (const warning of summary?.warnings ?? []) warnings.push(`${spec.id} on ${SERVER_LABELS[kind]}: ${warning}`);
    }
  }
  if (warnings.length > 0) console.log(`\nWarnings:\n${warnings.map((w) => `- ${w}`).join('\n')}`);

  const out = options.out ?? path.join(repoRoot, '.bench', `results-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine,
    versions: {
      yjs: packageVersion('yjs'),
      'y-protocols': packageVersion('y-protocols'),
      ws: packageVersion('ws'),
      '@y/websocket-server': packageVersion('@y/websocket-server'),
    },
    options: {
      ...options,
      scenarios: options.scenarios.map((s) => s.id),
      warmupSeconds: Object.fromEntries(options.scenarios.filter((s) => s.kind === 'live').map((s) => [s.id, warmupOf(s, options)])),
    },
    coldHistory: COLD_HISTORY,
    summaries,
    ratios,
    targets,
    records,
  };
  writeFileSync(out, `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' ? round(value, 4) : value), 2)}\n`);
  console.log(`\nJSON: ${path.relative(process.cwd(), out)}`);

  // Exit status is about correctness (loss, divergence, incomplete joins), not about a noisy machine.
  const healthy = records
    .filter((r) => !r.superseded)
    .every(
      (r) =>
        !r.error &&
        (!r.live || (r.live.delivery.lost === 0 && r.live.converged && r.live.serverCopyMatches)) &&
        (!r.cold || (r.cold.contentMatches && r.cold.burst.complete === r.cold.burst.clients)),
    );
  process.exit(healthy ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
