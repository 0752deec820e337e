// Prints export HTML to PDF with headless Chromium (playwright-core, the system's browser). One
// browser is launched on the first PDF and reused, with one browser context (JavaScript off, offline,
// no service workers). A job gets a page of its own for as long as it prints, with every network
// request aborted (the HTML arrives by setContent, never by URL), and is cut off after a timeout.
// Pages are kept for the next job (at most `concurrency` of them, emptied after each job, replaced
// after PAGE_JOBS_LIMIT jobs or a failure, closed after PAGE_IDLE_MS without work) because a fresh
// page (or context) per job makes Chromium start and reap a renderer process per export, and on a
// kernel without preemption reaping one (`release_task` → `d_invalidate` of its /proc entries)
// holds a core for milliseconds whatever the priority: live editing's p99 went ×4–9 while PDFs
// rendered. A kept page also prints a 101-page communiqué in about half the time.
// Jobs run a few at a time behind a bounded queue: a burst of exports gets 503 export_busy rather
// than a browser page each. Where no Chromium is installed PDF export answers 503 with how to install
// it, and nothing else in Concord is affected. Chromium runs at the lowest CPU priority
// because the export process that starts it does (export-worker-client.ts; every child inherits
// SCHED_IDLE or nice 19): rendering a long PDF keeps both cores busy for seconds.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeError, HttpError } from '../errors.js';
import type { Logger } from '../log.js';
import { INSTALL_CHROMIUM, findChromium } from './find-chromium.js';

export interface PdfPage {
  html: string;
  headerTemplate: string;
  footerTemplate: string;
}

export interface PdfRendererOptions {
  /** CHROMIUM_PATH, or null to look in the usual places. */
  chromiumPath: string | null;
  log: Logger;
  /** Jobs printing at once (each is a browser page). */
  concurrency?: number;
  /** Jobs waiting beyond those; more are refused with 503 export_busy. */
  maxQueued?: number;
  timeoutMs?: number;
}

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** A kept page prints at most this many jobs, then a fresh one (and renderer) takes over. */
const PAGE_JOBS_LIMIT = 50;
/** Kept pages are closed after this long without a job (their renderer's memory goes back). */
const PAGE_IDLE_MS = 60_000;
/** Every page's network requests are refused: the export HTML names none, and must fetch nothing. */
const BLOCK_ALL_REQUESTS = '**/*';

interface KeptPage {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  jobs: number;
}

