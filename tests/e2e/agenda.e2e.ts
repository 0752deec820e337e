// Two delegates edit the seed's agenda of a meeting as a timetable, in real Chromium against the real
// server: one starts from the sample timetable and drags an item with the mouse (through dnd-kit),
// the other moves one with the keyboard and changes a duration; both screens show the same order and
// the same recomputed times in Islamabad (PKT) and Kabul (AFT) time, with overruns said in words.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Delegation, Role } from '../../shared/workspace.js';
import { join, newPerson, waitForStatus, type Person, useBrowserSuite } from './browser.js';
import { repoRoot } from './concord-process.js';

const suite = useBrowserSuite();
const { baseUrl } = suite;
const TRADE = 'Session 1: Border trade and transit';

/** The agenda document the seed created for the security group's first meeting (Islamabad). */
async function seedAgendaId(): Promise<string> {
  const initiative = await suite.api.initiative();
  const meeting = initiative.groups.find((g) => g.id === 'security')?.meetings[0];
  const agenda = meeting?.documents.find((d) => d.kind === 'agenda');
  if (!agenda) throw new Error('the seed has no agenda for the security group’s first meeting');
  return agenda.id;
}

async function openAgenda(documentId: string, name: string, delegation: Delegation, role: Role = 'delegate'): Promise<Person> {
  const invitation = await suite.api.invite({ role, groupId: 'security', delegation, name });
  const person = await newPerson(suite.browser);
  suite.track(person);
  await join(person, baseUrl, invitation.url, name);
  await person.page.goto(`${baseUrl}/d/${documentId}`);
  await person.page.getByRole('heading', { name: 'Timetable' }).waitFor();
  return person;
}

/** The sample timetable, as the first test also leaves it: what the later tests start from. */
const SAMPLE = ['Opening statements | 10:30 | 10:00', 'Tea break | 11:30 | 11:00', 'Working group recommendations | 11:45 | 11:15'];

/** Makes sure the seed's agenda holds the sample timetable (it is empty when a test runs alone). */
async function withSampleTimetable(editor: Person): Promise<void> {
  const start = editor.page.getByRole('button', { name: 'Start from a sample timetable' });
  await editor.page.locator('.agenda-session, .agenda-empty').first().waitFor();
  if (await start.isVisible()) await start.click();
  await waitForRows(editor.page, TRADE, SAMPLE);
}

/** The column headers of the first timetable, as shown (screen-reader-only text left out). */
function headersOf(page: Page): Promise<string[]> {
  return page.locator('.agenda-table').first().locator('thead th').evaluateAll((cells) =>
    cells.filter((cell) => cell.checkVisibility()).map((cell) => (cell.firstChild?.textContent ?? '').trim()),
  );
}

/** Each item of a session as `title | PKT start | AFT start | problems`. */
function rowsOf(page: Page, session: string): Promise<string[]> {
  return page.evaluate((title) => {
    const section = Array.from(document.querySelectorAll('.agenda-session')).find((s) => s.querySelector('h3')?.textContent === title);
    if (!section) return [];
    return Array.from(section.querySelectorAll<HTMLTableRowElement>('tr.agenda-item'), (row) => {
      const starts = Array.from(row.querySelectorAll('.agenda-time-start'), (cell) => cell.textContent);
      const flags = Array.from(row.querySelectorAll('.agenda-flag'), (flag) => flag.textContent?.replace('⚠ ', ''));
      return [row.getAttribute('aria-label'), ...starts, ...flags].join(' | ');
    });
  }, session);
}

