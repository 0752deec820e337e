// Helpers for the export tests: sample texts in the four languages, a document with every kind of
// block, and readers for the files (pdftotext/pdfinfo/pdftoppm from poppler-utils, unzip for DOCX).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { updateYFragment } from '@tiptap/y-tiptap';
import { onTestFinished } from 'vitest';
import type * as Y from 'yjs';
import { EDITOR_FRAGMENT } from '../../shared/protocol.js';
import { schema } from './versions-support.js';

const run = promisify(execFile);

export const SAMPLES = {
  mixed: 'The delegates agreed on Article 3 (توصیه‌های مشترک) at 14:30 PKT / 14:00 AFT.',
  urdu: 'دونوں وفود نے سرحدی تجارت پر بات چیت جاری رکھنے پر اتفاق کیا۔',
  dari: 'هیئت‌ها روی پیشنهادهای مشترک توافق کردند.',
  pashto: 'پلاوي د ګډو سپارښتنو په اړه موافقې ته ورسېدل.',
} as const;

export const text = (value: string, marks?: Array<{ type: string; attrs?: Record<string, unknown> }>) => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
export const paragraph = (...content: object[]) => ({ type: 'paragraph', content });

/** A communiqué with headings, lists, marks, a hostile link and pasted markup, then `filler` paragraphs. */
export function communique(filler: number): Record<string, unknown> {
  return {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [text('Joint recommendations')] },
      paragraph(text(SAMPLES.mixed)),
      paragraph(text(SAMPLES.urdu)),
      paragraph(text(SAMPLES.dari)),
      paragraph(text(SAMPLES.pashto)),
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [paragraph(text('Reopen the crossing', [{ type: 'bold' }]), text(' within thirty days.'))] },
          { type: 'listItem', content: [paragraph(text('Details at '), text('the portal', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]), text('.'))] },
        ],
      },
      { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [paragraph(text('See '), text('the archive', [{ type: 'link', attrs: { href: 'https://example.org/archive' } }]), text('.'))] }] },
      paragraph(text('<script>window.pwned = 1</script><img src="https://tracker.example/x.png">')),
      ...Array.from({ length: filler }, (_, i) => paragraph(text(`Filler paragraph ${i + 1}: the working group will report on progress at each meeting of the dialogue.`))),
      paragraph(text('End of the communiqué.')),
    ],
  };
}

export function setContent(doc: Y.Doc, json: Record<string, unknown>): void {
  updateYFragment(doc, doc.getXmlFragment(EDITOR_FRAGMENT), schema.nodeFromJSON(json), { mapping: new Map(), isOMark: new Map() });
}

export async function workDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'concord-export-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function pdfPages(file: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}

/** The text of each page, in poppler's reading order. */
export async function pdfText(file: string): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 16 << 20 });
  return stdout.split('\f').slice(0, -1);
}

/** word/document.xml (or another part) of a DOCX, via unzip. */
export async function docxPart(file: string, part = 'word/document.xml'): Promise<string> {
  const { stdout } = await run('unzip', ['-p', file, part], { maxBuffer: 16 << 20 });
  return stdout;
}

/** The text of each `<w:p>` of a DOCX part. */
export function docxParagraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decodeXml(t[1] ?? '')).join(''),
  );
}

export function decodeXml(value: string): string {
  return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export interface GreyImage {
  width: number;
  height: number;
  /** 0 = black … 255 = white, row by row. */
  pixels: Uint8Array;
}

/** One page rendered to greyscale by pdftoppm (binary PGM, trivially parsed). */
export async function renderPage(file: string, page: number, dpi = 50): Promise<GreyImage> {
  const dir = await workDir();
  const prefix = path.join(dir, 'page');
  await run('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, prefix]);
  const data = await readFile(`${prefix}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PGM');
  const [all, width, height] = header;
  return { width: Number(width), height: Number(height), pixels: new Uint8Array(data.subarray(all.length)) };
}

export interface InkBand {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Horizontal bands of dark ink (text lines) between rows `from` and `to`; light marks (the watermark) are ignored. */
export function inkBands(image: GreyImage, from: number, to: number, threshold = 140): InkBand[] {
  const bands: InkBand[] = [];
  let current: InkBand | null = null;
  for (let y = from; y < Math.min(to, image.height); y++) {
    let left = -1;
    let right = -1;
    for (let x = 0; x < image.width; x++) {
      if ((image.pixels[y * image.width + x] ?? 255) < threshold) {
        if (left < 0) left = x;
        right = x;
      }
    }
    if (left < 0) {
      if (current) bands.push(current);
      current = null;
      continue;
    }
    if (current) {
      current.bottom = y;
      current.left = Math.min(current.left, left);
      current.right = Math.max(current.right, right);
    } else current = { top: y, bottom: y, left, right };
  }
  if (current) bands.push(current);
  return bands;
}

export async function saveTo(dir: string, name: string, body: ArrayBuffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, new Uint8Array(body));
  return file;
}
