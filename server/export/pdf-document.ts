// The PDF's page furniture: Chromium's header and footer templates (printed on every page, outside
// the page's own HTML) with the release information, the draft marking on every page, the agreed
// version's name and SHA-256 hash, and "Page 3 of 12". Everything interpolated is escaped.
import { DRAFT_MARK, releaseLines, type ExportSubject } from './export-subject.js';
import { escapeHtml, renderHtmlPage } from './html-document.js';
import type { PdfPage } from './pdf-renderer.js';

const FONT = `font-family: 'Noto Sans', 'Noto Naskh Arabic', sans-serif;`;
/** Templates inherit nothing: size and margins must be set here (the page margin is 18 mm). */
const BOX = `${FONT} font-size: 8pt; color: #333; width: 100%; margin: 0 18mm; -webkit-print-color-adjust: exact;`;

export function pdfPage(subject: ExportSubject): PdfPage {
  const lines = releaseLines(subject);
  const draft = subject.agreed === null;
  const headerTemplate = `<div style="${BOX}">
<div style="display: flex; justify-content: space-between; gap: 12pt;"><span dir="auto">${escapeHtml(lines.context)}</span><span dir="auto">${escapeHtml(lines.title)}</span></div>
${draft ? `<div style="text-align: center; font-weight: bold; font-size: 10pt; color: #b91c1c; margin-top: 2pt;">${DRAFT_MARK}</div>` : ''}
</div>`;
  const footerTemplate = `<div style="${BOX}">
${draft ? `<div style="text-align: center; font-weight: bold; color: #b91c1c;">${DRAFT_MARK}</div>` : `<div style="text-align: center; font-size: 7pt;">${escapeHtml(lines.status)}</div>`}
<div style="display: flex; justify-content: space-between; gap: 12pt;"><span dir="auto">${escapeHtml(lines.source)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>
</div>`;
  return { html: renderHtmlPage(subject), headerTemplate, footerTemplate };
}
