// An agenda document exports its timetable before the text, in HTML, Markdown, DOCX and PDF: a heading
// per session and a row per item with the time in both capitals (PKT and AFT), the English and the
// local title (with its language and direction), the speakers and the duration. The agenda is written
// over a real websocket into the seed's agenda document with the shared agenda writers.
import { describe, expect, it } from 'vitest';
import type { InitiativeView } from '../../shared/workspace.js';
import { addItem, addSession } from '../../shared/agenda.js';
import { findChromium } from '../../server/export/find-chromium.js';
import { connectProvider, requestSave } from '../helpers/provider.js';
import { TEST_MEETING_ID, organiserToken } from '../helpers/test-access.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { SAMPLES, docxPart, docxParagraphs, paragraph, pdfText, saveTo, setContent, text, workDir } from './export-support.js';

async function download(server: TestServer, token: string, id: string, format: string): Promise<Response> {
  const response = await fetch(`${server.url}/api/documents/${id}/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, await response.clone().text()).toBe(200);
  return response;
}

describe('agenda export', () => {
  it('renders the timetable with PKT and AFT columns, both titles and the speakers in every format', { timeout: 60_000 }, async () => {
    const server = await startTestServer();
    const token = await organiserToken(server.url);
    const initiative = (await (await fetch(`${server.url}/api/initiative`, { headers: { authorization: `Bearer ${token}` } })).json()) as InitiativeView;
    const meeting = initiative.groups.flatMap((g) => g.meetings).find((m) => m.id === TEST_MEETING_ID);
    const agendaDoc = meeting?.documents.find((d) => d.kind === 'agenda');
    expect(agendaDoc, 'the seed has an agenda document in the test meeting').toBeDefined();
    const id = (agendaDoc as { id: string }).id;
    expect(meeting?.timeZone).toBe('Asia/Karachi');

    const editor = await connectProvider(server.url, id);
    setContent(editor.doc, { type: 'doc', content: [paragraph(text('Notes after the timetable.'))] });
    const session = addSession(editor.doc, { title: 'Session 1: Border <trade>', start: '10:00', end: '12:00' });
    addItem(editor.doc, session, {
      titleEn: 'Opening statements & welcome',
      titleLocal: SAMPLES.urdu,
      localLang: 'ur',
      duration: 45,
      speakers: [{ name: 'Bilal Ahmed', delegation: 'pk' }, { name: 'Zarghuna Rahimi', delegation: 'af' }],
    });
    addItem(editor.doc, session, { titleEn: 'Tea break', kind: 'break', startMode: 'fixed', fixedStart: '11:30', duration: 15 });
    await requestSave(editor.provider, 1);

    // HTML: both time columns, an item at 10:00 PKT is 09:30 AFT; titles escaped, local title tagged.
    const html = await (await download(server, token, id, 'html')).text();
    expect(html).toContain('<th scope="col">Time (PKT)</th><th scope="col">Time (AFT)</th>');
    expect(html).toContain('<td class="time">10:00–10:45</td><td class="time">09:30–10:15</td>');
    expect(html).toContain('<td class="time">11:30–11:45</td><td class="time">11:00–11:15</td>');
    expect(html).toContain('Opening statements &amp; welcome');
    expect(html).toContain(`<div class="title-local" dir="auto" lang="ur">${SAMPLES.urdu}</div>`);
    expect(html).toContain('Bilal Ahmed (Pakistan)');
    expect(html).toContain('Zarghuna Rahimi (Afghanistan)');
    expect(html).toContain('Session 1: Border &lt;trade&gt;');
    expect(html).not.toContain('<trade>');
    expect(html.indexOf('table class="agenda"')).toBeLessThan(html.indexOf('Notes after the timetable.'));

    // Markdown: a table with both time columns.
    const md = await (await download(server, token, id, 'md')).text();
    expect(md).toContain('| Time (PKT) | Time (AFT) | Item | Speakers | Duration |');
    expect(md).toContain(`| 10:00–10:45 | 09:30–10:15 | Opening statements & welcome / ${SAMPLES.urdu} | Bilal Ahmed (Pakistan); Zarghuna Rahimi (Afghanistan) | 45 min |`);
    expect(md).toContain('| 11:30–11:45 | 11:00–11:15 | Tea break |  | 15 min |');
    expect(md).toContain('## Session 1: Border \\<trade\\>');
    expect(md.indexOf('Time (PKT)')).toBeLessThan(md.indexOf('Notes after the timetable.'));

    // DOCX: a table, the local title in right-to-left runs.
    const dir = await workDir();
    const docx = await saveTo(dir, 'agenda.docx', await (await download(server, token, id, 'docx')).arrayBuffer());
    const xml = await docxPart(docx);
    expect(xml).toContain('<w:tbl>');
    const paragraphs = docxParagraphs(xml);
    for (const cell of ['Time (PKT)', 'Time (AFT)', '10:00–10:45', '09:30–10:15', 'Opening statements & welcome', SAMPLES.urdu, 'Bilal Ahmed (Pakistan)']) {
      expect(paragraphs, cell).toContain(cell);
    }
    expect(xml).toMatch(/<w:rtl\/>[\s\S]{0,400}دونوں وفود/);

    // PDF: the rows' text in both zones.
    expect(findChromium(process.env['CHROMIUM_PATH'] ?? null), 'Chromium is needed: apt-get install chromium fonts-noto-core').not.toBeNull();
    const pdf = await saveTo(dir, 'agenda.pdf', await (await download(server, token, id, 'pdf')).arrayBuffer());
    const pages = (await pdfText(pdf)).join('\n');
    expect(pages).toContain('Time (PKT)');
    expect(pages).toContain('Time (AFT)');
    expect(pages).toMatch(/10:00–10:45[\s\S]{0,40}09:30–10:15/);
  });
});
