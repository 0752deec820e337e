// Editor JSON → Markdown: headings, lists, quotes, code, emphasis and (safe) links; right-to-left text
// is written as it is (Markdown has no direction; viewers apply the bidi algorithm per paragraph).
// Characters Markdown would read as syntax are escaped, so pasted text cannot become a link or HTML.
import type { EditorJson } from '../../shared/versions.js';
import { AGENDA_COLUMNS, agendaBlocks, agendaCaption } from './agenda-table.js';
import { releaseLines, type ExportSubject } from './export-subject.js';
import { safeHref } from './safe-link.js';

function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, (char) => `\\${char}`)
    .replace(/^(\s*)([#+-]|\d+\.)/, (_, space: string, marker: string) =>
      marker.endsWith('.') ? `${space}${marker.slice(0, -1)}\\.` : `${space}\\${marker}`,
    );
}

const MARKS: Record<string, string> = { bold: '**', italic: '_', strike: '~~' };

function inline(nodes: readonly EditorJson[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'hardBreak') return '  \n';
      if (node.type !== 'text') return inline(node.content ?? []);
      const raw = node.text ?? '';
      const marks = node.marks ?? [];
      let text = marks.some((m) => m.type === 'code') ? `\`${raw.replace(/`/g, "'")}\`` : escapeMarkdown(raw);
      for (const mark of marks) {
        const wrap = MARKS[mark.type];
        if (wrap) text = `${wrap}${text}${wrap}`;
        else if (mark.type === 'link') {
          const href = safeHref(mark.attrs?.['href']);
          if (href) text = `[${text}](<${href.replace(/[<>]/g, encodeURIComponent)}>)`;
        }
      }
      return text;
    })
    .join('');
}

function blocks(nodes: readonly EditorJson[], indent: string): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph':
        out.push(indent + inline(node.content ?? []));
        break;
      case 'heading':
        out.push(`${indent}${'#'.repeat(Math.min(3, Number(node.attrs?.['level']) || 1) + 1)} ${inline(node.content ?? [])}`);
        break;
      case 'codeBlock':
        out.push(`${indent}\`\`\`\n${(node.content ?? []).map((t) => t.text ?? '').join('')}\n${indent}\`\`\``);
        break;
      case 'blockquote':
        out.push(...blocks(node.content ?? [], `${indent}> `));
        break;
      case 'horizontalRule':
        out.push(`${indent}---`);
        break;
      case 'bulletList':
      case 'orderedList': {
        let number = Number(node.attrs?.['start']) || 1;
        for (const item of node.content ?? []) {
          const marker = node.type === 'bulletList' ? '- ' : `${number++}. `;
          const [first = '', ...rest] = blocks(item.content ?? [], `${indent}${' '.repeat(marker.length)}`);
          out.push(`${indent}${marker}${first.slice(indent.length + marker.length)}`, ...rest);
        }
        break;
      }
      default:
        out.push(...blocks(node.content ?? [], indent));
    }
  }
  return out;
}

/** A table cell: escaped, on one line. */
function cell(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, ' ').trim());
}

/** The timetable of an agenda document: a heading and a table per session. */
function agendaMarkdown(subject: ExportSubject): string[] {
  if (!subject.agenda) return [];
  const out = [escapeMarkdown(agendaCaption(subject.agenda))];
  for (const block of agendaBlocks(subject.agenda, subject.attribution)) {
    const rows = block.rows.map((row) => {
      const item = [row.titleEn, row.titleLocal].filter(Boolean).map(cell).join(' / ');
      return `| ${[...row.times.map(cell), item, row.speakers.map(cell).join('; '), cell(row.duration)].join(' | ')} |`;
    });
    out.push(
      `## ${cell(block.heading)}`,
      [`| ${AGENDA_COLUMNS.join(' | ')} |`, `| ${AGENDA_COLUMNS.map(() => '---').join(' | ')} |`, ...rows].join('\n'),
    );
  }
  return out;
}

export function renderMarkdown(subject: ExportSubject): string {
  const lines = releaseLines(subject);
  const header = [
    `# ${escapeMarkdown(lines.title)}`,
    '',
    escapeMarkdown(lines.context),
    '',
    subject.agreed ? escapeMarkdown(lines.status) : `**${lines.status}**`,
    '',
    escapeMarkdown(lines.source),
    ...(lines.signatures ? ['', escapeMarkdown(lines.signatures)] : []),
    '',
    '---',
    '',
  ];
  return `${header.join('\n')}${[...agendaMarkdown(subject), ...blocks(subject.content.content ?? [], '')].join('\n\n')}\n`;
}
