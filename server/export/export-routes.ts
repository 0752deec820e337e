// GET /api/documents/:id/export?format=pdf|docx|html|md[&version=<versionId>][&attribution=none]
//
// Any member of the document's group may export (observers too); no session → 401, not a member →
// 403, unknown document or version → 404, bad parameters → 400. Without `version` the live text is
// exported. A text is marked agreed (agreed version's name and SHA-256 in the footer, no draft
// marking) exactly when its content hash equals the current agreement's, so the live text is agreed
// while it is unchanged since the sign-off and a draft the moment anyone edits it; every other text,
// including the versions of earlier, superseded agreements, is marked DRAFT — NOT AGREED.
// `attribution=none` (Chatham House) leaves every personal name (version authors, signatories) out.
import { Hono, type Context } from 'hono';
import { computeSchedule, todayIn, type Agenda } from '../../shared/agenda.js';
import { DELEGATION_NAMES } from '../../shared/workspace.js';
import type { VersionDetail } from '../../shared/versions.js';
import { documentAccess, roleInGroup, type Viewer } from '../auth/access.js';
import { HttpError } from '../errors.js';
import type { VersionService } from '../versions/version-service.js';
import type { DocumentRow, WorkspaceStore } from '../workspace/workspace-store.js';
import { renderDocx } from './docx-document.js';
import { exportFileName, type ExportSubject } from './export-subject.js';
import { renderHtmlPage } from './html-document.js';
import { renderMarkdown } from './markdown-document.js';
import { pdfPage } from './pdf-document.js';
import type { PdfRenderer } from './pdf-renderer.js';

type Env = { Variables: { viewer: Viewer } };

export const EXPORT_FORMATS = ['pdf', 'docx', 'html', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

export interface ExportRouteOptions {
  workspace: WorkspaceStore;
  versions: VersionService;
  pdf: PdfRenderer;
}

function versionLabel(version: Pick<VersionDetail, 'number' | 'name' | 'kind'>): string {
  if (version.name) return `Version ${version.number} “${version.name}”`;
  return `Version ${version.number} (${version.kind === 'auto' ? 'automatic' : version.kind})`;
}

export function createExportRoutes({ workspace, versions, pdf }: ExportRouteOptions): Hono<Env> {
  const api = new Hono<Env>();

  const subjectOf = async (c: Context<Env>, document: DocumentRow, viewer: Viewer, attribution: boolean): Promise<ExportSubject> => {
    const versionId = c.req.query('version');
    const role = roleInGroup(viewer, document.groupId);
    if (!role) throw new HttpError(403, 'forbidden', 'you have no access to this document');
    const { person } = viewer;
    const signOff = versions.signOff(document, { person: { id: person.id, name: person.name, delegation: person.delegation }, role });
    const isAgenda = document.kind === 'agenda';
    let content, contentHash, version: ExportSubject['version'];
    let agendaState: Agenda | null = null;
    if (versionId && versionId !== 'live') {
      const detail = versions.version(document.id, versionId);
      ({ content, contentHash } = detail);
      version = { id: detail.id, number: detail.number, label: versionLabel(detail), author: detail.author?.name ?? null };
      // The agenda from the same stored Yjs state as the version's text.
      if (isAgenda) agendaState = versions.versionAgenda(document.id, detail.id);
    } else if (isAgenda) {
      // Text and agenda read from the room's doc in one turn.
      const read = await versions.liveWithAgenda(document.id);
      ({ content, contentHash } = read.live);
      agendaState = read.agenda;
      version = null;
    } else {
      ({ content, contentHash } = await versions.live(document.id));
      version = null;
    }
    let agreed: ExportSubject['agreed'] = null;
    if (signOff.agreed && signOff.agreed.contentHash === contentHash) {
      const record = signOff.agreed;
      agreed = {
        versionLabel: versionLabel(versions.version(document.id, record.versionId)),
        contentHash: record.contentHash,
        agreedAt: record.agreedAt,
        signatories: Object.values(record.signatures).map((s) => `${DELEGATION_NAMES[s.delegation]}: ${s.name}`),
      };
    }
    const meeting = workspace.meeting(document.meetingId);
    let agenda: ExportSubject['agenda'] = null;
    if (agendaState) {
      const timeZone = meeting?.timeZone ?? 'UTC';
      // As the agenda view does: a meeting without a date is laid out on today in the meeting's zone.
      agenda = computeSchedule(agendaState, { date: meeting?.date ?? null, timeZone }, todayIn(timeZone));
    }
    return {
      initiative: workspace.initiative().name,
      group: workspace.group(document.groupId)?.name ?? document.groupId,
      meeting: { number: meeting?.number ?? 0, city: meeting?.city ?? '', date: meeting?.date ?? null },
      title: document.title,
      content,
      agenda,
      version,
      contentHash,
      agreed,
      attribution,
      exportedAt: new Date().toISOString(),
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
    if (kind === 'pdf') pdf.requireAvailable();
    const subject = await subjectOf(c, document, viewer, attributionParameter === 'full');

    let body: string | Buffer;
    if (kind === 'pdf') body = await pdf.render(pdfPage(subject));
    else if (kind === 'docx') body = await renderDocx(subject);
    else if (kind === 'html') body = renderHtmlPage(subject);
    else body = renderMarkdown(subject);

    const fileName = exportFileName(subject, kind);
    const asciiName = fileName.replace(/[^\x20-\x7E]|["\\]/g, '_');
    c.header('content-type', CONTENT_TYPES[kind]);
    c.header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    c.header('x-concord-agreed', subject.agreed ? 'true' : 'false');
    if (kind === 'html') c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return c.body(typeof body === 'string' ? body : new Uint8Array(body));
  });

  return api;
}
