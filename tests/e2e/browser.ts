// What the browser tests share: Debian's Chromium, people who join through invitation links and open
// documents, reading the status line and the editor, and the team's script samples.
import type { Editor as TiptapEditor } from '@tiptap/core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Delegation } from '../../shared/workspace.js';
import scripts from '../fixtures/scripts.json';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { OrganiserApi, invitationCode } from './organiser-api.js';

export type SampleLang = 'en' | 'ur' | 'fa-AF' | 'ps' | 'mixed';

export function sample(lang: SampleLang): string {
  const found = scripts.samples.find((s) => s.lang === lang);
  if (!found) throw new Error(`tests/fixtures/scripts.json has no ${lang} sample`);
  return found.text;
}

/** The server the runner started (scripts/e2e.ts sets it). */
export function suiteServerUrl(): string {
  const url = process.env.CONCORD_E2E_URL;
  if (!url) throw new Error('CONCORD_E2E_URL is not set: run the browser tests with `npx tsx scripts/e2e.ts`');
  return url;
}

/** The organiser link the suite's server printed on its first start (scripts/e2e.ts passes it on). */
export function suiteOrganiserInvitation(): string {
  const url = process.env.CONCORD_E2E_ORGANISER_INVITATION;
  if (!url) throw new Error('CONCORD_E2E_ORGANISER_INVITATION is not set: run the browser tests with `npx tsx scripts/e2e.ts`');
  return url;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What the browser test files share: one Chromium and a signed-in organiser per file, and the people opened. */
export interface BrowserSuite {
  readonly baseUrl: string;
  readonly browser: Browser;
  readonly api: OrganiserApi;
  /** Follows a person a test opened: after the test, their page must have logged no errors, and it is closed. */
  track<T extends Person>(person: T): T;
}

/** Registers the file's hooks: launch Chromium and sign the organiser in first, close every person after each test. */
export function useBrowserSuite(): BrowserSuite {
  const baseUrl = suiteServerUrl();
  let browser: Browser | undefined;
  let api: OrganiserApi | undefined;
  let people: Person[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    api = await OrganiserApi.signIn(baseUrl, suiteOrganiserInvitation());
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    // Close everyone before asserting: a page that logged errors fails this test only, not every
    // test after it. What they logged is read first, so closing adds nothing to it.
    const closing = people;
    people = [];
    const logged = closing.map((person) => [...person.errors]);
    await Promise.all(closing.map((person) => person.context.close()));
    for (const errors of logged) expect(errors, 'the page logged errors').toEqual([]);
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser suite has not started (use it inside tests)');
    return value;
  };
  return {
    baseUrl,
    get browser() {
      return started(browser);
    },
    get api() {
      return started(api);
    },
    track(person) {
      people.push(person);
      return person;
    },
  };
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Every console error and page error, so a test can assert the app logged none. */
  errors: string[];
  /**
   * Failed requests the test expects (e.g. a 403 for a document of another group), as URL path
   * suffixes; the browser logs each as a console error, which is no fault of the app.
   */
  expectFailuresOf: string[];
}

/** A fresh browser profile (own cookies) with its console watched. Not signed in. */
export async function newPerson(browser: Browser): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 }, locale: 'en-GB' });
  const page = await context.newPage();
  // Before signing in, `GET /api/me` answers 401 by design.
  const person: Person = { context, page, errors: [], expectFailuresOf: ['/api/me'] };
  page.on('pageerror', (error) => person.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    if (message.text().startsWith('Failed to load resource') && person.expectFailuresOf.some((suffix) => url.endsWith(suffix))) return;
    person.errors.push(`console: ${message.text()} (${url})`);
  });
  return person;
}

