// Editor JSON → DOCX (the `docx` package). Right-to-left paragraphs are `bidirectional` and right
// aligned; each run is cut by script so an Arabic-script run carries `rightToLeft`, its language
// (`ur-PK`, `fa-AF`, `ps-AF` as the complex-script language) and its complex-script font (Nastaliq for
// Urdu, Naskh for Dari and Pashto), and a Latin run carries `en-GB`. Header and footer repeat the
// release information on every page: the draft marking, or the agreed version and its hash.
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { EditorJson } from '../../shared/versions.js';
import { AGENDA_COLUMNS, agendaBlocks, agendaCaption } from './agenda-table.js';
import { DRAFT_MARK, releaseLines, type ExportSubject } from './export-subject.js';
import { textOf } from './html-document.js';
import { LANGUAGE_FONTS, LANGUAGE_TAGS, blockScript, scriptRuns, type BlockScript } from './script.js';
import { safeHref } from './safe-link.js';

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;
const ORDERED = 'concord-ordered';
/** Half-points. Nastaliq needs a little more size to read as the same size as Naskh and Latin. */
const BODY_SIZE = 22;

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  underline?: Record<string, never>;
  strike?: boolean;
  code?: boolean;
  size?: number;
  color?: string;
}

function runsOf(text: string, script: BlockScript, style: RunStyle): TextRun[] {
  const { code, ...format } = style;
  return scriptRuns(text).map((run) => {
    const language = run.arabic ? script.arabic : 'en';
    const font = code && !run.arabic ? 'Noto Sans Mono' : LANGUAGE_FONTS[language];
    return new TextRun({
      text: run.text,
      ...format,
      ...(run.arabic ? { boldComplexScript: format.bold, italicsComplexScript: format.italics } : {}),
      size: format.size ?? BODY_SIZE,
      sizeComplexScript: (format.size ?? BODY_SIZE) + (language === 'ur' ? 2 : 0),
      rightToLeft: run.arabic,
      language: run.arabic ? { bidirectional: LANGUAGE_TAGS[language] } : { value: LANGUAGE_TAGS.en },
      font: { ascii: font, hAnsi: font, cs: LANGUAGE_FONTS[script.arabic] },
    });
  });
}

function inlineChildren(nodes: readonly EditorJson[], script: BlockScript): ParagraphChild[] {
  const children: ParagraphChild[] = [];
  for (const node of nodes) {
    if (node.type === 'hardBreak') {
      children.push(new TextRun({ break: 1 }));
      continue;
    }
    if (node.type !== 'text') {
      children.push(...inlineChildren(node.content ?? [], script));
      continue;
    }
    const marks = new Set((node.marks ?? []).map((m) => m.type));
    const style: RunStyle = {
      ...(marks.has('bold') ? { bold: true } : {}),
      ...(marks.has('italic') ? { italics: true } : {}),
      ...(marks.has('underline') ? { underline: {} } : {}),
      ...(marks.has('strike') ? { strike: true } : {}),
      ...(marks.has('code') ? { code: true } : {}),
    };
    const link = node.marks?.find((m) => m.type === 'link');
    const href = link ? safeHref(link.attrs?.['href']) : null;
    const runs = runsOf(node.text ?? '', script, href ? { ...style, underline: {}, color: '1D4ED8' } : style);
    children.push(...(href ? [new ExternalHyperlink({ link: href, children: runs })] : runs));
  }
  return children;
}

interface ListContext {
  kind: 'bullet' | 'ordered';
  level: number;
  instance: number;
}

function paragraphsOf(nodes: readonly EditorJson[], list: ListContext | null, quote: boolean, counter: { lists: number }): Paragraph[] {
  const out: Paragraph[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph':
      case 'heading':
      case 'codeBlock': {
        const script = blockScript(textOf(node));
        const level = Math.min(3, Math.max(1, Number(node.attrs?.['level']) || 1));
        out.push(
          new Paragraph({
            children: inlineChildren(node.content ?? [], script),
            ...(node.type === 'heading' ? { heading: HEADINGS[level - 1] } : {}),
            ...(script.rtl ? { bidirectional: true, alignment: AlignmentType.RIGHT } : {}),
            ...(list
              ? list.kind === 'bullet'
                ? { bullet: { level: list.level } }
                : { numbering: { reference: ORDERED, level: list.level, instance: list.instance } }
              : {}),
            ...(quote ? { indent: { start: 567 } } : {}),
            spacing: { after: 120 },
          }),
        );
        break;
      }
      case 'bulletList':
      case 'orderedList': {
        const next: ListContext = {
          kind: node.type === 'bulletList' ? 'bullet' : 'ordered',
          level: list ? Math.min(list.level + 1, 8) : 0,
          instance: ++counter.lists,
        };
        for (const item of node.content ?? []) out.push(...paragraphsOf(item.content ?? [], next, quote, counter));
        break;
      }
      case 'blockquote':
        out.push(...paragraphsOf(node.content ?? [], list, true, counter));
        break;
      case 'horizontalRule':
        out.push(new Paragraph({ thematicBreak: true }));
        break;
      default:
        out.push(...paragraphsOf(node.content ?? [], list, quote, counter));
    }
  }
  return out;
}

