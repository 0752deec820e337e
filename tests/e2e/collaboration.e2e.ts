// Two delegates in one document, in real Chromium against the real server, each signed in through
// an invitation link: each sees the other's words and named caret (in their delegation's colour, with
// readable label text), Urdu/Dari/Pashto paragraphs arrive byte-for-byte and run right-to-left, the
// status line reaches "All changes saved", a reload keeps everything, and undo is per person.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DELEGATION_COLOURS, type Delegation } from '../../shared/workspace.js';
import { labelTextColour } from '../../client/src/collab/label-colour.js';
import { repoRoot } from './concord-process.js';
import {
  blockTexts,
  cssRgb,
  editor,
  newParagraphAtEnd,
  openAs,
  sample,
  typeParagraphs,
  waitForBlocks,
  waitForStatus,
  type Person,
  useBrowserSuite,
} from './browser.js';

const suite = useBrowserSuite();

async function join(documentId: string, name: string, delegation: Delegation): Promise<Person> {
  const person = await openAs(suite.browser, suite.api, documentId, name, delegation);
  suite.track(person);
  return person;
}

/** The label of another person's caret, as this page draws it. */
function caretLabel(page: Page, name: string) {
  return page.locator('.collaboration-carets__label', { hasText: name });
}

/** Moves the caret to the end of the document and starts a new paragraph there. */

interface BlockLayout {
  text: string;
  lang: string | null;
  direction: string;
  fontFamily: string;
  /** Gaps between the text's own box and its block's edges: a right-aligned line has rightGap ≈ 0. */
  leftGap: number;
  rightGap: number;
}

function layoutOfBlocks(page: Page): Promise<BlockLayout[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.document-text > p'), (block) => {
      // Measure the words only: another person's caret label inside the paragraph is not text.
      const range = document.createRange();
      range.selectNodeContents(block);
      const text = range.getBoundingClientRect();
      const box = block.getBoundingClientRect();
      const style = getComputedStyle(block);
      return {
        text: block.innerText,
        lang: block.getAttribute('lang'),
        direction: style.direction,
        fontFamily: style.fontFamily,
        leftGap: text.left - box.left,
        rightGap: box.right - text.right,
      };
    }),
  );
}

