// What the browser tests share: Debian's Chromium, opening a document as a named person, reading
// the status line and the editor, and the team's script samples.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import scripts from '../fixtures/scripts.json';

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

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh, unique document id per test, so tests never see each other's text. */
export function testDocumentId(label: string): string {
  return `e2e-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Every console error and page error, so a test can assert the app logged none. */
  errors: string[];
}

/**
 * A new browser profile (own localStorage, so its own identity) opening the document and answering
 * the name dialog as a first-time visitor would.
 */
export async function openAs(browser: Browser, baseUrl: string, documentId: string, name: string, colour: string): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 }, locale: 'en-GB' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(`${baseUrl}/d/${documentId}`);
  const dialog = page.getByRole('dialog', { name: 'Who is writing?' });
  await dialog.getByLabel('Your name').fill(name);
  await dialog.getByLabel(colour).check();
  await dialog.getByRole('button', { name: 'Start writing' }).click();
  await page.getByRole('textbox', { name: 'Document text' }).waitFor();
  return { context, page, errors };
}

export function editor(page: Page) {
  return page.getByRole('textbox', { name: 'Document text' });
}

/** The text of each block of the document, in order. */
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
