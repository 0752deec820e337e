// Version history and sign-off as the delegations meet them in the browser: a rapporteur saves named
// versions, compares them (the inserted word is highlighted and attributed) and proposes one as
// final; the Pakistani and the Afghan signatory, each in their own browser, sign it; both then see
// the same agreed version with the same hash; and an edit afterwards shows "Changed since the agreed
// version" to both.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Delegation, MeView, Role } from '../../shared/workspace.js';
import { repoRoot } from './concord-process.js';
import { editor, join, newPerson, openDocument, waitForStatus, type Person, useBrowserSuite } from './browser.js';

const suite = useBrowserSuite();
const { baseUrl } = suite;
/** Longer than one refresh of the panel (4 s), for what another person did to show up. */
const PANEL_REFRESH_TIMEOUT = 12_000;

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(repoRoot, 'test-results');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name), fullPage: true });
}

/** Someone of the Regional Security Group, invited by the organisers, signed in and with the document open. */
async function member(documentId: string, name: string, role: Role, delegation: Delegation): Promise<{ person: Person; id: string }> {
  const invitation = await suite.api.invite({ role, groupId: 'security', delegation, name });
  const person = await newPerson(suite.browser);
  suite.track(person);
  await join(person, baseUrl, invitation.url, name);
  const me = await person.page.evaluate(async () => (await fetch('/api/me')).json() as Promise<MeView>);
  await openDocument(person, baseUrl, documentId);
  return { person, id: me.id };
}

function panel(page: Page) {
  return page.getByRole('region', { name: 'Versions' });
}

