// One export, from the text to the file's bytes, as plain data in and out: the export process
// (export-worker.ts) runs it, so loading a long document, reading its text, hashing it, building the
// HTML or DOCX and driving Chromium never hold up the event loop that relays live edits.
import type { Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { computeSchedule, readAgenda, todayIn } from '../../shared/agenda.js';
import type { EditorJson } from '../../shared/versions.js';
import { describeContent, readEditorDocument } from '../versions/version-content.js';
import { renderDocx } from './docx-document.js';
import { exportFileName, type ExportSubject } from './export-subject.js';
import { renderHtmlPage } from './html-document.js';
import { renderMarkdown } from './markdown-document.js';
import { pdfPage } from './pdf-document.js';
import type { PdfRenderer } from './pdf-renderer.js';

export const EXPORT_FORMATS = ['pdf', 'docx', 'html', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Where the exported text comes from. */
export type ExportText =
  /** The live text, committed in the SQLite store: read there (the document need not be loaded). */
  | { kind: 'stored'; documentId: string }
  /** The live text as a Yjs state (in-memory storage). */
  | { kind: 'state'; state: Uint8Array }
  /** A saved version's editor JSON and hash. */
  | { kind: 'version'; content: EditorJson; contentHash: string };

export interface ExportJob {
  format: ExportFormat;
  text: ExportText;
  /**
   * For an agenda's live text: its timetable is read from the same doc as the text and laid out in
   * this meeting's calendar (a meeting without a date on today in its zone, as the agenda view does).
   */
  agendaCalendar: { date: string | null; timeZone: string } | null;
  /** Everything about the file but its text and whether that text is the agreed one. */
  subject: Omit<ExportSubject, 'content' | 'contentHash' | 'agreed'>;
  /** The current agreement, if any: the text is agreed exactly when its hash equals this one's. */
  agreement: NonNullable<ExportSubject['agreed']> | null;
}

export interface ExportOutput {
  body: Uint8Array;
  fileName: string;
  agreed: boolean;
}

/**
 * What the server learns of a finished export: everything for the response's headers. The file itself
 * stays in the export process, which writes it to the client's socket once the server hands that over
 * (ExportWorker.deliver), so the server's event loop never carries the bytes.
 */
export interface RenderedExport {
  /** The job's id: names the file kept in the export process. */
  id: number;
  fileName: string;
  agreed: boolean;
  byteLength: number;
}

/** What the export process reads stored documents with. */
export interface StoredUpdates {
  loadUpdates(documentId: string): Uint8Array[];
}

/** The live text: read from the SQLite store, or carried as a Yjs state (in-memory storage). */
export type LiveText = Extract<ExportText, { kind: 'stored' | 'state' }>;

/** A new Y.Doc holding the live text (the caller destroys it). */
export function loadLiveText(text: LiveText, stored: StoredUpdates | null): Y.Doc {
  const doc = new Y.Doc();
  try {
    if (text.kind === 'state') {
      Y.applyUpdate(doc, text.state);
    } else {
      if (!stored) throw new Error('this export process has no document store to read from');
      const updates = stored.loadUpdates(text.documentId);
      Y.transact(doc, () => {
        for (const update of updates) Y.applyUpdate(doc, update);
      });
    }
    return doc;
  } catch (error) {
    doc.destroy();
    throw error;
  }
}

export async function runExportJob(job: ExportJob, schema: Schema, pdf: PdfRenderer, stored: StoredUpdates | null): Promise<ExportOutput> {
  let content: EditorJson;
  let contentHash: string;
  let agenda = job.subject.agenda;
  if (job.text.kind === 'version') {
    ({ content, contentHash } = job.text);
  } else {
    const doc = loadLiveText(job.text, stored);
    try {
      ({ json: content, contentHash } = describeContent(readEditorDocument(doc, schema)));
      if (job.agendaCalendar) {
        const { date, timeZone } = job.agendaCalendar;
        agenda = computeSchedule(readAgenda(doc), { date, timeZone }, todayIn(timeZone));
      }
    } finally {
      doc.destroy();
    }
  }
  const agreed = job.agreement && job.agreement.contentHash === contentHash ? job.agreement : null;
  const subject: ExportSubject = { ...job.subject, agenda, content, contentHash, agreed };
  let body: Uint8Array;
  if (job.format === 'pdf') body = await pdf.render(pdfPage(subject));
  else if (job.format === 'docx') body = await renderDocx(subject);
  else if (job.format === 'html') body = Buffer.from(renderHtmlPage(subject), 'utf8');
  else body = Buffer.from(renderMarkdown(subject), 'utf8');
  return { body, fileName: exportFileName(subject, job.format), agreed: agreed !== null };
}