async function waitForRows(page: Page, session: string, expected: string[]): Promise<void> {
  try {
    await page.waitForFunction(
      ({ title, want }) => {
        const section = Array.from(document.querySelectorAll('.agenda-session')).find((s) => s.querySelector('h3')?.textContent === title);
        if (!section) return false;
        const got = Array.from(section.querySelectorAll<HTMLTableRowElement>('tr.agenda-item'), (row) => {
          const starts = Array.from(row.querySelectorAll('.agenda-time-start'), (cell) => cell.textContent);
          const flags = Array.from(row.querySelectorAll('.agenda-flag'), (flag) => flag.textContent?.replace('⚠ ', ''));
          return [row.getAttribute('aria-label'), ...starts, ...flags].join(' | ');
        });
        return JSON.stringify(got) === JSON.stringify(want);
      },
      { title: session, want: expected },
      { timeout: 10_000 },
    );
  } catch (error) {
    throw new Error(`${session} never showed ${JSON.stringify(expected)}; last seen ${JSON.stringify(await rowsOf(page, session))}`, { cause: error });
  }
}

/** Drags `item`'s handle onto the row of `target` with the mouse, in small steps as a hand would. */
async function dragWithMouse(page: Page, item: string, target: string): Promise<void> {
  const handle = page.getByRole('button', { name: `Drag to reorder ${item}`, exact: true });
  await page.locator('tr.agenda-item', { has: page.getByRole('button', { name: `Drag to reorder ${target}`, exact: true }) }).scrollIntoViewIfNeeded();
  await handle.scrollIntoViewIfNeeded();
  const from = await handle.boundingBox();
  const to = await page.locator('tr.agenda-item', { has: page.getByRole('button', { name: `Drag to reorder ${target}`, exact: true }) }).boundingBox();
  if (!from || !to) throw new Error('rows are not on screen');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  const endY = to.y + to.height * 0.75;
  for (let step = 1; step <= 12; step++) await page.mouse.move(from.x + from.width / 2, from.y + ((endY - from.y) * step) / 12);
  await page.mouse.up();
}

