// The export process (started by ExportWorker through export-worker-boot.mjs, at the lowest CPU
// priority): runs export jobs with the one shared PdfRenderer, and the versions panel's comparisons
// and live-text reads, away from the process that relays live edits. Messages over the IPC channel:
// ExportRequest in, ExportReply out (export-worker-client.ts); 'close' (or the parent going away)
// shuts the browser and ends the process.
import { getSchema } from '@tiptap/core';
import { editorSchemaExtensions } from '../../shared/editor-extensions.js';
import { HttpError, describeError } from '../errors.js';
import { createLogger } from '../log.js';
import { SqliteUpdateReader } from '../persistence/sqlite-store.js';
import { runCompareJob } from '../versions/compare-job.js';
import { runDescribeJob } from '../versions/describe-job.js';
import { runExportJob } from './export-job.js';
import { EXPORT_WORKER_ENV, type ExportReply, type ExportRequest, type ExportWorkerData } from './export-worker-client.js';
import { PdfRenderer } from './pdf-renderer.js';

const send = process.send?.bind(process);
if (!send) throw new Error('export-worker must run as a child process with an IPC channel');
const { chromiumPath, logLevel, storedFile } = JSON.parse(process.env[EXPORT_WORKER_ENV] ?? '{}') as ExportWorkerData;
const log = createLogger(logLevel).child({ process: 'export' });
const pdf = new PdfRenderer({ chromiumPath, log });
const schema = getSchema(editorSchemaExtensions());
/** Live text is read from the SQLite file (read-only, a connection of its own), opened on first use. */
let stored: SqliteUpdateReader | null = null;
const storedUpdates = (): SqliteUpdateReader | null => (stored ??= storedFile ? new SqliteUpdateReader(storedFile) : null);

let closing = false;
function shutDown(): void {
  if (closing) return;
  closing = true;
  stored?.close();
  void pdf.close().finally(() => process.exit(0));
}
// The server went away (shut down or killed): so does this process, and Chromium with it. (It may
// have gone while this process was still loading.)
process.on('disconnect', shutDown);
if (!process.connected) shutDown();

process.on('message', (request: ExportRequest) => {
  if (request.type === 'close') {
    shutDown();
    return;
  }
  const work: Promise<Extract<ExportReply, { ok: true }>['output']> =
    request.type === 'compare'
      ? new Promise((resolve) => resolve(runCompareJob(request.job, schema)))
      : request.type === 'describe'
        ? new Promise((resolve) => resolve(runDescribeJob(request.job, schema, storedUpdates())))
        : runExportJob(request.job, schema, pdf, storedUpdates());
  work.then(
    (output) => send({ id: request.id, ok: true, output } satisfies ExportReply),
    (error: unknown) => {
      const what = request.type === 'job' ? 'export' : request.type;
      if (!(error instanceof HttpError)) log.error({ err: describeError(error) }, `${what} failed`);
      const reply: ExportReply =
        error instanceof HttpError
          ? { id: request.id, ok: false, status: error.status, code: error.code, message: error.message }
          : { id: request.id, ok: false, status: 500, code: `${what}_failed`, message: describeError(error) };
      send(reply);
    },
  );
});

if (process.connected) send({ type: 'ready' } satisfies ExportReply);
