// Workshops, roles and server-enforced access, as people meet them in the browser: an organiser
// invites a delegate from the lobby, the delegate joins by the link and drafts with the organiser,
// an observer reads live but cannot change a word, a revoked link ends the delegate's open session
// within seconds, and nobody sees a group's drafts without being invited to it.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { repoRoot } from './concord-process.js';
import {
  blockTexts,
  editor,
  join,
  newParagraphAtEnd,
  newPerson,
  openDocument,
  suiteOrganiserInvitation,
  waitForBlocks,
  waitForStatus,
  type Person,
  useBrowserSuite,
} from './browser.js';

const suite = useBrowserSuite();
const { baseUrl } = suite;

async function person(): Promise<Person> {
  const created = await newPerson(suite.browser);
  suite.track(created);
  return created;
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(repoRoot, 'test-results');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name), fullPage: true });
}

/** The lobby's entry for a document, by its title. */
function lobbyEntry(page: Page, title: string) {
  return page.locator('.document-entry').filter({ has: page.getByRole('link', { name: title, exact: true }) });
}

describe('invitations and roles', () => {
  it('an organiser invites a delegate from the lobby; they draft together; revoking the link ends the delegate’s session', async () => {
    const organiser = await person();
    await join(organiser, baseUrl, suiteOrganiserInvitation(), 'Olivia Organiser');
    const lobby = organiser.page;

    // A new document, created in a meeting from the lobby.
    const title = `Notes — e2e drafting ${Date.now().toString(36)}`;
    await lobby.getByRole('button', { name: 'Add a document to Meeting 1 — Islamabad' }).click();
    await lobby.getByLabel('Kind').selectOption('notes');
    await lobby.getByLabel('Title').fill(title);
    await lobby.getByRole('button', { name: 'Create document' }).click();
    await lobby.getByRole('link', { name: title, exact: true }).waitFor();
    const documentId = await documentIdOf(lobby, title);
    await screenshot(lobby, 'lobby-organiser.png');

    // An invitation for an Afghan delegate of the Regional Security Group.
    await lobby.getByRole('tab', { name: 'Invitations' }).click();
    await lobby.getByLabel('Role').selectOption('delegate');
    await lobby.getByLabel('Where').selectOption({ label: 'Regional Security Group' });
    await lobby.getByLabel('Delegation').selectOption('af');
    await lobby.getByLabel('Who it is for (optional)').fill('Zarmina');
    await lobby.getByLabel('Link expires after').selectOption({ label: '1 week' });
    await lobby.getByRole('button', { name: 'Create invitation link' }).click();
    const link = await lobby.getByLabel('Link to send').inputValue();
    expect(link).toMatch(/\/join\/[A-Za-z0-9_-]+$/);
    // Other browser tests share this server and may have invited a "Zarmina" too: find the row by its code.
    const row = lobby.locator(`.invitation-row[data-code="${link.split('/join/')[1] ?? ''}"]`);
    await row.getByText('Active').waitFor();
    await screenshot(lobby, 'invitations-panel.png');

    // The delegate opens the link, names herself (in Pashto), and lands in the lobby.
    const delegate = await person();
    await join(delegate, baseUrl, link, 'زرمینه');
    await delegate.page.getByRole('heading', { name: 'Regional Security Group' }).waitFor();
    // Invited to one group only: the others' drafts are not even listed.
    expect(await delegate.page.getByRole('heading', { name: 'Civil Society Group' }).count()).toBe(0);
    await expectNoOrganiserTools(delegate.page);
    await delegate.page.getByRole('link', { name: title, exact: true }).click();
    await editor(delegate.page).waitFor();
    await delegate.page.getByRole('heading', { name: title }).waitFor();

    // The organiser sees her in the lobby, with her delegation, within one refresh.
    await lobby.getByRole('tab', { name: 'Groups and documents' }).click();
    await lobbyEntry(lobby, title).getByRole('list', { name: `In ${title} now` }).getByText('زرمینه').waitFor({ timeout: 8_000 });
    expect(await lobbyEntry(lobby, title).getByRole('listitem').filter({ hasText: 'زرمینه' }).innerText()).toContain('AF');

    const organiserDoc = await person();
    await organiserDoc.context.addCookies(await organiser.context.cookies());
    await openDocument(organiserDoc, baseUrl, documentId);
    await editor(delegate.page).click();
    await delegate.page.keyboard.insertText('Draft from Kabul: border crossings open on Fridays.');
    await waitForBlocks(organiserDoc.page, ['Draft from Kabul: border crossings open on Fridays.']);
    await waitForStatus(delegate.page, 'All changes saved');
    const present = organiserDoc.page.getByRole('region', { name: /In this document/ }).getByRole('listitem').filter({ hasText: 'زرمینه' });
    await present.waitFor();
    expect(await present.innerText()).toContain('AF');

    // Revoking her link in the organiser's panel ends her open session within 5 seconds.
    await lobby.getByRole('tab', { name: 'Invitations' }).click();
    await row.getByRole('button', { name: /^Revoke the link for/ }).click();
    // Her page asks the API after the socket closes, and is answered 401: expected, not a fault. Said
    // before the click: the answer can reach her console before the click's own call returns here.
    delegate.expectFailuresOf.push(`/api/documents/${documentId}`);
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    const revokedAt = Date.now();
    await delegate.page.getByRole('alert').filter({ hasText: 'Your access has been revoked' }).waitFor({ timeout: 5_000 });
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    await row.getByText('Revoked').waitFor();
    expect(await editor(delegate.page).getAttribute('contenteditable')).toBe('false');
    await delegate.page.getByRole('link', { name: 'Go to the lobby' }).waitFor();
    // The socket stays closed: the organiser's document no longer lists her.
    await present.waitFor({ state: 'detached' });
  });

  it('an observer reads live but cannot type, and nothing they try reaches the others', async () => {
    const documentId = await suite.api.createDocument('observer');
    const observerLink = await suite.api.invite({ role: 'observer', groupId: 'security', delegation: 'pk', name: 'Omar' });
    const writerLink = await suite.api.invite({ role: 'delegate', groupId: 'security', delegation: 'af', name: 'Bilal' });

    const writer = await person();
    await join(writer, baseUrl, writerLink.url, 'Bilal');
    await openDocument(writer, baseUrl, documentId);
    await editor(writer.page).click();
    await writer.page.keyboard.insertText('Agreed text.');

    const observer = await person();
    await join(observer, baseUrl, observerLink.url, 'Omar');
    await openDocument(observer, baseUrl, documentId);
    await waitForBlocks(observer.page, ['Agreed text.']);
    await waitForStatus(observer.page, 'Read only');
    const text = editor(observer.page);
    expect(await text.getAttribute('contenteditable')).toBe('false');
    expect(await text.getAttribute('aria-readonly')).toBe('true');
    expect(await text.isEditable()).toBe(false);
    await observer.page.getByRole('heading', { name: /Read only/ }).waitFor();
    for (const name of ['Bold', 'Heading 1', 'Undo your last change']) {
      expect(await observer.page.getByRole('button', { name, exact: true }).getAttribute('aria-disabled')).toBe('true');
    }

    // The observer tries: clicking in, typing, pasting, and formatting.
    await text.click();
    await observer.page.keyboard.press('End');
    await observer.page.keyboard.type(' Observer words');
    await observer.page.keyboard.insertText(' pasted words');
    await observer.page.keyboard.press('Control+b');
    // aria-disabled keeps the button focusable; clicking it anyway must do nothing.
    await observer.page.getByRole('button', { name: 'Bold', exact: true }).click({ force: true });

    // A later edit of the writer's reaches the observer, so the observer's socket was live all along.
    await newParagraphAtEnd(writer.page);
    await writer.page.keyboard.insertText('Signed.');
    await waitForBlocks(observer.page, ['Agreed text.', 'Signed.']);
    await waitForStatus(writer.page, 'All changes saved');
    expect(await blockTexts(writer.page)).toEqual(['Agreed text.', 'Signed.']);
    expect(await observer.page.locator('.document-text strong').count()).toBe(0);
    // The writer sees the observer present, marked as one.
    await writer.page.getByRole('region', { name: /In this document/ }).getByRole('listitem').filter({ hasText: 'Omar' }).filter({ hasText: 'observer' }).waitFor();
  });

  it('a delegate of one group cannot open another group’s drafts; unknown documents and dead links say so', async () => {
    const securityDocument = await suite.api.createDocument('closed', 'security');
    const link = await suite.api.invite({ role: 'delegate', groupId: 'civil-society', delegation: 'pk', name: 'Sana' });
    const revoked = await suite.api.invite({ role: 'delegate', groupId: 'civil-society', delegation: 'pk' });
    await suite.api.revokeInvitation(revoked.code);

    const sana = await person();
    await join(sana, baseUrl, link.url, 'Sana');
    await sana.page.getByRole('heading', { name: 'Civil Society Group' }).waitFor();
    expect(await sana.page.getByRole('heading', { name: 'Regional Security Group' }).count()).toBe(0);

    sana.expectFailuresOf.push(`/api/documents/${securityDocument}`, '/api/documents/no-such-document');
    await sana.page.goto(`${baseUrl}/d/${securityDocument}`);
    await sana.page.getByRole('heading', { name: 'You have no access to this document' }).waitFor();
    expect(await sana.page.locator('.document-text').count()).toBe(0);
    await sana.page.goto(`${baseUrl}/d/no-such-document`);
    await sana.page.getByRole('heading', { name: 'No such document' }).waitFor();

    // A stranger: the start page explains invitations; a revoked link says it does not work.
    const stranger = await person();
    stranger.expectFailuresOf.push('/api/session');
    await stranger.page.goto(baseUrl);
    await stranger.page.getByRole('heading', { name: 'Sign in with your invitation link' }).waitFor();
    await stranger.page.getByRole('textbox', { name: 'Invitation link' }).fill(revoked.url);
    await stranger.page.getByRole('button', { name: 'Continue' }).click();
    await stranger.page.getByLabel('Your name').fill('Someone');
    await stranger.page.getByRole('button', { name: 'Join' }).click();
    await stranger.page.getByRole('alert').filter({ hasText: 'This invitation link does not work' }).waitFor();
  });

  it('signing out returns to the invitation page, and the session no longer opens documents', async () => {
    const documentId = await suite.api.createDocument('sign-out');
    const link = await suite.api.invite({ role: 'rapporteur', groupId: 'security', delegation: 'org', name: 'Rafi' });
    const rafi = await person();
    await join(rafi, baseUrl, link.url, 'Rafi');
    await openDocument(rafi, baseUrl, documentId);
    await rafi.page.getByRole('button', { name: 'Sign out' }).click();
    await rafi.page.getByRole('heading', { name: 'Sign in with your invitation link' }).waitFor();
    await rafi.page.goto(`${baseUrl}/d/${documentId}`);
    await rafi.page.getByRole('heading', { name: 'Sign in with your invitation link' }).waitFor();
    expect(await rafi.page.locator('.document-text').count()).toBe(0);
  });
});

async function expectNoOrganiserTools(page: Page): Promise<void> {
  expect(await page.getByRole('tab', { name: 'Invitations' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /^(Rename|Archive|Add a)/ }).count()).toBe(0);
}

/** The document id behind a lobby link. */
async function documentIdOf(page: Page, title: string): Promise<string> {
  const href = await page.locator(`a.document-link`, { hasText: title }).first().getAttribute('href');
  const id = /\/d\/([^/]+)$/.exec(href ?? '')?.[1];
  if (!id) throw new Error(`no document link for "${title}"`);
  return id;
}
