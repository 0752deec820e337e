// Editor JSON → one self-contained HTML page: the HTML export itself, and what headless Chromium
// prints to PDF. Our own serializer, escaping every text and attribute, so nothing pasted into the
// editor can become markup; only the node and mark types below are rendered (anything else keeps its
// text and loses its shape). Every block carries `dir="auto"` and a `lang` from its script, and the
// CSS picks fonts by `:lang()`; the fonts are the system's (fonts-noto-core), no URL is ever named,
// and a Content-Security-Policy forbids scripts and remote loads when the file is opened later.
import type { EditorJson } from '../../shared/versions.js';
import { AGENDA_COLUMNS, agendaBlocks, agendaCaption } from './agenda-table.js';
import { DRAFT_MARK, releaseLines, type ExportSubject } from './export-subject.js';
import { blockScript, scriptRuns, type BlockScript } from './script.js';
import { safeHref } from './safe-link.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** The plain text of a node (what its script and direction are decided from). */
export function textOf(node: EditorJson): string {
  if (typeof node.text === 'string') return node.text;
  return (node.content ?? []).map(textOf).join('');
}

const TEXT_BLOCKS: Record<string, (node: EditorJson) => string> = {
  paragraph: () => 'p',
  heading: (node) => `h${Math.min(3, Math.max(1, Number(node.attrs?.['level']) || 1)) + 1}`,
  codeBlock: () => 'pre',
};
const CONTAINERS: Record<string, string> = { bulletList: 'ul', orderedList: 'ol', listItem: 'li', blockquote: 'blockquote' };

const MARK_TAGS: Record<string, string> = { bold: 'strong', italic: 'em', underline: 'u', strike: 's', code: 'code' };

function renderText(node: EditorJson, script: BlockScript): string {
  const text = node.text ?? '';
  let html = scriptRuns(text)
    .map((run) => {
      const escaped = escapeHtml(run.text);
      // A run in the other script than its block's gets its own language (and so its own font).
      if (run.arabic && !script.rtl) return `<span lang="${script.arabic}">${escaped}</span>`;
      if (!run.arabic && script.rtl && /\p{L}/u.test(run.text)) return `<span lang="en">${escaped}</span>`;
      return escaped;
    })
    .join('');
  for (const mark of node.marks ?? []) {
    const tag = MARK_TAGS[mark.type];
    if (tag) html = `<${tag}>${html}</${tag}>`;
    else if (mark.type === 'link') {
      const href = safeHref(mark.attrs?.['href']);
      if (href) html = `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${html}</a>`;
    }
  }
  return html;
}

function renderInline(nodes: readonly EditorJson[], script: BlockScript): string {
  return nodes.map((node) => (node.type === 'hardBreak' ? '<br>' : node.type === 'text' ? renderText(node, script) : renderInline(node.content ?? [], script))).join('');
}

export function renderBlocks(nodes: readonly EditorJson[]): string {
  return nodes
    .map((node) => {
      const textTag = TEXT_BLOCKS[node.type]?.(node);
      if (textTag) {
        const script = blockScript(textOf(node));
        return `<${textTag} dir="auto" lang="${script.language}">${renderInline(node.content ?? [], script)}</${textTag}>`;
      }
      const container = CONTAINERS[node.type];
      if (container) {
        const start = node.type === 'orderedList' && Number(node.attrs?.['start']) > 1 ? ` start="${Number(node.attrs?.['start'])}"` : '';
        return `<${container} dir="auto"${start}>${renderBlocks(node.content ?? [])}</${container}>`;
      }
      if (node.type === 'horizontalRule') return '<hr>';
      if (node.type === 'text' || node.type === 'hardBreak') return renderBlocks([{ type: 'paragraph', content: [node] }]);
      return renderBlocks(node.content ?? []);
    })
    .join('\n');
}

/** The timetable of an agenda document: a heading and a table per session, every text escaped. */
export function renderAgenda(subject: ExportSubject): string {
  if (!subject.agenda) return '';
  const head = `<tr>${AGENDA_COLUMNS.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const sessions = agendaBlocks(subject.agenda, subject.attribution).map((block) => {
    const rows = block.rows.map((row) => {
      const times = row.times.map((t) => `<td class="time">${escapeHtml(t)}</td>`).join('');
      const titles = [
        row.titleEn ? `<div class="title-en" dir="auto" lang="en">${escapeHtml(row.titleEn)}</div>` : '',
        row.titleLocal ? `<div class="title-local" dir="auto" lang="${row.localLang}">${escapeHtml(row.titleLocal)}</div>` : '',
      ].join('');
      const speakers = row.speakers.map((s) => `<div dir="auto">${escapeHtml(s)}</div>`).join('');
      return `<tr${row.isBreak ? ' class="break"' : ''}>${times}<td class="item">${titles}</td><td class="speakers">${speakers}</td><td class="duration">${escapeHtml(row.duration)}</td></tr>`;
    });
    const heading = blockScript(block.heading);
    return `<h2 class="session" dir="auto" lang="${heading.language}">${renderInline([{ type: 'text', text: block.heading }], heading)}</h2>
<table class="agenda">
<thead>${head}</thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
  });
  return `<section class="agenda">
<p class="agenda-caption">${escapeHtml(agendaCaption(subject.agenda))}</p>
${sessions.join('\n')}
</section>
`;
}