async function typeAtEnd(page: Page, text: string): Promise<void> {
  await editor(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(text);
  await waitForStatus(page, 'All changes saved');
}

async function saveVersion(page: Page, name: string, number: number): Promise<void> {
  await panel(page).getByLabel('Version name').fill(name);
  await panel(page).getByRole('button', { name: 'Save version' }).click();
  await panel(page).getByRole('status').filter({ hasText: `Saved version ${number} “${name}”.` }).waitFor();
}

describe('versions and sign-off', () => {
  it('a rapporteur saves and proposes a version; both signatories sign it in their browsers; an edit then shows it changed until a restore', async () => {
    const documentId = await suite.api.createDocument('versions');
    const rapporteur = await member(documentId, 'Rafiq Rapporteur', 'rapporteur', 'org');
    const pk = await member(documentId, 'Amina Pakistan', 'delegate', 'pk');
    const af = await member(documentId, 'Zarmina Afghanistan', 'delegate', 'af');
    await suite.api.request('PUT', '/groups/security/signatories', { delegation: 'pk', personId: pk.id });
    await suite.api.request('PUT', '/groups/security/signatories', { delegation: 'af', personId: af.id });

    // Two named versions, the second one word longer.
    const r = rapporteur.person.page;
    await typeAtEnd(r, 'Border crossings open on Fridays');
    await saveVersion(r, 'Kabul draft 1', 1);
    await typeAtEnd(r, ' and Saturdays.');
    await panel(r).getByText('Changed since the last version').waitFor({ timeout: PANEL_REFRESH_TIMEOUT });
    await saveVersion(r, 'Kabul draft 2', 2);
    await panel(r).getByText('No changes since version 2').waitFor();

    // Compare 1 → 2: the inserted words are underlined and say who inserted them.
    const compare = panel(r).getByRole('form', { name: 'Compare versions' });
    await compare.getByLabel('From').selectOption({ label: '1. Kabul draft 1' });
    await compare.getByLabel('To').selectOption({ label: '2. Kabul draft 2' });
    await compare.getByRole('button', { name: 'Compare' }).click();
    const dialog = r.getByRole('dialog', { name: /Compare version 1/ });
    const inserted = dialog.locator('ins').filter({ hasText: 'Saturdays' });
    await inserted.waitFor();
    expect(await inserted.getAttribute('title')).toMatch(/^Inserted by Organisers/);
    expect(await inserted.evaluate((node) => getComputedStyle(node).textDecorationLine)).toContain('underline');
    await expect.poll(() => r.evaluate(() => document.activeElement?.textContent)).toMatch(/^Compare version 1/);
    await screenshot(r, 'versions-compare.png');
    await r.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await r.evaluate(() => document.activeElement?.textContent)).toBe('Compare');

    // View: version 1 read-only, in the document's schema.
    await panel(r).getByRole('button', { name: 'View version 1' }).click();
    const viewed = r.getByRole('dialog', { name: 'Version 1: Kabul draft 1' });
    const viewedText = viewed.getByLabel('Text of this version');
    await viewedText.getByText('Border crossings open on Fridays').waitFor();
    expect(await viewedText.getAttribute('contenteditable')).toBe('false');
    await viewed.getByRole('button', { name: 'Close' }).click();
    await viewed.waitFor({ state: 'detached' });

    // Proposed as final; each signatory sees a button for their own delegation only.
    await panel(r).getByRole('button', { name: 'Propose version 2 as final' }).click();
    await panel(r).getByRole('status').filter({ hasText: 'Proposed version 2 “Kabul draft 2” as final.' }).waitFor();
    expect(await panel(r).getByRole('button', { name: /^Sign for/ }).count()).toBe(0);

    const pkSign = panel(pk.person.page).getByRole('button', { name: 'Sign for Pakistan' });
    await pkSign.waitFor({ timeout: PANEL_REFRESH_TIMEOUT });
    expect(await panel(pk.person.page).getByRole('button', { name: 'Sign for Afghanistan' }).count()).toBe(0);
    await pkSign.click();
    await panel(pk.person.page).getByRole('status').filter({ hasText: 'Signed for Pakistan.' }).waitFor();

    const afSign = panel(af.person.page).getByRole('button', { name: 'Sign for Afghanistan' });
    await afSign.waitFor({ timeout: PANEL_REFRESH_TIMEOUT });
    await panel(af.person.page).getByText('Signed for Pakistan by').waitFor({ timeout: PANEL_REFRESH_TIMEOUT });
    await afSign.click();
    await panel(af.person.page).getByRole('status').filter({ hasText: 'Both delegations have signed' }).waitFor();

    // Both see it agreed, with the same hash in full.
    const agreedHash = async (page: Page): Promise<string> => {
      const agreed = panel(page).locator('.sign-off-agreed');
      await agreed.waitFor({ timeout: PANEL_REFRESH_TIMEOUT });
      return agreed.locator('code.hash').innerText();
    };
    const [pkHash, afHash] = await Promise.all([agreedHash(pk.person.page), agreedHash(af.person.page)]);
    expect(pkHash).toMatch(/^[0-9a-f]{64}$/);
    expect(afHash).toBe(pkHash);
    const agreedOn = panel(pk.person.page).locator('.sign-off-agreed');
    expect(await agreedOn.innerText()).toContain('Version 2 “Kabul draft 2”');
    expect(await agreedOn.innerText()).toContain('Signed for Afghanistan by');
    expect(await panel(pk.person.page).getByText('Changed since the agreed version').count()).toBe(0);

    // An observer reads the record but is offered no button that changes it.
    const observer = await member(documentId, 'Omar Observer', 'observer', 'pk');
    const observed = panel(observer.person.page);
    await observed.locator('.sign-off-agreed').waitFor();
    await observed.getByRole('button', { name: 'View version 2' }).waitFor();
    for (const name of ['Save version', 'Restore version 2', 'Propose version 1 as final', /^Sign for/]) {
      expect(await observed.getByRole('button', { name }).count(), String(name)).toBe(0);
    }

    // An edit of the live text: both are told it is no longer what they signed.
    await typeAtEnd(pk.person.page, ' Markets too.');
    await Promise.all(
      [pk, af].map(({ person }) => panel(person.page).getByText('Changed since the agreed version').waitFor({ timeout: PANEL_REFRESH_TIMEOUT })),
    );
    await screenshot(af.person.page, 'versions-agreed.png');

    // Restoring the agreed version (confirmed in the page) brings everyone back to the signed text.
    await panel(r).getByRole('button', { name: 'Restore version 2' }).click();
    await panel(r).getByRole('button', { name: 'Yes, restore' }).click();
    await panel(r)
      .getByRole('status')
      .filter({ hasText: /^Restored version 2 “Kabul draft 2”; the previous text was saved as version 3 “Before restoring version 2”\.$/ })
      .waitFor();
    await editor(af.person.page).getByText('Markets too.').waitFor({ state: 'detached' });
    await panel(af.person.page).getByText('Changed since the agreed version').waitFor({ state: 'detached', timeout: PANEL_REFRESH_TIMEOUT });
  });
});