/** Opens an invitation link as a first-time visitor would: types the name, joins, waits for the lobby. */
export async function join(person: Person, baseUrl: string, invitationUrl: string, name: string): Promise<void> {
  const { page } = person;
  await page.goto(`${baseUrl}/join/${invitationCode(invitationUrl)}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function openDocument(person: Person, baseUrl: string, documentId: string): Promise<void> {
  await person.page.goto(`${baseUrl}/d/${documentId}`);
  await editor(person.page).waitFor();
}

/**
 * A new person of `delegation`, invited as a delegate of the Regional Security Group by the
 * organiser API, signed in through that link and with the document open.
 */
export async function openAs(browser: Browser, api: OrganiserApi, documentId: string, name: string, delegation: Delegation): Promise<Person> {
  const invitation = await api.invite({ role: 'delegate', groupId: 'security', delegation, name });
  const person = await newPerson(browser);
  await join(person, api.baseUrl, invitation.url, name);
  await openDocument(person, api.baseUrl, documentId);
  return person;
}

/** `#15803d` → `rgb(21, 128, 61)`, as getComputedStyle reports colours. */
export function cssRgb(hex: string): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(value >> 16) & 0xff}, ${(value >> 8) & 0xff}, ${value & 0xff})`;
}

export function editor(page: Page) {
  return page.getByRole('textbox', { name: 'Document text' });
}

/** Puts the caret at the end of the document and starts a new paragraph there. */
export async function newParagraphAtEnd(page: Page): Promise<void> {
  // Control+End moves only the browser's caret; the editor learns of it from a "selectionchange"
  // event that Chromium dispatches later, and under load Enter can arrive first and split the first
  // paragraph at the editor's old caret (the start). So wait until the editor's own selection (TipTap
  // puts the editor on its element) is at the end of the last paragraph; reading it changes nothing.
  // A CI run once waited 30 s for that after a single Control+End, which never reproduced here; so,
  // as a person would, press it again (after focusing the text again) while it has not taken effect.
  let seen = '';
  for (let attempt = 0; attempt < 6; attempt++) {
    await editor(page).focus();
    await page.keyboard.press('Control+End');
    try {
      await page.waitForFunction(editorCaretAtEnd, false, { timeout: 3000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
      seen = String(await page.evaluate(editorCaretAtEnd, true));
    }
  }
  throw new Error(`Control+End never put the editor's caret at the end of the document (last seen: ${seen})`);
}

/**
 * Runs in the page: whether the editor has focus and its caret at the very end of the document, or
 * (describe) what it has instead. Self-contained: Playwright sends the function's source to the page.
 */
function editorCaretAtEnd(describe: boolean): boolean | string {
  const text = document.querySelector<HTMLElement & { editor?: TiptapEditor }>('.document-text');
  const view = text?.editor?.view;
  if (!view || view.isDestroyed) return describe ? 'no editor' : false;
  const { selection, doc } = view.state;
  if (describe) {
    const active = document.activeElement;
    return `focus ${view.hasFocus()} (active: ${active?.className || active?.tagName}), selection ${selection.from}–${selection.to} of ${doc.content.size}`;
  }
  // Nothing but the closing of its ancestors follows the caret.
  return view.hasFocus() && selection.empty && selection.$head.parent.isTextblock && doc.content.size - selection.head === selection.$head.depth;
}

/**
 * The text of each top-level block of the document, in order, without other people's caret
 * widgets (ProseMirror draws their name labels inside the paragraph).
 */
export function blockTexts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.document-text > *'), (block) => {
      const copy = block.cloneNode(true) as Element;
      copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
      return copy.textContent ?? '';
    }),
  );
}

export async function waitForBlocks(page: Page, expected: string[], timeout = 10_000): Promise<void> {
  try {
    await page.waitForFunction(
      (want) => {
        // Same reading as blockTexts (a page function cannot call a Node-side helper).
        const got = Array.from(document.querySelectorAll('.document-text > *'), (block) => {
          const copy = block.cloneNode(true) as Element;
          copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
          return copy.textContent ?? '';
        });
        return JSON.stringify(got) === JSON.stringify(want);
      },
      expected,
      { timeout },
    );
  } catch (error) {
    const got = await blockTexts(page).catch(() => ['(page gone)']);
    throw new Error(`document never showed ${JSON.stringify(expected)}; last seen ${JSON.stringify(got)}`, { cause: error });
  }
}

export function statusText(page: Page): Promise<string> {
  return page.locator('.status-text').innerText();
}

export async function waitForStatus(page: Page, match: string | RegExp, timeout = 10_000): Promise<void> {
  const source = typeof match === 'string' ? null : { source: match.source, flags: match.flags };
  await page.waitForFunction(
    ({ text, pattern }) => {
      const shown = document.querySelector('.status-text')?.textContent ?? '';
      return pattern ? new RegExp(pattern.source, pattern.flags).test(shown) : shown === text;
    },
    { text: typeof match === 'string' ? match : null, pattern: source },
    { timeout },
  );
}

/** Types each paragraph as a person would, pressing Enter between them. */
export async function typeParagraphs(page: Page, paragraphs: string[]): Promise<void> {
  for (const [index, text] of paragraphs.entries()) {
    if (index > 0) await page.keyboard.press('Enter');
    await page.keyboard.insertText(text);
  }
}
