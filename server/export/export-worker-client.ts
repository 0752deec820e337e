// Runs export jobs in the export process (export-worker.ts), and the versions panel's heavy reads
// (compare-job.ts, describe-job.ts), so that the process relaying live edits is never held up by
// them: loading a long document, reading and hashing its text, diffing, building HTML/DOCX and
// talking to Chromium all happen there, at the lowest CPU priority (SCHED_IDLE, or nice 19 where chrt
// is missing), and so does its Chromium. Measured on the bench's 50-page communiqué (200,000
// characters, 101 PDF pages): in the server's own event loop each export blocked ~125 ms plus
// 10-27 ms stalls while Chromium's answers were decoded (live fan-out p99 7 → 200+ ms during
// back-to-back exports); on a thread of the same process the p99 still doubled, because a thread's
// nice value does not reach the garbage collector's helper threads it keeps busy. A process of its
// own is niced whole.
//
// The process starts on the first job (an export, a versions list, an automatic version; it loads for
// ~1.5 s at idle priority) and again after a crash (jobs in flight then fail with 503). Starting it
// with every server was tried: each of the test suite's ~100 servers then paid that load on two cores
// (the server tests 48 → 61-66 s, and idle-priority jobs starved into timeouts). One still loading
// when the server closes is killed at once (it has no browser and no job yet).
// Exports and comparisons beyond MAX_JOBS_IN_FLIGHT are refused with 503 export_busy (reads of the
// live text are not: see describe()); the PDF renderer inside keeps its own bound and timeout.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HttpError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { CompareJob, CompareOutput } from '../versions/compare-job.js';
import type { DescribeJob, DescribeOutput } from '../versions/describe-job.js';
import type { ExportJob, RenderedExport } from './export-job.js';
import { onCpus } from './cpu-affinity.js';
import { INSTALL_CHROMIUM, findChromium } from './find-chromium.js';

export interface ExportWorkerData {
  chromiumPath: string | null;
  logLevel: string;
  /** The SQLite file live text is read from; null with in-memory storage (jobs then carry the state). */
  storedFile: string | null;
}

/** The environment variable that carries ExportWorkerData (JSON) to the export process. */
export const EXPORT_WORKER_ENV = 'CONCORD_EXPORT_WORKER';

export type ExportRequest =
  | { type: 'job'; id: number; job: ExportJob }
  | { type: 'compare'; id: number; job: CompareJob }
  | { type: 'describe'; id: number; job: DescribeJob }
  /** Sent with the client's socket: write `head` and then the file of export `id`, and close it. */
  | { type: 'deliver'; id: number; head: string }
  /** The client of export `id` is gone: drop its file. */
  | { type: 'discard'; id: number }
  | { type: 'close' };

type JobOutput = RenderedExport | CompareOutput | DescribeOutput;

export type ExportReply =
  | { id: number; ok: true; output: JobOutput }
  | { id: number; ok: false; status: ContentfulStatusCode; code: string; message: string }
  /** Sent once the process has loaded its code and takes jobs. */
  | { type: 'ready' };

const BOOT_FILE = fileURLToPath(new URL('./export-worker-boot.mjs', import.meta.url));
/**
 * Starts the whole process (every thread it will start, and Chromium) at the lowest priority: SCHED_IDLE
 * where chrt exists (a task of that class gives way at once whenever another wants the core), else nice 19.
 */
export function lowPriority(command: string[]): string[] {
  const chrt = ['/usr/bin/chrt', '/bin/chrt'].find((candidate) => existsSync(candidate));
  // Some containers refuse scheduling-class changes: try it once before relying on it.
  if (chrt && spawnSync(chrt, ['--idle', '0', 'true'], { stdio: 'ignore' }).status === 0) return [chrt, '--idle', '0', ...command];
  const nice = ['/usr/bin/nice', '/bin/nice'].find((candidate) => existsSync(candidate));
  return nice ? [nice, '-n', '19', ...command] : command;
}

/** Jobs handed to the export process and not yet answered (each may hold a copy of a long document). */
export const MAX_JOBS_IN_FLIGHT = 12;
/** Beyond the PDF renderer's own 30 s: a job the export process never answers still ends. */
const JOB_TIMEOUT_MS = 90_000;
const CLOSE_TIMEOUT_MS = 5_000;

