// Export over the real API with real Chromium: PDF (release header, page numbers, the draft marking on
// every page, the agreed version's hash), DOCX (bidi paragraphs, RTL runs with their languages), HTML
// and Markdown; each keeps the paragraphs and the Urdu, Dari and Pashto sentences in logical order,
// drops hostile links and markup, and, for Chatham House exports, every personal name. A page image
// shows the Arabic-script lines set against the right margin. Chromium missing fails these loudly.
import net from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SaveVersionAnswer } from '../../shared/versions.js';
import { findChromium } from '../../server/export/find-chromium.js';
import { PdfRenderer } from '../../server/export/pdf-renderer.js';
import { createLogger } from '../../server/log.js';
import { connectProvider, requestSave } from '../helpers/provider.js';
import { organiserToken } from '../helpers/test-access.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { BACKGROUND_WORK_TIMEOUT_MS, waitFor } from '../helpers/wait-for.js';
import {
  SAMPLES,
  communique,
  docxPart,
  docxParagraphs,
  inkBands,
  type InkBand,
  paragraph,
  pdfPages,
  pdfText,
  renderPage,
  saveTo,
  setContent,
  text,
  workDir,
} from './export-support.js';
import { api, invite, makeSignatory } from './versions-support.js';

const DOC = 'communique-export';
const ZWNJ = /\u200C/g;
const AUTHOR = 'Ayesha Siddiqa';
const SIGNERS = ['Bilal Ahmed', 'Zarghuna Rahimi'];

