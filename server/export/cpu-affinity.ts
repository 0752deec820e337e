// EXPORT_CPUS: rendering on some CPUs, relaying edits on the others. A task woken on a core that runs
// an idle-priority task (Chromium) may wait there for the next timer tick (measured: a SCHED_IDLE spin
// loop on the server's core doubles the 1×16 room's p50); kept apart, that cannot happen. Measured
// with bench:export on a 2-vCPU VM (README, Export): the server's relay p99 while PDFs render back to
// back ×0.45–0.78 with exports on a core of their own, ×1.13–1.40 with Chromium on both cores. So
// `npm start` does it by default on any machine with two CPUs or more (defaultExportCpus;
// EXPORT_CPUS=any turns it off).
// Linux only (taskset, /proc); a confinement this machine cannot honour is a startup error, not a
// surprise at the first export.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';

/** "0,2-3" → [0, 2, 3]. The syntax was checked when the configuration was read. */
export function parseCpuList(list: string): number[] {
  const cpus = new Set<number>();
  for (const part of list.split(',')) {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    for (let cpu = from; cpu <= to; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/**
 * The CPUs this process may run on now (its affinity: a container, or `taskset` around `npm start`,
 * may have narrowed it). The export process may still be placed outside it: onCpus checks by trying.
 */
export function allowedCpus(): number[] {
  const line = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!line?.[1]) throw new ConfigError('EXPORT_CPUS needs /proc/self/status (Linux)');
  return parseCpuList(line[1]);
}

function taskset(): string {
  const found = ['/usr/bin/taskset', '/bin/taskset'].find((candidate) => existsSync(candidate));
  if (!found) throw new ConfigError('EXPORT_CPUS needs taskset (Debian package util-linux), which is not installed');
  return found;
}

/** Confines a command (and everything it starts: Chromium) to `cpus`; null leaves it free. */
export function onCpus(cpus: string | null, command: string[]): string[] {
  if (cpus === null) return command;
  const tool = taskset();
  if (spawnSync(tool, ['-c', cpus, 'true'], { stdio: 'ignore' }).status !== 0) {
    throw new ConfigError(`EXPORT_CPUS="${cpus}" names CPUs this machine does not let Concord use`);
  }
  return [tool, '-c', cpus, ...command];
}

/**
 * `npm start`'s EXPORT_CPUS when none is set: the last CPU this process may use, if it may use two or
 * more and taskset exists; else null (exports then share every CPU, at idle priority).
 */
export function defaultExportCpus(): string | null {
  try {
    const cpus = allowedCpus();
    if (cpus.length < 2) return null;
    taskset();
    return String(cpus[cpus.length - 1]);
  } catch {
    return null;
  }
}

/**
 * Moves this whole process (every thread: libuv's pool, V8's helpers) off the export CPUs, so that
 * rendering and relaying never share a core. Threads started later inherit it. Returns the CPUs the
 * server keeps (of those it had). For `npm start` only: tests run servers inside their own process,
 * which must not be pinned.
 */
export function keepServerOffExportCpus(exportCpus: string): number[] {
  const exporting = new Set(parseCpuList(exportCpus));
  const allowed = allowedCpus();
  const serverCpus = allowed.filter((cpu) => !exporting.has(cpu));
  if (serverCpus.length === 0) {
    throw new ConfigError(`EXPORT_CPUS="${exportCpus}" leaves no CPU for relaying edits (this process may use ${allowed.join(',')})`);
  }
  execFileSync(taskset(), ['-a', '-p', '-c', serverCpus.join(','), String(process.pid)], { stdio: 'ignore' });
  return serverCpus;
}
