// Runs export jobs on the export worker thread (export-worker.ts), so that the event loop relaying
// live edits is never held up by an export: reading a long text out of its Yjs state, hashing it,
// building HTML/DOCX and talking to Chromium all happen there. Measured before this split (200,000
// characters, 101 PDF pages): ~125 ms of blocking per export plus 10-27 ms stalls while Chromium's
// answers were decoded, which took live fan-out p99 from 7 to over 200 ms during back-to-back exports.
//
// The thread starts on the first export and again after a crash (jobs in flight then fail with 503).
// Jobs beyond MAX_JOBS_IN_FLIGHT are refused with 503 export_busy; the PDF renderer inside keeps its
// own bound and timeout.
import { Worker } from 'node:worker_threads';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HttpError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ExportJob, ExportOutput } from './export-job.js';
import { INSTALL_CHROMIUM, findChromium } from './pdf-renderer.js';

export interface ExportWorkerData {
  chromiumPath: string | null;
  logLevel: string;
  /** The SQLite file live text is read from; null with in-memory storage (jobs then carry the state). */
  storedFile: string | null;
}

export type ExportRequest = { type: 'job'; id: number; job: ExportJob } | { type: 'close' };

export type ExportReply =
  | { id: number; ok: true; output: ExportOutput }
  | { id: number; ok: false; status: ContentfulStatusCode; code: string; message: string };

const BOOT_URL = new URL('./export-worker-boot.mjs', import.meta.url);
/** Jobs handed to the thread and not yet answered (each may hold a copy of a long document). */
const MAX_JOBS_IN_FLIGHT = 12;
/** Beyond the PDF renderer's own 30 s: a job the thread never answers still ends. */
const JOB_TIMEOUT_MS = 90_000;
const CLOSE_TIMEOUT_MS = 5_000;

interface PendingJob {
  resolve(output: ExportOutput): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class ExportWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, PendingJob>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ExportWorkerData & { log: Logger }) {}

  /** 503 export_unavailable, saying how to install Chromium, when PDF export cannot work here. */
  requirePdfAvailable(): void {
    if (!findChromium(this.options.chromiumPath)) throw new HttpError(503, 'export_unavailable', INSTALL_CHROMIUM);
  }

  run(job: ExportJob): Promise<ExportOutput> {
    if (this.closed) return Promise.reject(new HttpError(503, 'shutting_down', 'the server is shutting down'));
    if (this.pending.size >= MAX_JOBS_IN_FLIGHT) {
      return Promise.reject(new HttpError(503, 'export_busy', 'too many exports are being prepared; try again in a moment'));
    }
    const id = this.nextId++;
    const worker = this.thread();
    return new Promise<ExportOutput>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HttpError(503, 'export_timeout', 'the export took too long; try again'));
      }, JOB_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      const request: ExportRequest = { type: 'job', id, job };
      // The live state is handed over, not copied: the caller encoded it for this job alone.
      const transfer = job.text.kind === 'state' ? [job.text.state.buffer as ArrayBuffer] : [];
      worker.postMessage(request, transfer);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new HttpError(503, 'shutting_down', 'the server is shutting down'));
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ExportRequest);
    const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const { chromiumPath, logLevel, storedFile, log } = this.options;
    const worker = new Worker(BOOT_URL, { workerData: { chromiumPath, logLevel, storedFile } satisfies ExportWorkerData });
    worker.unref();
    worker.on('message', (reply: ExportReply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      clearTimeout(job.timer);
      if (reply.ok) job.resolve(reply.output);
      else job.reject(new HttpError(reply.status, reply.code, reply.message));
    });
    worker.on('error', (error) => {
      log.error({ err: describeError(error) }, 'export thread failed; it restarts with the next export');
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (!this.closed) this.failAll(new HttpError(503, 'export_failed', `the export thread stopped (${code}); try again`));
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
