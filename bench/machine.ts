// How the bench shares the machine: the server and the load process each get a core (taskset), a
// priority boost on a shared machine, and a wait for other processes to go quiet before measuring.
import { spawnSync } from 'node:child_process';
import { readMachineBusySeconds } from './stats.js';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export function tasksetAvailable(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Pins an existing process (all its threads) to one core, e.g. the bench process itself. */
export function pinProcess(pid: number, core: number): boolean {
  return spawnSync('taskset', ['-a', '-c', '-p', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

/**
 * The project machine is shared with test runs and browsers, and Linux's autogroup scheduling shares a
 * core fairly between *sessions*, whatever a process's nice value. So, as root, the server and the load
 * process each start in a session of their own (setsid) whose autogroup gets nice -10: a neighbour's
 * burst then takes ~10% of their core instead of half. Both servers get the same treatment.
 */
export const PRIORITY_BOOST = process.getuid?.() === 0 ? -10 : 0;

/**
 * A command line that runs `command` on one core (undefined = unpinned, when taskset is missing) at the
 * boosted priority. setsid, sh, nice and taskset all exec in place, so the child's PID is the command's own.
 */
export function dedicatedCommand(core: number | undefined, command: string, args: string[], boost = true): [string, string[]] {
  let line = [command, ...args];
  if (core !== undefined) line = ['taskset', '-c', String(core), ...line];
  if (boost && PRIORITY_BOOST !== 0) {
    const nice = String(PRIORITY_BOOST);
    // The shell raises its own (new) session's autogroup, then becomes the command; a kernel without
    // autogroups just ignores the write.
    const boost = `{ echo ${nice} > /proc/self/autogroup; } 2>/dev/null; exec "$@"`;
    line = ['setsid', 'sh', '-c', boost, 'sh', 'nice', '-n', nice, ...line];
  }
  const [first, ...rest] = line;
  return [first ?? command, rest];
}

/**
 * Before each scenario we wait until other processes use less than this many cores, for at most
 * QUIET_WAIT_LIMIT_MS (then measure anyway); each result also reports what others used during it.
 */
export const QUIET_CORES = 0.15;
export const QUIET_WAIT_LIMIT_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until the machine is quiet; returns the CPU, in cores, others used in the last second. */
export async function waitForQuietMachine(): Promise<number> {
  const deadline = Date.now() + QUIET_WAIT_LIMIT_MS;
  let announced = false;
  for (;;) {
    const before = readMachineBusySeconds();
    await sleep(1000);
    const busyCores = readMachineBusySeconds() - before;
    if (busyCores < QUIET_CORES) return busyCores;
    const busy = `${Math.round(busyCores * 100)}% of a core`;
    if (Date.now() > deadline) {
      console.error(`  ⚠ machine still busy (${busy}) after ${QUIET_WAIT_LIMIT_MS / 1000} s; measuring anyway`);
      return busyCores;
    }
    if (!announced) console.error(`  waiting for other processes to finish (${busy} busy)…`);
    announced = true;
  }
}