function releaseParagraph(text: string, style: RunStyle, alignment?: (typeof AlignmentType)[keyof typeof AlignmentType]): Paragraph {
  const script = blockScript(text);
  return new Paragraph({
    children: runsOf(text, script, style),
    ...(alignment ? { alignment } : script.rtl ? { bidirectional: true, alignment: AlignmentType.RIGHT } : {}),
  });
}

function cellOf(paragraphs: Paragraph[]): TableCell {
  return new TableCell({ children: paragraphs.length > 0 ? paragraphs : [new Paragraph({})] });
}

/** The timetable of an agenda document: a heading and a table per session; local titles in RTL runs. */
function agendaContent(subject: ExportSubject): Array<Paragraph | Table> {
  if (!subject.agenda) return [];
  const out: Array<Paragraph | Table> = [releaseParagraph(agendaCaption(subject.agenda), { size: 18, color: '333333' })];
  const small: RunStyle = { size: 18 };
  for (const block of agendaBlocks(subject.agenda, subject.attribution)) {
    const heading = blockScript(block.heading);
    out.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: runsOf(block.heading, heading, {}), ...(heading.rtl ? { bidirectional: true } : {}) }));
    const header = new TableRow({
      tableHeader: true,
      children: AGENDA_COLUMNS.map((column) => cellOf([new Paragraph({ children: runsOf(column, blockScript(column), { ...small, bold: true }) })])),
    });
    const rows = block.rows.map((row) => {
      const local = { rtl: true, language: row.localLang, arabic: row.localLang } as const;
      const title: Paragraph[] = [];
      if (row.titleEn) title.push(new Paragraph({ children: runsOf(row.titleEn, blockScript(row.titleEn), { ...small, ...(row.isBreak ? { italics: true } : {}) }) }));
      if (row.titleLocal) {
        title.push(new Paragraph({ bidirectional: true, alignment: AlignmentType.RIGHT, children: runsOf(row.titleLocal, local, small) }));
      }
      return new TableRow({
        children: [
          ...row.times.map((time) => cellOf([new Paragraph({ children: runsOf(time, blockScript(time), small) })])),
          cellOf(title),
          cellOf(row.speakers.map((speaker) => releaseParagraph(speaker, small))),
          cellOf([new Paragraph({ children: runsOf(row.duration, blockScript(row.duration), small) })]),
        ],
      });
    });
    out.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }), new Paragraph({}));
  }
  return out;
}

export async function renderDocx(subject: ExportSubject): Promise<Buffer> {
  const lines = releaseLines(subject);
  const draft = subject.agreed === null;
  const statusStyle: RunStyle = draft ? { bold: true, color: 'B91C1C', size: 20 } : { size: 14 };
  const header = new Header({
    children: [
      releaseParagraph(`${lines.context} · ${lines.title}`, { size: 16, color: '444444' }, AlignmentType.CENTER),
      ...(draft ? [releaseParagraph(DRAFT_MARK, statusStyle, AlignmentType.CENTER)] : []),
    ],
  });
  const footer = new Footer({
    children: [
      ...(draft ? [] : [releaseParagraph(lines.status, statusStyle, AlignmentType.CENTER)]),
      releaseParagraph(lines.source, { size: 14, color: '444444' }, AlignmentType.CENTER),
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES], size: 16 })],
      }),
    ],
  });
  const document = new Document({
    // Never a person: Word fills "Author" and "Last modified by" from these.
    creator: 'Concord',
    lastModifiedBy: 'Concord',
    title: lines.title,
    description: draft ? DRAFT_MARK : lines.status,
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { start: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [
      {
        headers: { default: header },
        footers: { default: footer },
        children: [
          releaseParagraph(lines.context, { size: 18, color: '333333' }),
          new Paragraph({ heading: HeadingLevel.TITLE, children: runsOf(lines.title, blockScript(lines.title), { size: 36, bold: true }), ...(blockScript(lines.title).rtl ? { bidirectional: true, alignment: AlignmentType.RIGHT } : {}) }),
          releaseParagraph(lines.status, statusStyle),
          releaseParagraph(lines.source, { size: 18, color: '333333' }),
          ...(lines.signatures ? [releaseParagraph(lines.signatures, { size: 18, color: '333333' })] : []),
          new Paragraph({ thematicBreak: true }),
          ...agendaContent(subject),
          ...paragraphsOf(subject.content.content ?? [], null, false, { lists: 0 }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