describe('two people in one document', () => {
  it('see each other’s text, named carets and presence', async () => {
    const documentId = await suite.api.createDocument('pair');
    const amina = await join(documentId, 'Amina', 'pk');
    const bilal = await join(documentId, 'Bilal', 'af');

    await editor(amina.page).click();
    await amina.page.keyboard.insertText(sample('en'));
    await waitForBlocks(bilal.page, [sample('en')]);
    await caretLabel(bilal.page, 'Amina').waitFor();
    // The server stamps the colour: one of Pakistan's greens, with black or white text, whichever reads.
    const label = await caretLabel(bilal.page, 'Amina').evaluate((element) => {
      const style = getComputedStyle(element);
      return { background: style.backgroundColor, text: style.color };
    });
    const green = DELEGATION_COLOURS.pk.find((hex) => cssRgb(hex) === label.background);
    expect(green, `caret label ${label.background} is one of Pakistan's greens`).toBeDefined();
    expect(label.text).toBe(cssRgb(labelTextColour(green!)));

    await newParagraphAtEnd(bilal.page);
    await bilal.page.keyboard.insertText('Agreed; adding the annex.');
    await waitForBlocks(amina.page, [sample('en'), 'Agreed; adding the annex.']);
    await caretLabel(amina.page, 'Bilal').waitFor();

    // The people list says each person's delegation in text, not by colour alone.
    for (const person of [amina, bilal]) {
      const list = person.page.getByRole('region', { name: /In this document/ });
      await list.getByRole('listitem').filter({ hasText: 'Amina' }).filter({ hasText: 'PK' }).waitFor();
      await list.getByRole('listitem').filter({ hasText: 'Bilal' }).filter({ hasText: 'AF' }).waitFor();
    }
    await waitForStatus(amina.page, 'All changes saved');
    await waitForStatus(bilal.page, 'All changes saved');
  });

  it('carry Urdu, Dari and Pashto exactly, right-to-left and right-aligned, in their typefaces', async () => {
    const documentId = await suite.api.createDocument('scripts');
    const amina = await join(documentId, 'Amina', 'pk');
    const zarmina = await join(documentId, 'زرمینه', 'af');
    const paragraphs = [sample('en'), sample('ur'), sample('fa-AF'), sample('ps'), sample('mixed')];

    await editor(amina.page).click();
    await typeParagraphs(amina.page, paragraphs);
    await waitForBlocks(zarmina.page, paragraphs);
    expect(await blockTexts(zarmina.page)).toEqual(paragraphs); // byte-for-byte, ZWNJ included
    expect((await blockTexts(zarmina.page))[2]).toContain('\u200c');

    await zarmina.page.evaluate(() => document.fonts.ready);
    const layout = await layoutOfBlocks(zarmina.page);
    expect(layout.map((b) => [b.lang, b.direction])).toEqual([
      [null, 'ltr'],
      ['ur', 'rtl'],
      ['fa', 'rtl'],
      ['ps', 'rtl'],
      [null, 'ltr'],
    ]);
    for (const block of layout) {
      const [startGap, endGap] = block.direction === 'rtl' ? [block.rightGap, block.leftGap] : [block.leftGap, block.rightGap];
      expect(startGap, `"${block.text}" starts at its block's ${block.direction === 'rtl' ? 'right' : 'left'} edge`).toBeLessThan(2);
      // A short right-to-left line must not merely fill the width: it has to hug the right edge.
      if (block.direction === 'rtl') expect(endGap, `"${block.text}" leaves room on its left`).toBeGreaterThan(30);
    }
    expect(layout[1]?.fontFamily).toMatch(/^"Noto Nastaliq Urdu"/);
    expect(layout[2]?.fontFamily).toMatch(/^"Noto Naskh Arabic"/);
    expect(layout[3]?.fontFamily).toMatch(/^"Noto Naskh Arabic"/);
    expect(layout[0]?.fontFamily).toMatch(/^"Noto Sans"/);

    // The typefaces came from our own server and actually loaded (no CDN, no system fallback).
    const loadedFamilies = await zarmina.page.evaluate(() => {
      const families = new Set<string>();
      document.fonts.forEach((face) => {
        if (face.status === 'loaded') families.add(face.family.replace(/"/g, ''));
      });
      return [...families].sort();
    });
    expect(loadedFamilies).toEqual(expect.arrayContaining(['Noto Naskh Arabic', 'Noto Nastaliq Urdu', 'Noto Sans']));
    await caretLabel(zarmina.page, 'Amina').waitFor();

    // A caret shows once its owner has put it in the document.
    await editor(zarmina.page).click();
    await zarmina.page.keyboard.press('Control+End');
    await caretLabel(amina.page, 'زرمینه').waitFor();
    await waitForStatus(amina.page, 'All changes saved');
    await saveSideBySide(amina.page, zarmina.page, 'two-people-mixed-scripts.png');
  });

  it('keeps everything across a reload, and a newcomer sees the same document', async () => {
    const documentId = await suite.api.createDocument('reload');
    const amina = await join(documentId, 'Amina', 'pk');
    const paragraphs = [sample('ps'), sample('fa-AF'), sample('en')];
    await editor(amina.page).click();
    await typeParagraphs(amina.page, paragraphs);
    await waitForStatus(amina.page, 'All changes saved');

    await amina.page.reload();
    await waitForBlocks(amina.page, paragraphs);
    await waitForStatus(amina.page, /^(Live|All changes saved)$/);

    const newcomer = await join(documentId, 'Yusuf', 'af');
    await waitForBlocks(newcomer.page, paragraphs);
    expect(await blockTexts(newcomer.page)).toEqual(paragraphs);
  });

  it('undo and redo touch only your own changes', async () => {
    const documentId = await suite.api.createDocument('undo');
    const amina = await join(documentId, 'Amina', 'pk');
    const bilal = await join(documentId, 'Bilal', 'af');
    await editor(amina.page).click();
    await amina.page.keyboard.insertText('Draft by Amina.');
    await waitForBlocks(bilal.page, ['Draft by Amina.']);
    await newParagraphAtEnd(bilal.page);
    await bilal.page.keyboard.insertText('Draft by Bilal.');
    await waitForBlocks(amina.page, ['Draft by Amina.', 'Draft by Bilal.']);

    await editor(amina.page).focus();
    await amina.page.keyboard.press('Control+z');
    for (const page of [amina.page, bilal.page]) {
      await page.waitForFunction(() => {
        const text = document.querySelector('.document-text')?.textContent ?? '';
        return !text.includes('Draft by Amina.') && text.includes('Draft by Bilal.');
      });
    }
    await amina.page.keyboard.press('Control+Shift+z');
    await bilal.page.waitForFunction(() => (document.querySelector('.document-text')?.textContent ?? '').includes('Draft by Amina.'));
    expect((await blockTexts(bilal.page)).join('\n')).toContain('Draft by Bilal.');
  });
});

/** One picture of both windows, for a person to check direction and typefaces by eye. */
async function saveSideBySide(left: Page, right: Page, name: string): Promise<void> {
  const [a, b] = await Promise.all([left.screenshot(), right.screenshot()]);
  const canvas = await left.context().newPage();
  await canvas.setViewportSize({ width: 1810, height: 700 });
  await canvas.setContent(
    `<body style="margin:0;display:flex;gap:10px;background:#444">` +
      `<img src="data:image/png;base64,${a.toString('base64')}"><img src="data:image/png;base64,${b.toString('base64')}"></body>`,
  );
  await canvas.waitForFunction(() => Array.from(document.images).every((image) => image.complete));
  const dir = path.join(repoRoot, 'test-results');
  await mkdir(dir, { recursive: true });
  await canvas.screenshot({ path: path.join(dir, name) });
  await canvas.close();
}