/** Font stacks by language: Nastaliq for Urdu, Naskh for Dari and Pashto, Noto Sans for English. */
export const EXPORT_CSS = `
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 46em; font-family: 'Noto Sans', 'Noto Naskh Arabic', sans-serif; font-size: 11pt; line-height: 1.5; color: #111; }
p, h2, h3, h4, pre, li, blockquote { text-align: start; }
:lang(en) { font-family: 'Noto Sans', sans-serif; }
:lang(ur) { font-family: 'Noto Nastaliq Urdu', 'Noto Naskh Arabic', serif; line-height: 2.2; }
:lang(fa), :lang(ps) { font-family: 'Noto Naskh Arabic', serif; line-height: 1.8; font-size: 1.12em; }
:lang(fa) :lang(fa), :lang(ps) :lang(ps), :lang(fa) :lang(ps), :lang(ps) :lang(fa) { font-size: 1em; }
p { margin: 0 0 0.6em; }
h1.title { font-size: 18pt; margin: 0.2em 0 0.3em; }
h2 { font-size: 15pt; } h3 { font-size: 13pt; } h4 { font-size: 11.5pt; }
blockquote { margin: 0.5em 1.5em; padding-inline-start: 0.8em; border-inline-start: 3px solid #bbb; }
pre, code { font-family: 'Noto Sans Mono', monospace; font-size: 0.92em; }
pre { white-space: pre-wrap; }
a { color: #1d4ed8; }
table.agenda { width: 100%; border-collapse: collapse; margin: 0 0 1.2em; font-size: 9.5pt; }
table.agenda th, table.agenda td { border: 1px solid #bbb; padding: 0.25em 0.4em; vertical-align: top; text-align: start; }
table.agenda th { background: #eee; }
table.agenda td.time, table.agenda td.duration { white-space: nowrap; }
table.agenda tr.break td { background: #f6f6f6; font-style: italic; }
.agenda-caption { font-size: 9pt; color: #333; }
.release { border-bottom: 1px solid #999; margin-bottom: 1.2em; padding-bottom: 0.5em; }
.release .context, .release .source, .release .signatures { font-size: 9pt; color: #333; margin: 0.1em 0; }
.release .status { font-size: 9pt; margin: 0.3em 0; word-break: break-all; }
.release .status.draft { display: inline-block; font-weight: bold; color: #b91c1c; border: 2px solid #b91c1c; padding: 0.1em 0.5em; }
.watermark { position: fixed; top: 42%; left: -10%; right: -10%; text-align: center; transform: rotate(-32deg);
  font: bold 46pt 'Noto Sans', sans-serif; white-space: nowrap; color: rgba(185, 28, 28, 0.10); pointer-events: none; z-index: 10; }
`;

export function renderHtmlPage(subject: ExportSubject): string {
  const lines = releaseLines(subject);
  const title = blockScript(lines.title);
  const draft = subject.agreed === null;
  const body = renderBlocks(subject.content.content ?? []);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Concord">
<title>${escapeHtml(lines.title)}${draft ? ` (${DRAFT_MARK})` : ''}</title>
<style>${EXPORT_CSS}</style>
</head>
<body>
${draft ? `<div class="watermark" aria-hidden="true">${DRAFT_MARK}</div>\n` : ''}<header class="release">
<p class="context" dir="auto">${escapeHtml(lines.context)}</p>
<h1 class="title" dir="auto" lang="${title.language}">${renderInline([{ type: 'text', text: lines.title }], title)}</h1>
<p class="status${draft ? ' draft' : ''}">${escapeHtml(lines.status)}</p>
<p class="source" dir="auto">${escapeHtml(lines.source)}</p>
${lines.signatures ? `<p class="signatures" dir="auto">${escapeHtml(lines.signatures)}</p>\n` : ''}</header>
<main>
${renderAgenda(subject)}${body}
</main>
</body>
</html>
`;
}
