// Numbers for the benchmark: latency percentiles, medians across runs, and the /proc readers that give a
// server's CPU time and memory from outside the process (so both servers are measured the same way).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Percentiles of one latency sample set, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * A growable list of float samples. Live runs record ~200k delivery latencies; a typed array keeps that
 * out of the garbage collector's way, which would otherwise add pauses to the very latencies we measure.
 */
export class SampleBuffer {
  private data = new Float64Array(4096);
  private size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = value;
  }

  get length(): number {
    return this.size;
  }

  summary(): LatencySummary {
    const sorted = this.data.slice(0, this.size).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      count: this.size,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: this.size === 0 ? Number.NaN : (sorted[this.size - 1] ?? Number.NaN),
      mean: this.size === 0 ? Number.NaN : sum / this.size,
    };
  }
}

/** Nearest-rank percentile of ascending data: the smallest value with at least p% of samples at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function summarize(values: readonly number[]): LatencySummary {
  const buffer = new SampleBuffer();
  for (const v of values) buffer.push(v);
  return buffer.summary();
}

/** Median that ignores NaN (a run that produced no figure must not erase the others). */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1
    ? (finite[mid] ?? Number.NaN)
    : ((finite[mid - 1] ?? Number.NaN) + (finite[mid] ?? Number.NaN)) / 2;
}

// /proc/<pid>/stat counts CPU time in clock ticks; Node has no sysconf(), so ask getconf once.
let clockTicksPerSecond: number | undefined;
function clockTicks(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSecond = 100; // the Linux default on every architecture we run on
    }
  }
  return clockTicksPerSecond;
}

/**
 * CPU seconds (user + system, all threads) a process has used so far. Resolution is one tick (10 ms),
 * so only differences over a window of seconds are meaningful.
 */
export function readProcessCpuSeconds(pid: number): number {
  const { user, system } = readProcessCpuSplit(pid);
  return user + system;
}

/** CPU seconds the process (all its threads) has spent in user space and in the kernel. */
export function readProcessCpuSplit(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses; fields after its closing ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is index 0, so utime (field 14) is index 11 and stime (field 15) is index 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { user: utime / clockTicks(), system: stime / clockTicks() };
}

/**
 * CPU seconds the whole machine has spent busy in processes (user + nice + system, all cores) since boot.
 * Over a window, this minus the server's and the load generator's own CPU is what *other* processes used:
 * on a shared machine that is the noise that makes latencies unreliable.
 */
export function readMachineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user, nice, system] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0)) / clockTicks();
}

/**
 * CPU seconds the hypervisor gave to other guests while this machine's vCPUs wanted to run (steal, all
 * cores) since boot: on a shared VM, a window with steal is a window where every process here stalled.
 */
export function readStealSeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const steal = Number(line.trim().split(/\s+/)[8] ?? 0);
  return steal / clockTicks();
}

export interface DiskActivity {
  writes: number;
  writtenMiB: number;
  flushes: number;
}

/**
 * Writes, MiB written and cache flushes (fdatasync reaches the device as one) completed by the machine's
 * disks since boot (/proc/diskstats; whole disks only: partitions, loop, zram, ram and dm devices
 * would count the same requests twice or are not disks). Over a window it shows
 * whether something else (Chromium writing its files) shares the disk the server syncs to.
 */
export function readDiskActivity(): DiskActivity {
  const total = { writes: 0, writtenMiB: 0, flushes: 0 };
  for (const line of readFileSync('/proc/diskstats', 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/);
    const name = fields[2] ?? '';
    if (!name || /^(loop|zram|ram|dm-)/.test(name) || /\d$/.test(name.replace(/^(nvme\d+n|mmcblk)\d+$/, ''))) continue;
    total.writes += Number(fields[7] ?? 0);
    total.writtenMiB += (Number(fields[9] ?? 0) * 512) / (1024 * 1024);
    total.flushes += Number(fields[18] ?? 0);
  }
  return total;
}

/** A memory figure from /proc/<pid>/status in MiB: VmRSS (now) or VmHWM (peak resident set). */
export function readProcessMemoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) / 1024;
}

/** Rounds for JSON and tables without hiding small values (µs figures matter at 3 significant digits). */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  if (value === 0) return 0;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** Math.max(0, digits - 1 - magnitude);
  return Math.round(value * factor) / factor;
}