async function download(server: TestServer, token: string | null, query: string): Promise<Response> {
  return fetch(`${server.url}/api/documents/${DOC}/export?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function exported(server: TestServer, token: string, query: string, dir: string, name: string): Promise<string> {
  const response = await download(server, token, query);
  expect(response.status, await response.clone().text()).toBe(200);
  return saveTo(dir, name, await response.arrayBuffer());
}

/** Every string in `needles` occurs in `haystack`, in this order. */
function expectInOrder(haystack: string, needles: readonly string[]): void {
  let at = -1;
  for (const needle of needles) {
    const found = haystack.indexOf(needle, at + 1);
    expect(found, `"${needle}" after position ${at}`).toBeGreaterThan(at);
    at = found;
  }
}

/** A server with the sample communiqué: version 1 agreed (saved by AUTHOR, signed by SIGNERS), then the live text edited. */
async function agreedCommunique(filler = 45) {
  expect(findChromium(process.env['CHROMIUM_PATH'] ?? null), 'Chromium is needed: apt-get install chromium fonts-noto-core').not.toBeNull();
  const server = await startTestServer();
  const organiser = await organiserToken(server.url);
  const rapporteur = await invite(server, 'rapporteur', 'security', 'pk', AUTHOR);
  const pkSigner = await invite(server, 'delegate', 'security', 'pk', SIGNERS[0] as string);
  const afSigner = await invite(server, 'delegate', 'security', 'af', SIGNERS[1] as string);
  await makeSignatory(server, 'security', 'pk', pkSigner.id);
  await makeSignatory(server, 'security', 'af', afSigner.id);
  const editor = await connectProvider(server.url, DOC);
  setContent(editor.doc, communique(filler));
  await requestSave(editor.provider, 1);
  const saved = await api<SaveVersionAnswer>(server, rapporteur.token, 'POST', `/documents/${DOC}/versions`, { name: 'Islamabad final' });
  expect(saved.status).toBe(201);
  const v1 = saved.body.version;
  const step = (token: string, action: string) => api(server, token, 'POST', `/documents/${DOC}/versions/${v1.id}/${action}`, {});
  expect((await step(rapporteur.token, 'propose')).status).toBe(200);
  expect((await step(pkSigner.token, 'sign')).status).toBe(200);
  expect((await step(afSigner.token, 'sign')).status).toBe(200);
  return { server, organiser, editor, v1 };
}

describe('export', () => {
  it('prints the live draft and the agreed version to PDF with release header, page numbers, watermark and hash', { timeout: 60_000 }, async () => {
    const { server, organiser, editor, v1 } = await agreedCommunique();
    const dir = await workDir();

    // Unchanged since the sign-off, the live text is the agreed text.
    const liveAgreed = await download(server, organiser, 'format=html');
    expect(liveAgreed.headers.get('x-concord-agreed')).toBe('true');

    setContent(editor.doc, { ...communique(45), content: [...(communique(45).content as object[]), paragraph(text('A late amendment.'))] });
    await requestSave(editor.provider, 2);

    const draftFile = await exported(server, organiser, 'format=pdf', dir, 'draft.pdf');
    const pages = await pdfText(draftFile);
    const count = await pdfPages(draftFile);
    expect(count).toBeGreaterThanOrEqual(2);
    expect(pages).toHaveLength(count);
    pages.forEach((page, i) => {
      expect(page).toContain('Beyond Boundaries · Regional Security Group · Meeting 1, Islamabad');
      expect(page).toContain(`Test document ${DOC}`);
      expect(page).toContain('DRAFT — NOT AGREED');
      expect(page).toContain(`Page ${i + 1} of ${count}`);
    });
    const all = pages.join('\n');
    expect(all).not.toContain(v1.contentHash);
    expectInOrder(all.replace(ZWNJ, ''), [
      'Joint recommendations',
      SAMPLES.mixed.slice(0, 34),
      'Reopen the crossing within thirty days.',
      'Filler paragraph 1:',
      'Filler paragraph 45:',
      'End of the communiqué.',
      'A late amendment.',
    ]);
    // Each sample sentence, as poppler extracts it (it splits Nastaliq into letter groups and moves
    // final punctuation of RTL lines): compared without spaces, joiners, bidi controls and end marks.
    const bare = (value: string) => value.replace(/\s|\u200C|\u200D|[\u202A-\u202E\u2066-\u2069.۔]/gu, '');
    for (const sample of [SAMPLES.urdu, SAMPLES.dari, SAMPLES.pashto]) expect(bare(all)).toContain(bare(sample));
    expect(all).not.toContain('javascript');

    // The agreed version: its name and hash in every footer, no draft marking anywhere, signatories named.
    const agreedFile = await exported(server, organiser, `format=pdf&version=${v1.id}`, dir, 'agreed.pdf');
    const agreedPages = await pdfText(agreedFile);
    expect(agreedPages.length).toBe(await pdfPages(agreedFile));
    agreedPages.forEach((page, i) => {
      expect(page).toContain(`Agreed version: Version 1 “Islamabad final” · SHA-256 ${v1.contentHash}`);
      expect(page).toContain(`Page ${i + 1} of ${agreedPages.length}`);
      expect(page).not.toMatch(/DRAFT/);
    });
    expect(agreedPages.join('\n')).toContain(`saved by ${AUTHOR}`);
    for (const name of SIGNERS) expect(agreedPages.join('\n')).toContain(name);

    // Ink on page 1: the release block, the heading and the mixed English line start at the left
    // margin; then come exactly three lines (Urdu, Dari, Pashto) that end at the right margin and start
    // far from the left one; then the bullet list starts at the left again.
    const image = await renderPage(agreedFile, 1);
    const margin = Math.round((18 / 210) * image.width);
    const bands = inkBands(image, Math.round(image.height * 0.09), Math.round(image.height * 0.9)).filter((b) => b.bottom - b.top >= 2);
    const rightAligned = (band: InkBand | undefined) => !!band && image.width - band.right < margin + 8 && band.left > image.width * 0.3;
    const first = bands.findIndex(rightAligned);
    expect(first, JSON.stringify(bands)).toBeGreaterThan(3);
    for (const band of bands.slice(0, first)) expect(band.left, JSON.stringify(band)).toBeLessThan(margin + 8);
    const [urdu, dari, pashto, list] = bands.slice(first, first + 4);
    for (const band of [urdu, dari, pashto]) expect(rightAligned(band), JSON.stringify(band)).toBe(true);
    expect(list?.left).toBeLessThan(margin + 16);
    const mixed = bands[first - 1];
    expect(mixed?.right).toBeLessThan(image.width - margin - 10);
  });

  it('writes DOCX, HTML and Markdown with the sentences in order, RTL properties and languages, and no hostile link or markup', { timeout: 30_000 }, async () => {
    const { server, organiser, v1 } = await agreedCommunique(2);
    const dir = await workDir();
    const order = ['Joint recommendations', SAMPLES.mixed, SAMPLES.urdu, SAMPLES.dari, SAMPLES.pashto, 'Reopen the crossing within thirty days.', 'End of the communiqué.'];

    const docxFile = await exported(server, organiser, `format=docx&version=${v1.id}`, dir, 'agreed.docx');
    const xml = await docxPart(docxFile);
    const paragraphs = docxParagraphs(xml);
    expectInOrder(paragraphs.join('\n'), order); // exact, zero-width non-joiners and Pashto letters included
    const paragraphXml = (sentence: string) => [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]).find((p) => p.includes(sentence.slice(0, 12)));
    for (const [sentence, tag] of [[SAMPLES.urdu, 'ur-PK'], [SAMPLES.dari, 'fa-AF'], [SAMPLES.pashto, 'ps-AF']] as const) {
      const p = paragraphXml(sentence) ?? '';
      expect(p).toContain('<w:bidi/>');
      // AlignmentType.RIGHT: in a bidi paragraph Word reads jc "left" as the right margin, and docx
      // writes it so (its documented mapping), so the paragraph sits on the right in Word and LibreOffice.
      expect(p).toMatch(/<w:jc w:val="left"\/>/);
      expect(p).toContain('<w:rtl/>');
      expect(p).toContain(`w:bidi="${tag}"`);
    }
    expect(paragraphXml(SAMPLES.urdu)).toContain('w:cs="Noto Nastaliq Urdu"');
    expect(paragraphXml(SAMPLES.pashto)).toContain('w:cs="Noto Naskh Arabic"');
    const mixedXml = paragraphXml(SAMPLES.mixed) ?? '';
    expect(mixedXml).not.toContain('<w:bidi/>');
    expect(mixedXml).toContain('w:val="en-GB"');
    expect(mixedXml).toContain('w:bidi="fa-AF"'); // the Dari words inside the English line
    const footer = (await docxPart(docxFile, 'word/footer1.xml')) + (await docxPart(docxFile, 'word/header1.xml'));
    expect(footer).toContain(v1.contentHash);
    expect(footer).toContain('PAGE');
    expect(footer).toContain('NUMPAGES');
    expect(footer).not.toContain('DRAFT');
    expect(xml).not.toContain('javascript');

    const html = await (await download(server, organiser, `format=html&version=${v1.id}`)).text();
    expectInOrder(html.slice(html.indexOf('<main>')).replace(/<[^>]*>/g, ''), order);
    expect(html).toContain('lang="ur"');
    expect(html).toContain('lang="fa"');
    expect(html).toContain('lang="ps"');
    expect(html).toMatch(/<p dir="auto" lang="en">The delegates agreed on Article 3 \(<span lang="fa">توصیه‌های مشترک<\/span>\)/);
    expect(html).toContain('href="https://example.org/archive"');
    expect(html).not.toContain('javascript');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/(src|href)="(?!https:\/\/example\.org\/archive)/);

    const md = await (await download(server, organiser, `format=md&version=${v1.id}`)).text();
    expect(md).toContain('- **Reopen the crossing** within thirty days.');
    expectInOrder(md.replace(/\*\*/g, ''), order);
    expect(md).toContain('[the archive](<https://example.org/archive>)');
    expect(md).not.toContain('javascript');
    expect(md).toContain(`SHA-256 ${v1.contentHash}`);
    expect(md).toContain(AUTHOR);

    // Chatham House: no personal name in any format (HTML, Markdown, DOCX parts, PDF text and metadata).
    const people = [AUTHOR, ...SIGNERS, 'Test organiser'];
    for (const format of ['html', 'md', 'docx', 'pdf']) {
      const file = await exported(server, organiser, `format=${format}&version=${v1.id}&attribution=none`, dir, `anonymous.${format}`);
      const { stdout } = await import('node:child_process').then(({ execFileSync }) => ({
        stdout:
          format === 'docx'
            ? execFileSync('unzip', ['-p', file], { encoding: 'utf8', maxBuffer: 16 << 20 })
            : format === 'pdf'
              ? execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }) + execFileSync('pdfinfo', [file], { encoding: 'utf8' })
              : execFileSync('cat', [file], { encoding: 'utf8' }),
      }));
      for (const person of people) expect(stdout, `${person} in ${format}`).not.toContain(person);
      for (const word of people.flatMap((name) => name.split(' ')).filter((w) => w.length > 4)) expect(stdout, `${word} in ${format}`).not.toContain(word);
      expect(stdout).toContain(format === 'docx' ? 'Islamabad final' : v1.contentHash);
    }
  });

  it('refuses without a session (401), outside the group (403), unknown documents and versions (404) and bad parameters (400); observers may export', { timeout: 30_000 }, async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setContent(editor.doc, { type: 'doc', content: [paragraph(text(SAMPLES.dari))] });
    await requestSave(editor.provider, 1);
    const observer = await invite(server, 'observer', 'security', 'af', 'Observer');
    const outsider = await invite(server, 'delegate', 'civil-society', 'pk', 'Outsider');
    expect((await download(server, null, 'format=html')).status).toBe(401);
    expect((await download(server, outsider.token, 'format=html')).status).toBe(403);
    const unknown = await fetch(`${server.url}/api/documents/no-such-document/export?format=pdf`, { headers: { authorization: `Bearer ${organiser}` } });
    expect(unknown.status).toBe(404);
    expect((await download(server, organiser, 'format=md&version=no-such-version')).status).toBe(404);
    expect((await download(server, organiser, 'format=odt')).status).toBe(400);
    expect((await download(server, organiser, 'format=md&attribution=some')).status).toBe(400);
    const observed = await download(server, observer.token, 'format=md');
    expect(observed.status).toBe(200);
    expect(observed.headers.get('content-disposition')).toMatch(/^attachment; filename="Test-document-communique-export-live-draft\.md"/);
    expect(await observed.text()).toContain('**DRAFT — NOT AGREED**');
  });

  it('exports the live text of a document nobody has open, every accepted edit included, without loading it', { timeout: 45_000 }, async () => {
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setContent(editor.doc, { type: 'doc', content: [paragraph(text(SAMPLES.pashto)), paragraph(text('Last words before leaving.'))] });
    await requestSave(editor.provider, 1);
    editor.provider.destroy();
    const inMemory = async (): Promise<number> =>
      ((await (await fetch(`${server.url}/healthz`)).json()) as { documentsInMemory: number }).documentsInMemory;
    // Its last editor left after changes: an automatic version (export process) comes before the unload.
    await waitFor(async () => (await inMemory()) === 0, { message: 'the document to be unloaded', timeout: BACKGROUND_WORK_TIMEOUT_MS });

    // The export process reads the text from the database; the server does not load the document.
    const markdown = await download(server, organiser, 'format=md');
    expect(markdown.status).toBe(200);
    const body = await markdown.text();
    expect(body).toContain(SAMPLES.pashto);
    expect(body).toContain('Last words before leaving.');
    expect(await inMemory()).toBe(0);
  });

  it('sends every file whole, with its length and names, and goes on after a client that gave up while it rendered', { timeout: 60_000 }, async () => {
    expect(findChromium(process.env['CHROMIUM_PATH'] ?? null), 'Chromium is needed: apt-get install chromium fonts-noto-core').not.toBeNull();
    const server = await startTestServer();
    const organiser = await organiserToken(server.url);
    const editor = await connectProvider(server.url, DOC);
    setContent(editor.doc, communique(10));
    await requestSave(editor.provider, 1);
    // The request arrives whole, then the client hangs up before the PDF can be ready.
    const { port } = new URL(server.url);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.end(`GET /api/documents/${DOC}/export?format=pdf HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${organiser}\r\n\r\n`);
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
    for (const format of ['pdf', 'docx', 'html', 'md'] as const) {
      const response = await download(server, organiser, `format=${format}`);
      expect(response.status).toBe(200);
      const body = new Uint8Array(await response.arrayBuffer());
      expect(body.byteLength).toBeGreaterThan(100);
      expect(Number(response.headers.get('content-length'))).toBe(body.byteLength);
      expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="[^"]+-live-draft\\.${format}"; filename\\*=UTF-8''`));
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-concord-agreed')).toBe('false');
      if (format === 'pdf') expect(new TextDecoder().decode(body.subarray(0, 5))).toBe('%PDF-');
    }
    // The connection the server handed over is closed after each file; the server itself goes on.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers 503 with how to install Chromium when there is none, and keeps the other formats working', async () => {
    const server = await startTestServer({ CHROMIUM_PATH: '/nonexistent/chromium' });
    const organiser = await organiserToken(server.url);
    await connectProvider(server.url, DOC);
    const pdf = await download(server, organiser, 'format=pdf');
    expect(pdf.status).toBe(503);
    const body = (await pdf.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('export_unavailable');
    expect(body.error.message).toContain('apt-get install chromium fonts-noto-core');
    expect((await download(server, organiser, 'format=html')).status).toBe(200);
    expect((await download(server, organiser, 'format=docx')).status).toBe(200);
  });

  it('queues PDF jobs with a bound: one browser, one page per job at a time, export_busy beyond the queue', { timeout: 30_000 }, async () => {
    const renderer = new PdfRenderer({ chromiumPath: null, log: createLogger('silent'), concurrency: 1, maxQueued: 1 });
    onTestFinished(() => renderer.close());
    const page = { html: '<p>x</p>', headerTemplate: '<span></span>', footerTemplate: '<span></span>' };
    const jobs = [renderer.render(page), renderer.render(page), renderer.render(page)];
    const results = await Promise.allSettled(jobs);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ status: 503, code: 'export_busy' });
    expect(renderer.load).toEqual({ running: 0, waiting: 0 });
    // A page that asks for remote resources still renders, with every request refused.
    const remote = await renderer.render({ ...page, html: '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="https://example.org/x.css"><p>ok</p>' });
    expect(remote.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('keeps its pages between jobs, and nothing of one document reaches the next one printed on that page', { timeout: 30_000 }, async () => {
    const renderer = new PdfRenderer({ chromiumPath: null, log: createLogger('silent'), concurrency: 1 });
    onTestFinished(() => renderer.close());
    const dir = await workDir();
    const blank = { headerTemplate: '<span></span>', footerTemplate: '<span></span>' };
    const first = await renderer.render({ ...blank, html: `<p>Karachi draft one</p><p dir="rtl" lang="ur">${SAMPLES.urdu}</p>` });
    const second = await renderer.render({ ...blank, html: '<p>Kabul draft two</p>' });
    const [firstText, secondText] = await Promise.all([
      saveTo(dir, 'first.pdf', new Uint8Array(first).buffer).then(pdfText),
      saveTo(dir, 'second.pdf', new Uint8Array(second).buffer).then(pdfText),
    ]);
    expect(firstText.join('\n')).toContain('Karachi draft one');
    expect(secondText.join('\n')).toContain('Kabul draft two');
    expect(secondText.join('\n')).not.toContain('Karachi');
    expect(secondText).toHaveLength(1);
    expect(renderer.pagesOpened).toBe(1);
  });
});
