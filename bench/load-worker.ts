// The load process: runs one scenario against one server and reports back over IPC, then exits. run.ts
// starts a fresh one per scenario, pinned to its own core, so the simulated clients never compete with the
// server for CPU and each scenario starts with a clean heap (no GC debt from the previous one).
import { runColdJoin, type ColdJoinConfig, type ColdJoinResult } from './cold-join.js';
import { runLiveScenario, type LiveScenarioConfig, type LiveScenarioResult } from './live-scenario.js';

export type WorkerJob = { kind: 'live'; config: LiveScenarioConfig } | { kind: 'cold'; config: ColdJoinConfig };

export type WorkerReply =
  | { ok: true; kind: 'live'; result: LiveScenarioResult }
  | { ok: true; kind: 'cold'; result: ColdJoinResult }
  | { ok: false; error: string };

async function handle(job: WorkerJob): Promise<WorkerReply> {
  try {
    if (job.kind === 'live') return { ok: true, kind: 'live', result: await runLiveScenario(job.config) };
    return { ok: true, kind: 'cold', result: await runColdJoin(job.config) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

if (!process.send) {
  console.error('bench/load-worker.ts is started by bench/run.ts (it needs an IPC channel); run `npm run bench`.');
  process.exit(2);
}

// A throw from a socket or timer callback would otherwise end the process with no explanation in the report.
const reportCrash = (error: unknown): void => {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const reply: WorkerReply = { ok: false, error: `load process crashed: ${detail}` };
  process.send?.(reply, () => process.exit(1));
};
process.on('uncaughtException', reportCrash);
process.on('unhandledRejection', reportCrash);

process.once('message', (job: WorkerJob) => {
  void handle(job).then((reply) => {
    // Exit as soon as the reply is out: lingering sockets or timers must not keep the process alive.
    process.send?.(reply, () => process.exit(0));
  });
});
