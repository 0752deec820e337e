// GET /api/documents/:id/export?format=pdf|docx|html|md[&version=<versionId>][&attribution=none]
//
// Any member of the document's group may export (observers too); no session → 401, not a member →
// 403, unknown document or version → 404, bad parameters → 400. Without `version` the live text is
// exported. A text is marked agreed (agreed version's name and SHA-256 in the footer, no draft
// marking) exactly when its content hash equals the current agreement's, so the live text is agreed
// while it is unchanged since the sign-off and a draft the moment anyone edits it; every other text,
// including the versions of earlier, superseded agreements, is marked DRAFT — NOT AGREED.
// `attribution=none` (Chatham House) leaves every personal name (version authors, signatories) out.
// The server composes the response head; the export process writes it and the file to the client's
// connection, which the server hands over (ExportWorker.deliver), so no file crosses this event loop.
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { computeSchedule, todayIn } from '../../shared/agenda.js';
import { DELEGATION_NAMES } from '../../shared/workspace.js';
import type { VersionDetail } from '../../shared/versions.js';
import { documentAccess, roleInGroup, type Viewer } from '../auth/access.js';
import { HttpError } from '../errors.js';
import type { VersionService } from '../versions/version-service.js';
import type { DocumentRow, WorkspaceStore } from '../workspace/workspace-store.js';
import { EXPORT_FORMATS, type ExportFormat, type ExportJob } from './export-job.js';
import type { ExportSubject } from './export-subject.js';
import type { ExportWorker } from './export-worker-client.js';

export { EXPORT_FORMATS, type ExportFormat };

type Env = { Bindings: HttpBindings; Variables: { viewer: Viewer } };

const CONTENT_TYPES: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

export interface ExportRouteOptions {
  workspace: WorkspaceStore;
  versions: VersionService;
  /** Where exports are rendered (a process of its own): the server only gathers what goes in. */
  exporter: ExportWorker;
}

function versionLabel(version: Pick<VersionDetail, 'number' | 'name' | 'kind'>): string {
  if (version.name) return `Version ${version.number} “${version.name}”`;
  return `Version ${version.number} (${version.kind === 'auto' ? 'automatic' : version.kind})`;
}

export function createExportRoutes({ workspace, versions, exporter }: ExportRouteOptions): Hono<Env> {
  const api = new Hono<Env>();

  /**
   * Everything an export needs, gathered in the server without reading the text itself: the live
   * text goes by reference or as its Yjs state (read, hashed and rendered by the export process), a
   * version as its stored JSON and hash. Whether the text is agreed is decided there, by comparing
   * hashes.
   */
  const jobOf = async (c: Context<Env>, format: ExportFormat, document: DocumentRow, viewer: Viewer, attribution: boolean): Promise<ExportJob> => {
    const versionId = c.req.query('version');
    const role = roleInGroup(viewer, document.groupId);
    if (!role) throw new HttpError(403, 'forbidden', 'you have no access to this document');
    const { person } = viewer;
    const signOff = versions.signOff(document, { person: { id: person.id, name: person.name, delegation: person.delegation }, role });
    const isAgenda = document.kind === 'agenda';
    const meeting = workspace.meeting(document.meetingId);
    let text: ExportJob['text'];
    let version: ExportSubject['version'] = null;
    let agenda: ExportSubject['agenda'] = null;
    let agendaCalendar: ExportJob['agendaCalendar'] = null;
    const calendar = { date: meeting?.date ?? null, timeZone: meeting?.timeZone ?? 'UTC' };
    if (versionId && versionId !== 'live') {
      const detail = versions.version(document.id, versionId);
      text = { kind: 'version', content: detail.content, contentHash: detail.contentHash };
      version = { id: detail.id, number: detail.number, label: versionLabel(detail), author: detail.author?.name ?? null };
      // The agenda from the same stored Yjs state as the version's text, laid out as the agenda view
      // does (a meeting without a date on today in the meeting's zone).
      if (isAgenda) agenda = computeSchedule(versions.versionAgenda(document.id, detail.id), calendar, todayIn(calendar.timeZone));
    } else {
      // The export process reads the text (and an agenda's timetable) from disk once all is stored,
      // or, with in-memory storage, is handed its state (VersionService.liveText decides which).
      text = await versions.liveText(document.id);
      if (isAgenda) agendaCalendar = calendar;
    }
    let agreement: ExportJob['agreement'] = null;
    const record = signOff.agreed;
    const agreedVersion = record ? versions.versionRow(document.id, record.versionId) : null;
    if (record && agreedVersion) {
      agreement = {
        versionLabel: versionLabel(agreedVersion),
        contentHash: record.contentHash,
        agreedAt: record.agreedAt,
        signatories: Object.values(record.signatures).map((s) => `${DELEGATION_NAMES[s.delegation]}: ${s.name}`),
      };
    }
    return {
      format,
      text,
      agendaCalendar,
      agreement,
      subject: {
        initiative: workspace.initiative().name,
        group: workspace.group(document.groupId)?.name ?? document.groupId,
        meeting: { number: meeting?.number ?? 0, city: meeting?.city ?? '', date: meeting?.date ?? null },
        title: document.title,
        agenda,
        version,
        attribution,
        exportedAt: new Date().toISOString(),
      },
    };
  };

  api.get('/documents/:id/export', async (c) => {
    const viewer = c.get('viewer') as Viewer | undefined;
    if (!viewer) throw new HttpError(401, 'unauthenticated', 'sign in through an invitation link first');
    const format = c.req.query('format') ?? '';
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new HttpError(400, 'invalid_input', `format must be one of ${EXPORT_FORMATS.join(', ')}`);
    }
    const attributionParameter = c.req.query('attribution') ?? 'full';
    if (attributionParameter !== 'none' && attributionParameter !== 'full') {
      throw new HttpError(400, 'invalid_input', 'attribution must be none (Chatham House: no personal names) or full');
    }
    const document = workspace.document(c.req.param('id'));
    if (!document) throw new HttpError(404, 'not_found', 'no such document');
    if (!documentAccess(viewer, document.groupId)) throw new HttpError(403, 'forbidden', 'you have no access to this document');
    const kind = format as ExportFormat;
    // Refuse early (before reading the document) when PDF cannot be rendered at all.
    if (kind === 'pdf') exporter.requirePdfAvailable();
    const socket = c.env.incoming.socket;
    const rendered = await exporter.run(await jobOf(c, kind, document, viewer, attributionParameter === 'full'));
    if (socket.destroyed) {
      // The client gave up while it rendered.
      exporter.discard(rendered);
      return RESPONSE_ALREADY_SENT;
    }
    const asciiName = rendered.fileName.replace(/[^\x20-\x7E]|["\\]/g, '_');
    const headers: Array<[string, string]> = [
      ['content-type', CONTENT_TYPES[kind]],
      ['content-length', String(rendered.byteLength)],
      ['content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(rendered.fileName)}`],
      ['cache-control', 'no-store'],
      ['x-content-type-options', 'nosniff'],
      ['x-concord-agreed', rendered.agreed ? 'true' : 'false'],
    ];
    if (kind === 'html') headers.push(['content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:"]);
    headers.push(['date', new Date().toUTCString()], ['connection', 'close']);
    const head = `HTTP/1.1 200 OK\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
    // The export process writes the file to the client itself (ExportWorker.deliver says why).
    exporter.deliver(rendered, head, socket);
    return RESPONSE_ALREADY_SENT;
  });

  return api;
}
