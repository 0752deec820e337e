// Export buttons for a document (or one of its versions): PDF, DOCX, HTML and Markdown, with a
// "Chatham House (no names)" option. Each fetches GET /api/documents/:id/export with the session
// cookie and saves the file under the name the server gives; progress and errors are announced.
import { useState, type ReactElement } from 'react';

export const EXPORT_CHOICES = [
  { format: 'pdf', label: 'PDF', progress: 'Rendering PDF…' },
  { format: 'docx', label: 'DOCX', progress: 'Preparing DOCX…' },
  { format: 'html', label: 'HTML', progress: 'Preparing HTML…' },
  { format: 'md', label: 'Markdown', progress: 'Preparing Markdown…' },
] as const;
export type ExportChoice = (typeof EXPORT_CHOICES)[number]['format'];

export interface ExportMenuProps {
  documentId: string;
  /** A version id; absent → the live text. */
  versionId?: string | null;
  /** Injected by tests; defaults to creating a link and clicking it. */
  save?: (blob: Blob, fileName: string) => void;
}

export function exportUrl(documentId: string, format: ExportChoice, versionId: string | null, anonymous: boolean): string {
  const query = new URLSearchParams({ format });
  if (versionId) query.set('version', versionId);
  if (anonymous) query.set('attribution', 'none');
  return `/api/documents/${encodeURIComponent(documentId)}/export?${query.toString()}`;
}

/** The file name from `content-disposition` (RFC 5987 `filename*` first). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}

function saveWithLink(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportMenu({ documentId, versionId = null, save = saveWithLink }: ExportMenuProps): ReactElement {
  const [anonymous, setAnonymous] = useState(false);
  const [busy, setBusy] = useState<ExportChoice | null>(null);
  const [status, setStatus] = useState<{ kind: 'progress' | 'error' | 'done'; text: string } | null>(null);

  const run = async (choice: (typeof EXPORT_CHOICES)[number]): Promise<void> => {
    setBusy(choice.format);
    setStatus({ kind: 'progress', text: choice.progress });
    try {
      const response = await fetch(exportUrl(documentId, choice.format, versionId, anonymous), { credentials: 'same-origin' });
      if (!response.ok) {
        let message = `Export failed (HTTP ${response.status})`;
        try {
          const body = (await response.json()) as { error?: { message?: string } };
          if (body.error?.message) message = body.error.message;
        } catch {
          // not JSON: keep the status line
        }
        setStatus({ kind: 'error', text: message });
        return;
      }
      const blob = await response.blob();
      const name = fileNameOf(response.headers.get('content-disposition'), `${documentId}.${choice.format}`);
      save(blob, name);
      setStatus({ kind: 'done', text: `Saved ${name}` });
    } catch {
      setStatus({ kind: 'error', text: 'Export failed: the server could not be reached' });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="export-menu" role="group" aria-label="Export">
      {EXPORT_CHOICES.map((choice) => (
        <button key={choice.format} type="button" disabled={busy !== null} aria-busy={busy === choice.format} onClick={() => void run(choice)}>
          {choice.label}
        </button>
      ))}
      <label>
        <input type="checkbox" checked={anonymous} onChange={(event) => setAnonymous(event.target.checked)} /> Chatham House (no names)
      </label>
      <span role={status?.kind === 'error' ? 'alert' : 'status'} aria-live="polite" className={status ? `export-${status.kind}` : undefined}>
        {status?.text ?? ''}
      </span>
    </div>
  );
}
