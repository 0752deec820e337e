// Two delegates edit the seed's agenda of a meeting as a timetable, in real Chromium against the real
// server: one starts from the sample timetable and drags an item with the mouse (through dnd-kit),
// the other moves one with the keyboard and changes a duration; both screens show the same order and
// the same recomputed times in Islamabad (PKT) and Kabul (AFT) time, with overruns said in words.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Delegation } from '../../shared/workspace.js';
import { join, launchBrowser, newPerson, suiteOrganiserInvitation, suiteServerUrl, type Person } from './browser.js';
import { repoRoot } from './concord-process.js';
import { OrganiserApi } from './organiser-api.js';

let browser: Browser;
let api: OrganiserApi;
let people: Person[] = [];
const baseUrl = suiteServerUrl();
const TRADE = 'Session 1: Border trade and transit';

beforeAll(async () => {
  browser = await launchBrowser();
  api = await OrganiserApi.signIn(baseUrl, suiteOrganiserInvitation());
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const person of people) {
    expect(person.errors, 'the page logged errors').toEqual([]);
    await person.context.close();
  }
  people = [];
});

/** The agenda document the seed created for the security group's first meeting (Islamabad). */
async function seedAgendaId(): Promise<string> {
  const initiative = await api.initiative();
  const meeting = initiative.groups.find((g) => g.id === 'security')?.meetings[0];
  const agenda = meeting?.documents.find((d) => d.kind === 'agenda');
  if (!agenda) throw new Error('the seed has no agenda for the security group’s first meeting');
  return agenda.id;
}

async function openAgenda(documentId: string, name: string, delegation: Delegation): Promise<Person> {
  const invitation = await api.invite({ role: 'delegate', groupId: 'security', delegation, name });
  const person = await newPerson(browser);
  people.push(person);
  await join(person, baseUrl, invitation.url, name);
  await person.page.goto(`${baseUrl}/d/${documentId}`);
  await person.page.getByRole('heading', { name: 'Timetable' }).waitFor();
  return person;
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

    // And moves "Opening statements" back to the top with the keyboard (dnd-kit's keyboard sensor).
    const handle = zarmina.page.getByRole('button', { name: 'Drag to reorder Opening statements', exact: true });
    await handle.focus();
    // Each key waits for dnd-kit's screen-reader announcement, which also says it measured the rows.
    const announced = (text: string) => zarmina.page.getByText(text, { exact: true }).waitFor({ state: 'attached' });
    await zarmina.page.keyboard.press('Space');
    await announced('Opening statements is over position 3 of 3.');
    await zarmina.page.keyboard.press('ArrowUp');
    await announced('Opening statements is over position 2 of 3.');
    await zarmina.page.keyboard.press('ArrowUp');
    await announced('Opening statements is over position 1 of 3.');
    await zarmina.page.keyboard.press('Space');
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
});