export class PdfRenderer {
  private readonly executable: string | null;
  private readonly log: Logger;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly timeoutMs: number;
  private browser: Promise<Browser> | null = null;
  /** The one context every job's page opens in, for the browser of the same launch. */
  private context: { browser: Browser; context: Promise<BrowserContext>; opened: BrowserContext | null } | null = null;
  /** Pages opened since launch (a kept page serves many jobs; for tests). */
  private opened = 0;
  /** Pages waiting for the next job. */
  private keptPages: KeptPage[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(options: PdfRendererOptions) {
    this.executable = findChromium(options.chromiumPath);
    this.log = options.log;
    this.concurrency = options.concurrency ?? 2;
    this.maxQueued = options.maxQueued ?? 8;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get available(): boolean {
    return this.executable !== null;
  }

  /** Jobs printing and waiting now (for tests and health). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** How many browser pages were opened so far (each job reuses a kept one where it can). */
  get pagesOpened(): number {
    return this.opened;
  }

  /** 503 export_unavailable, saying how to install Chromium, when there is none. */
  requireAvailable(): void {
    if (!this.executable) throw new HttpError(503, 'export_unavailable', INSTALL_CHROMIUM);
  }

  async render(page: PdfPage): Promise<Buffer> {
    this.requireAvailable();
    if (this.closed) throw new HttpError(503, 'shutting_down', 'the server is shutting down');
    if (this.running < this.concurrency) {
      this.running++;
    } else {
      if (this.waiting.length >= this.maxQueued) {
        throw new HttpError(503, 'export_busy', 'too many PDF exports are being rendered; try again in a moment');
      }
      // The finishing job hands its slot over: `running` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await this.print(page);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private launch(executablePath: string): Promise<Browser> {
    // playwright-core is loaded with the first PDF, not with the process: it alone is ~80 MB of the
    // export process's memory, which versions lists and comparisons (also run there) do not need.
    const launched = import('playwright-core')
      .then(({ chromium }) => chromium.launch({ executablePath, args: LAUNCH_ARGS, timeout: this.timeoutMs }))
      .then((browser) => {
        // A crashed browser is relaunched by the next job.
        browser.on('disconnected', () => {
          if (this.browser === launched) this.browser = null;
        });
        return browser;
      });
    launched.catch((error: unknown) => {
      this.log.error({ err: describeError(error), executablePath }, 'export: Chromium failed to launch');
      if (this.browser === launched) this.browser = null;
    });
    return launched;
  }

  private async print(job: PdfPage): Promise<Buffer> {
    const executable = this.executable as string;
    this.browser ??= this.launch(executable);
    let browser: Browser;
    try {
      browser = await this.browser;
    } catch (error) {
      throw new HttpError(503, 'export_unavailable', `Chromium at ${executable} did not start (${describeError(error)}). ${INSTALL_CHROMIUM}`);
    }
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const taking = this.takePage(browser);
    try {
      const work = (async () => {
        const { page } = await taking;
        await page.setContent(job.html, { waitUntil: 'load', timeout: this.timeoutMs });
        await page.evaluate(() => document.fonts.ready.then(() => undefined)).catch(() => {});
        return page.pdf({
          format: 'A4',
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: job.headerTemplate,
          footerTemplate: job.footerTemplate,
          margin: { top: '26mm', bottom: '26mm', left: '18mm', right: '18mm' },
        });
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new HttpError(503, 'export_timeout', 'rendering the PDF took too long; try again'));
        }, this.timeoutMs);
      });
      const pdf = await Promise.race([work, timeout]);
      await this.keepPage(await taking);
      return pdf;
    } catch (error) {
      if (timedOut) {
        // Its renderer may be stuck, and other pages may share it: end the whole context; the next job
        // opens a new one.
        void taking.then(({ context }) => this.dropContext(context)).catch(() => {});
      } else {
        void taking.then(({ page }) => page.close()).catch(() => {});
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A kept page of this browser, or a new one in the shared context. */
  private async takePage(browser: Browser): Promise<KeptPage> {
    for (let kept = this.keptPages.pop(); kept; kept = this.keptPages.pop()) {
      if (kept.browser === browser && !kept.page.isClosed()) return kept;
      void kept.page.close().catch(() => {});
    }
    const context = await this.sharedContext(browser);
    const page = await context.newPage();
    this.opened++;
    await page.route(BLOCK_ALL_REQUESTS, (route) => route.abort('blockedbyclient'));
    return { browser, context, page, jobs: 0 };
  }

  /** After a job that went well: empty the page and keep it for the next one (or retire it). */
  private async keepPage(kept: KeptPage): Promise<void> {
    kept.jobs++;
    if (this.closed || kept.jobs >= PAGE_JOBS_LIMIT) {
      await kept.page.close().catch(() => {});
      return;
    }
    try {
      // Nothing of one document stays in memory (or on the page) after its job.
      await kept.page.setContent('<!doctype html><html></html>', { timeout: this.timeoutMs });
    } catch {
      await kept.page.close().catch(() => {});
      return;
    }
    this.keptPages.push(kept);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      for (const idle of this.keptPages.splice(0)) void idle.page.close().catch(() => {});
    }, PAGE_IDLE_MS);
    this.idleTimer.unref();
  }

  private dropContext(context: BrowserContext): void {
    this.keptPages = this.keptPages.filter((kept) => kept.context !== context);
    if (this.context?.opened === context) this.context = null;
    void context.close().catch(() => {});
  }

  /** The context jobs open their pages in; made again for a relaunched browser or after it failed. */
  private async sharedContext(browser: Browser): Promise<BrowserContext> {
    if (this.context?.browser !== browser) {
      const shared = { browser, context: browser.newContext({ javaScriptEnabled: false, offline: true, serviceWorkers: 'block' }), opened: null as BrowserContext | null };
      this.context = shared;
      shared.context.then(
        (opened) => {
          shared.opened = opened;
        },
        () => {
          if (this.context === shared) this.context = null;
        },
      );
    }
    return this.context.context;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.keptPages = [];
    const browser = this.browser;
    this.browser = null;
    if (browser) await browser.then((b) => b.close()).catch(() => {});
  }
}
