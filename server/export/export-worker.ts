// The export worker thread (started by ExportWorker through export-worker-boot.mjs): runs export jobs
// with the one shared PdfRenderer, off the event loop that relays live edits. Messages: ExportRequest
// in, ExportReply out (export-worker-client.ts); 'close' shuts the browser and ends the thread.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { getSchema } from '@tiptap/core';
import { editorSchemaExtensions } from '../../shared/editor-extensions.js';
import { HttpError, describeError } from '../errors.js';
import { createLogger } from '../log.js';
import { runExportJob } from './export-job.js';
import type { ExportReply, ExportRequest, ExportWorkerData } from './export-worker-client.js';
import { PdfRenderer } from './pdf-renderer.js';
import { SqliteUpdateReader } from '../persistence/sqlite-store.js';

// This thread (alone: on Linux a thread has a nice value of its own) runs at the lowest priority, and
// so does the Chromium it starts: exports use the CPU time live editing leaves idle.
try {
  os.setPriority(19);
} catch {
  // Not permitted or not supported here: exports then share the CPU evenly.
}

const port = parentPort;
if (!port) throw new Error('export-worker must run as a worker thread');
const { chromiumPath, logLevel, storedFile } = workerData as ExportWorkerData;
const log = createLogger(logLevel).child({ thread: 'export' });
const pdf = new PdfRenderer({ chromiumPath, log });
const schema = getSchema(editorSchemaExtensions());
/** Live text is read from the SQLite file (read-only, its own connection), opened on first use. */
let stored: SqliteUpdateReader | null = null;
const storedUpdates = (): SqliteUpdateReader | null => (stored ??= storedFile ? new SqliteUpdateReader(storedFile) : null);

port.on('message', (request: ExportRequest) => {
  if (request.type === 'close') {
    stored?.close();
    void pdf.close().finally(() => port.close());
    return;
  }
  runExportJob(request.job, schema, pdf, storedUpdates()).then(
    (output) => {
      // Hand the bytes over without a copy, unless they share a buffer (Node's pool) with others.
      const whole = output.body.byteOffset === 0 && output.body.byteLength === output.body.buffer.byteLength;
      const body = whole ? output.body : new Uint8Array(output.body);
      const reply: ExportReply = { id: request.id, ok: true, output: { ...output, body } };
      port.postMessage(reply, [body.buffer as ArrayBuffer]);
    },
    (error: unknown) => {
      const reply: ExportReply =
        error instanceof HttpError
          ? { id: request.id, ok: false, status: error.status, code: error.code, message: error.message }
          : { id: request.id, ok: false, status: 500, code: 'export_failed', message: describeError(error) };
      if (!(error instanceof HttpError)) log.error({ err: describeError(error) }, 'export failed');
      port.postMessage(reply);
    },
  );
});
