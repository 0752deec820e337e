// Whether the status line can be trusted when the server dies: edits made while it is down are
// counted and kept, the browser warns before leaving them, and once the page says "All changes
// saved" the words survive an immediate crash (SIGKILL) of the server that acknowledged them.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Delegation } from '../../shared/workspace.js';
import { startConcordProcess, type ConcordProcess } from './concord-process.js';
import { OrganiserApi } from './organiser-api.js';
import { editor, launchBrowser, openAs, sample, waitForBlocks, waitForStatus, type Person } from './browser.js';

let browser: Browser;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: { dataDir: string; port?: number }): Promise<ConcordProcess> {
  const started = await startConcordProcess(options);
  cleanups.push(() => started.stop('SIGKILL'));
  return started;
}

async function person(api: OrganiserApi, documentId: string, name: string, delegation: Delegation): Promise<Person> {
  const opened = await openAs(browser, api, documentId, name, delegation);
  cleanups.push(() => opened.context.close());
  return opened;
}

function leavingIsGuarded(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

describe('when the server goes away', () => {
  it('counts offline edits, keeps them, and "All changes saved" survives a crash right after', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'concord-e2e-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const first = await server({ dataDir });
    // Sessions outlive restarts (the signing secret is kept in the data directory), so this
    // organiser session and Amina's cookie stay valid on every server below.
    const api = await OrganiserApi.signIn(first.url, first.organiserInvitationUrl ?? '');
    const documentId = await api.createDocument('crash');
    const amina = await person(api, documentId, 'Amina', 'pk');
    await editor(amina.page).click();
    await amina.page.keyboard.insertText(sample('en'));
    await waitForStatus(amina.page, 'All changes saved');
    expect(await leavingIsGuarded(amina.page)).toBe(false);

    await first.stop('SIGKILL');
    await waitForStatus(amina.page, /^Offline/);
    await amina.page.keyboard.press('Enter');
    await amina.page.keyboard.insertText(sample('ps'));
    await waitForStatus(amina.page, /^Offline — \d+ changes? not yet saved$/);
    expect(await leavingIsGuarded(amina.page)).toBe(true);

    // Same port, same data: the open page reconnects by itself and hands over what it kept.
    const second = await server({ dataDir, port: first.port });
    await waitForStatus(amina.page, 'All changes saved', 20_000);
    expect(await leavingIsGuarded(amina.page)).toBe(false);
    // Crash the instant the page said "saved": no clean shutdown, nothing flushed on the way out.
    await second.stop('SIGKILL');

    const third = await server({ dataDir });
    const newcomer = await person(api.at(third.url), documentId, 'Yusuf', 'af');
    await waitForBlocks(newcomer.page, [sample('en'), sample('ps')]);
  });
});