describe('a joint agenda', () => {
  it('two delegates reorder and edit the timetable; both see the same order and times in PKT and AFT', async () => {
    const documentId = await seedAgendaId();
    const amina = await openAgenda(documentId, 'Amina', 'pk');
    const zarmina = await openAgenda(documentId, 'Zarmina', 'af');

    await amina.page.getByRole('button', { name: 'Start from a sample timetable' }).click();
    const sample = [
      'Opening statements | 10:30 | 10:00',
      'Tea break | 11:30 | 11:00',
      'Working group recommendations | 11:45 | 11:15',
    ];
    for (const person of [amina, zarmina]) await waitForRows(person.page, TRADE, sample);
    // The seed's meeting has no date yet: the page says which day it assumed.
    await zarmina.page.getByText('The meeting’s date is not set yet').waitFor();

    // Amina drags "Opening statements" below the others with the mouse: the fixed tea break stays at
    // 11:30, the recommendations follow it, and the statements now run past the session's end (13:00).
    await dragWithMouse(amina.page, 'Opening statements', 'Working group recommendations');
    const dragged = [
      'Tea break | 11:30 | 11:00',
      'Working group recommendations | 11:45 | 11:15',
      'Opening statements | 12:45 | 12:15 | Runs past the session’s end',
    ];
    for (const person of [amina, zarmina]) await waitForRows(person.page, TRADE, dragged);

    // Zarmina shortens the recommendations to 30 minutes: the statements move up and fit again.
    const row = zarmina.page.locator('tr.agenda-item[aria-label="Working group recommendations"]');
    await row.getByLabel('Duration (min)').fill('30');
    const shortened = [
      'Tea break | 11:30 | 11:00',
      'Working group recommendations | 11:45 | 11:15',
      'Opening statements | 12:15 | 11:45',
    ];
    for (const person of [amina, zarmina]) await waitForRows(person.page, TRADE, shortened);

    // And moves "Opening statements" back to the top with the keyboard, through its "Move up" button
    // (the accessible alternative to dragging), waiting for the order on screen after each press.
    const moveUp = zarmina.page.getByRole('button', { name: 'Move Opening statements up', exact: true });
    await moveUp.focus();
    await zarmina.page.keyboard.press('Enter');
    await waitForRows(zarmina.page, TRADE, [
      'Tea break | 11:30 | 11:00',
      'Opening statements | 11:45 | 11:15',
      'Working group recommendations | 12:15 | 11:45',
    ]);
    await moveUp.focus();
    await zarmina.page.keyboard.press('Enter');
    const restored = [
      'Opening statements | 10:30 | 10:00',
      'Tea break | 11:30 | 11:00',
      'Working group recommendations | 11:45 | 11:15',
    ];
    for (const person of [amina, zarmina]) await waitForRows(person.page, TRADE, restored);

    // Bilingual titles: the Urdu title of the opening item runs right-to-left in Nastaliq.
    const urdu = amina.page.locator('input.agenda-local-title[lang="ur"]').first();
    await expect.poll(() => urdu.evaluate((el) => [getComputedStyle(el).direction, getComputedStyle(el).fontFamily.split(',')[0]])).toEqual(['rtl', '"Noto Nastaliq Urdu"']);

    await mkdir(path.join(repoRoot, 'test-results'), { recursive: true });
    await amina.page.screenshot({ path: path.join(repoRoot, 'test-results/agenda-timetable.png'), fullPage: true });
  });

  it('an observer sees the same timetable in PKT and AFT but can change nothing in it', async () => {
    // A fresh agenda of its own, so this test does not depend on what the others left behind.
    const documentId = await suite.api.createDocument('observer agenda', 'security', 'agenda');
    const bashir = await openAgenda(documentId, 'Bashir', 'pk');
    await withSampleTimetable(bashir);
    const omar = await openAgenda(documentId, 'Omar', 'af', 'observer');
    await waitForRows(omar.page, TRADE, SAMPLE);
    await waitForStatus(omar.page, 'Read only');
    expect(await headersOf(omar.page)).toEqual(['Order', 'PKT', 'AFT', 'Item', 'Timing', 'People', 'Note and outcome', 'Problems']);
    const timetable = omar.page.locator('.agenda');

    // Every field of the timetable is there to read, but disabled or read-only.
    const fields = await timetable.locator('input, select, textarea').evaluateAll((elements) =>
      elements.map((el) => ({
        name: el.closest('label')?.querySelector('span')?.textContent ?? el.tagName,
        locked: (el as HTMLInputElement).disabled || (el as HTMLInputElement).readOnly,
      })),
    );
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.filter((field) => !field.locked)).toEqual([]);
    for (const field of await timetable.locator('input, select, textarea').all()) expect(await field.isEditable()).toBe(false);

    // No drag handles and no buttons to move, add or delete anything, enabled or not.
    expect(await timetable.locator('button, .agenda-handle, [aria-roledescription="sortable"]').count()).toBe(0);
    for (const name of [/^Drag to reorder/, /^Move /, /^Delete/, /^Add /, /^Remove speaker/, 'Start from a sample timetable']) {
      expect(await omar.page.getByRole('button', { name }).count()).toBe(0);
    }

    // The observer tries anyway: clicks into fields, types, presses the keys that reorder, drags a row.
    const opening = omar.page.locator('tr.agenda-item[aria-label="Opening statements"]');
    await opening.getByLabel('Duration (min)').click({ force: true });
    await omar.page.keyboard.type('5');
    await opening.getByLabel('Moderator').click({ force: true });
    await omar.page.keyboard.insertText('Observer words');
    await opening.locator('.agenda-position').click();
    for (const key of ['Space', 'ArrowDown', 'ArrowDown', 'Space', 'Delete']) await omar.page.keyboard.press(key);
    const from = await opening.boundingBox();
    const to = await omar.page.locator('tr.agenda-item[aria-label="Working group recommendations"]').boundingBox();
    if (!from || !to) throw new Error('rows are not on screen');
    await omar.page.mouse.move(from.x + 10, from.y + from.height / 2);
    await omar.page.mouse.down();
    for (let step = 1; step <= 8; step++) await omar.page.mouse.move(from.x + 10, from.y + ((to.y + to.height - from.y) * step) / 8);
    await omar.page.mouse.up();
    await waitForRows(omar.page, TRADE, SAMPLE);

    // A later edit of the editor's reaches the observer, so the observer's connection was live all along.
    const moderator = bashir.page.locator('tr.agenda-item[aria-label="Opening statements"]').getByLabel('Moderator');
    await moderator.fill('Farah');
    await expect.poll(() => opening.getByLabel('Moderator').inputValue()).toBe('Farah');
    await waitForStatus(bashir.page, 'All changes saved');
    await waitForRows(bashir.page, TRADE, SAMPLE);
    expect(await bashir.page.locator('tr.agenda-item[aria-label="Opening statements"]').getByLabel('Duration (min)').inputValue()).toBe(
      await opening.getByLabel('Duration (min)').inputValue(),
    );

    // And what the server keeps is the editor's agenda: a fresh load shows it unchanged.
    await bashir.page.reload();
    await waitForRows(bashir.page, TRADE, SAMPLE);
    await expect.poll(() => moderator.inputValue()).toBe('Farah');
    await moderator.fill('');
    await waitForStatus(bashir.page, 'All changes saved');
  });

  it('prints the timetable with both time columns and without its editing controls', async () => {
    const documentId = await suite.api.createDocument('print agenda', 'security', 'agenda');
    const amina = await openAgenda(documentId, 'Amina', 'pk');
    await withSampleTimetable(amina);
    const { page } = amina;
    const controls = page.locator('.agenda button, .agenda-tabs, .agenda-field:has(select)');
    const handle = page.locator('tr.agenda-item[aria-label="Opening statements"] .agenda-handle');
    await handle.waitFor();
    expect(await controls.count()).toBeGreaterThan(10);

    await page.emulateMedia({ media: 'print' });
    await handle.waitFor({ state: 'hidden' });
    await page.getByText('Add session', { exact: true }).waitFor({ state: 'hidden' });
    // Every button of the timetable (handles, moves, deletes, adds) and the tabs are not drawn at all.
    await expect
      .poll(() => controls.evaluateAll((elements) => elements.filter((el) => el.checkVisibility()).length))
      .toBe(0);
    expect(await handle.evaluate((el) => getComputedStyle(el).display)).toBe('none');
    // The timetable and both time columns stay.
    expect(await page.locator('.agenda-table').first().isVisible()).toBe(true);
    expect(await headersOf(page)).toEqual(['Order', 'PKT', 'AFT', 'Item', 'Timing', 'People', 'Note and outcome', 'Problems']);
    await waitForRows(page, TRADE, SAMPLE);
    const times = await page.locator('.agenda-session', { has: page.getByRole('heading', { name: TRADE }) }).locator('.agenda-time-start').all();
    expect(times.length).toBe(2 * SAMPLE.length);
    for (const time of times) expect(await time.isVisible()).toBe(true);

    // The PDF Chromium prints has both columns' times, and none of the buttons' words.
    await mkdir(path.join(repoRoot, 'test-results'), { recursive: true });
    const pdfPath = path.join(repoRoot, 'test-results/agenda-print.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', landscape: true });
    const { stdout: text } = await promisify(execFile)('pdftotext', ['-layout', pdfPath, '-']);
    const lines = text.split('\n');
    expect(lines.some((line) => /\bPKT\b.*\bAFT\b/.test(line) && line.includes('Item'))).toBe(true);
    const printed: Array<[string, string, string]> = [
      ['Opening statements', '10:30', '10:00'],
      ['Tea break', '11:30', '11:00'],
      ['Working group recommendations', '11:45', '11:15'],
    ];
    for (const [title, pkt, aft] of printed) {
      expect(text, `${title} in the PDF`).toContain(title);
      expect(lines.some((line) => line.indexOf(pkt) >= 0 && line.indexOf(aft) > line.indexOf(pkt)), `${pkt} PKT then ${aft} AFT on one line`).toBe(true);
    }
    for (const word of ['Add session', 'Add break', 'Move up', 'Delete', '⠿', 'Start from a sample']) expect(text).not.toContain(word);
  });
});