interface PendingJob {
  /** An export: its file waits in the export process for deliver() or discard(). */
  keepsFile: boolean;
  resolve(output: JobOutput): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class ExportWorker {
  private worker: ChildProcess | null = null;
  /** Whether the current process has said it is ready (a process still loading has nothing to close). */
  private ready = false;
  private readonly pending = new Map<number, PendingJob>();
  /** Ids of exports rendered by the current process and not yet delivered or discarded. */
  private readonly rendered = new Set<number>();
  private nextId = 1;
  private closed = false;

  private readonly command: string[];

  constructor(private readonly options: ExportWorkerData & { log: Logger; cpus?: string | null }) {
    this.command = lowPriority(onCpus(options.cpus ?? null, [process.execPath, BOOT_FILE]));
  }

  /** 503 export_unavailable, saying how to install Chromium, when PDF export cannot work here. */
  requirePdfAvailable(): void {
    if (!findChromium(this.options.chromiumPath)) throw new HttpError(503, 'export_unavailable', INSTALL_CHROMIUM);
  }

  /** Renders an export; its file stays in the export process until deliver() or discard(). */
  run(job: ExportJob): Promise<RenderedExport> {
    return this.submit({ type: 'job', id: this.nextId++, job }, 'exports') as Promise<RenderedExport>;
  }

  /**
   * Hands the client's socket to the export process, which writes `head` (a complete HTTP/1.1 response
   * head) and the file, then closes the connection. Why: a 101-page PDF is 1.5 MB; received over IPC,
   * deserialized and written out again by the server, it cost the relaying event loop milliseconds of
   * work and garbage per export. Throws (before giving anything away) when the process that rendered
   * the file is gone.
   */
  deliver(rendered: RenderedExport, head: string, socket: Socket): void {
    const worker = this.worker;
    if (!worker?.connected || !this.rendered.has(rendered.id)) {
      throw new HttpError(503, 'export_failed', 'the export process stopped before sending the file; try again');
    }
    this.rendered.delete(rendered.id);
    // Sending takes the socket's handle away from this process (the export process closes the
    // connection); destroying what remains here lets the HTTP server forget the request. Had the send
    // failed, the handle is closed with it and the client sees the connection end without a response.
    worker.send({ type: 'deliver', id: rendered.id, head } satisfies ExportRequest, socket, () => socket.destroy());
  }

  /** Drops a rendered file nobody will collect (its client went away). */
  discard(rendered: RenderedExport): void {
    if (!this.rendered.delete(rendered.id)) return;
    if (this.worker?.connected) this.worker.send({ type: 'discard', id: rendered.id } satisfies ExportRequest);
  }

  /** Compares two versions in the export process (server/versions/compare-job.ts). */
  compare(job: CompareJob): Promise<CompareOutput> {
    return this.submit({ type: 'compare', id: this.nextId++, job }, 'comparisons') as Promise<CompareOutput>;
  }

  /** Reads a live text (hash and size, and what else the job asks for) in the export process (describe-job.ts). */
  describe(job: DescribeJob): Promise<DescribeOutput> {
    // Not bounded: a versions list must not fail because exports fill the queue, and reads of one
    // text are shared (VersionService.liveStatus); from disk it carries no copy of the document.
    return this.submit({ type: 'describe', id: this.nextId++, job }, 'texts', false) as Promise<DescribeOutput>;
  }

  private submit(request: ExportRequest & { id: number }, what: string, bounded = true): Promise<JobOutput> {
    if (this.closed) return Promise.reject(new HttpError(503, 'shutting_down', 'the server is shutting down'));
    if (bounded && this.pending.size >= MAX_JOBS_IN_FLIGHT) {
      return Promise.reject(new HttpError(503, 'export_busy', `too many ${what} are being prepared; try again in a moment`));
    }
    const { id } = request;
    const worker = this.thread();
    return new Promise<JobOutput>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HttpError(503, 'export_timeout', `preparing ${what} took too long; try again`));
      }, JOB_TIMEOUT_MS);
      this.pending.set(id, { keepsFile: request.type === 'job', resolve, reject, timer });
      worker.send(request, (error) => {
        if (!error) return;
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new HttpError(503, 'export_failed', 'the export process is not available; try again'));
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new HttpError(503, 'shutting_down', 'the server is shutting down'));
    if (!worker) return;
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Still loading (at idle priority, on a busy machine maybe for seconds): no browser, no job, nothing
    // to close gracefully.
    if (!this.ready) worker.kill('SIGKILL');
    else if (worker.connected) worker.send({ type: 'close' } satisfies ExportRequest);
    const timer = setTimeout(() => worker.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private thread(): ChildProcess {
    if (this.worker) return this.worker;
    const { chromiumPath, logLevel, storedFile, log } = this.options;
    const [command, ...args] = this.command;
    const worker = spawn(command as string, args, {
      // Typed arrays (document states, PDF bytes) cross the channel as bytes, not as JSON.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [EXPORT_WORKER_ENV]: JSON.stringify({ chromiumPath, logLevel, storedFile } satisfies ExportWorkerData) },
    });
    // An idle export process keeps nothing alive; jobs in flight keep their requests open anyway.
    worker.unref();
    worker.channel?.unref();
    this.ready = false;
    worker.on('message', (reply: ExportReply) => {
      if ('type' in reply) {
        if (this.worker === worker) this.ready = true;
        return;
      }
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      clearTimeout(job.timer);
      if (reply.ok) {
        if (job.keepsFile) this.rendered.add(reply.id);
        job.resolve(reply.output);
      }
      else job.reject(new HttpError(reply.status, reply.code, reply.message));
    });
    worker.on('error', (error) => {
      log.error({ err: describeError(error) }, 'export process failed; it restarts with the next export');
      // A process that never started emits no 'exit': fail its jobs now instead of at their timeout.
      if (worker.pid === undefined) {
        if (this.worker === worker) this.worker = null;
        this.failAll(new HttpError(503, 'export_failed', 'the export process could not start; try again'));
      }
    });
    worker.on('exit', (code, signal) => {
      if (this.worker === worker) {
        this.worker = null;
        this.rendered.clear();
      }
      if (!this.closed) this.failAll(new HttpError(503, 'export_failed', `the export process stopped (${signal ?? code}); try again`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      clearTimeout(job.timer);
      job.reject(error);
    }
  }
}
