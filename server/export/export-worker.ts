// The export process (started by ExportWorker through export-worker-boot.mjs, at the lowest CPU
// priority): runs export jobs with the one shared PdfRenderer, and the versions panel's comparisons
// and live-text reads, away from the process that relays live edits. Messages over the IPC channel:
// ExportRequest in, ExportReply out (export-worker-client.ts); 'close' (or the parent going away)
// shuts the browser and ends the process.
import type { Socket } from 'node:net';
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

/** Rendered files waiting for the server to hand over their client's socket (see ExportWorker.deliver). */
const rendered = new Map<number, { body: Uint8Array; expiry: NodeJS.Timeout }>();
/** A file the server never asks for (it crashed, or lost the message) is dropped after this long. */
const UNCLAIMED_FILE_MS = 60_000;

function keepFile(id: number, body: Uint8Array): void {
  const expiry = setTimeout(() => rendered.delete(id), UNCLAIMED_FILE_MS);
  expiry.unref();
  rendered.set(id, { body, expiry });
}

function takeFile(id: number): Uint8Array | null {
  const kept = rendered.get(id);
  if (!kept) return null;
  rendered.delete(id);
  clearTimeout(kept.expiry);
  return kept.body;
}

const GONE = 'HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 38\r\nconnection: close\r\n\r\nthe export expired; export it again.\r\n';

/** Writes the response head the server built, then the file, and closes the connection. */
function deliver(id: number, head: string, socket: Socket | undefined): void {
  const body = takeFile(id);
  if (!socket) return;
  // A client that went away meanwhile: nothing to tell anyone. One that stops reading does not keep
  // the file here for ever.
  socket.on('error', () => socket.destroy());
  socket.setTimeout(UNCLAIMED_FILE_MS, () => socket.destroy());
  if (!body) {
    socket.end(GONE);
    return;
  }
  socket.write(head);
  socket.end(body);
}

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

process.on('message', (request: ExportRequest, handle?: Socket) => {
  if (request.type === 'close') {
    shutDown();
    return;
  }
  if (request.type === 'deliver') {
    deliver(request.id, request.head, handle);
    return;
  }
  if (request.type === 'discard') {
    takeFile(request.id);
    return;
  }
  const work: Promise<Extract<ExportReply, { ok: true }>['output']> =
    request.type === 'compare'
      ? new Promise((resolve) => resolve(runCompareJob(request.job, schema)))
      : request.type === 'describe'
        ? new Promise((resolve) => resolve(runDescribeJob(request.job, schema, storedUpdates())))
        : runExportJob(request.job, schema, pdf, storedUpdates()).then(({ body, fileName, agreed }) => {
            keepFile(request.id, body);
            return { id: request.id, fileName, agreed, byteLength: body.byteLength };
          });
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
