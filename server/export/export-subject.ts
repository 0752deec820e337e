// What an export is of: the document's place in the dialogue (initiative, group, meeting, title),
// the editor JSON of the live text or of one version, and whether that text is the agreed version.
// Every format (HTML/PDF, DOCX, Markdown) renders the same subject and the same release lines, so the
// draft marking and the hash can never differ between them.
import type { Schedule } from '../../shared/agenda.js';
import type { EditorJson } from '../../shared/versions.js';

export const DRAFT_MARK = 'DRAFT — NOT AGREED';

export interface ExportSubject {
  initiative: string;
  group: string;
  meeting: { number: number; city: string; date: string | null };
  title: string;
  content: EditorJson;
  /** An agenda document's timetable (both capitals' times), rendered before the text; null otherwise. */
  agenda: Schedule | null;
  /** The version exported; null for the live text. */
  version: { id: string; number: number; label: string; author: string | null } | null;
  contentHash: string;
  /** Set when the text exported is the agreed version (its hash equals the agreement's). */
  agreed: { versionLabel: string; contentHash: string; agreedAt: string; signatories: string[] } | null;
  /** False for a Chatham House export: no personal name appears anywhere in the file. */
  attribution: boolean;
  exportedAt: string;
}

export interface ReleaseLines {
  /** `Beyond Boundaries · Regional Security Group · Meeting 1, Islamabad, 2025-05-12` */
  context: string;
  title: string;
  /** The agreed version's name and hash, or the draft marking. */
  status: string;
  /** Which text this is (version or live), with its author when attribution is on. */
  source: string;
  /** Who signed it (agreed and attributed only). */
  signatures: string | null;
}

export function releaseLines(subject: ExportSubject): ReleaseLines {
  const { meeting } = subject;
  const context = `${subject.initiative} · ${subject.group} · Meeting ${meeting.number}, ${meeting.city}, ${meeting.date ?? 'date to be set'}`;
  const status = subject.agreed
    ? `Agreed version: ${subject.agreed.versionLabel} · SHA-256 ${subject.agreed.contentHash}`
    : DRAFT_MARK;
  const by = subject.attribution && subject.version?.author ? `, saved by ${subject.version.author}` : '';
  const source = subject.version
    ? `${subject.version.label}${by}`
    : `Live text as of ${subject.exportedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const signatures =
    subject.agreed && subject.attribution && subject.agreed.signatories.length > 0
      ? `Signed: ${subject.agreed.signatories.join('; ')}`
      : null;
  return { context, title: subject.title, status, source, signatures };
}

/** A file name without path or shell-hostile characters: `communique-v3-agreed.pdf`. */
export function exportFileName(subject: ExportSubject, extension: string): string {
  const base = subject.title.normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'document';
  const which = subject.version ? `v${subject.version.number}` : 'live';
  return `${base}-${which}-${subject.agreed ? 'agreed' : 'draft'}.${extension}`;
}
