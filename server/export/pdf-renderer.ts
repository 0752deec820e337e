// Prints export HTML to PDF with headless Chromium (playwright-core, the system's browser). One
// browser is launched on the first PDF and reused; each job gets a fresh context and page with
// JavaScript off and every network request aborted (the HTML arrives by setContent, never by URL),
// and is cut off after a timeout. Jobs run a few at a time behind a bounded queue: a burst of
// exports gets 503 export_busy rather than a browser page each. Where no Chromium is installed PDF
// export answers 503 with how to install it, and nothing else in Concord is affected. Chromium runs
// at the lowest CPU priority (low-priority-chromium.sh): rendering a long PDF keeps both cores busy for
// seconds, and live editing must not feel it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { describeError, HttpError } from '../errors.js';
import type { Logger } from '../log.js';

/** Where Chromium usually is, after CHROMIUM_PATH. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const INSTALL_CHROMIUM =
  'PDF export needs Chromium and the Noto fonts: on Debian/Ubuntu run `sudo apt-get install chromium fonts-noto-core`, ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome executable, then restart Concord. HTML, DOCX and Markdown export work without it.';

export function findChromium(configured: string | null, candidates: readonly string[] = CHROMIUM_CANDIDATES): string | null {
  if (configured) return existsSync(configured) ? configured : null;
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

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

/** Starts Chromium under SCHED_IDLE (or nice 19); see the script. Unused where there is no POSIX shell. */
const LOW_PRIORITY_LAUNCHER = fileURLToPath(new URL('./low-priority-chromium.sh', import.meta.url));

/** How to start the browser: through the low-priority launcher where a POSIX shell runs it. */
export function browserLaunch(executablePath: string): { executablePath: string; env: NodeJS.ProcessEnv } {
  if (process.platform === 'win32' || !existsSync('/bin/sh') || !existsSync(LOW_PRIORITY_LAUNCHER)) {
    return { executablePath, env: process.env };
  }
  return { executablePath: LOW_PRIORITY_LAUNCHER, env: { ...process.env, CONCORD_CHROMIUM: executablePath } };
}

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export class PdfRenderer {
  private readonly executable: string | null;
  private readonly log: Logger;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly timeoutMs: number;
  private browser: Promise<Browser> | null = null;
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
    const launched = chromium.launch({ ...browserLaunch(executablePath), args: LAUNCH_ARGS, timeout: this.timeoutMs }).then((browser) => {
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
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true, serviceWorkers: 'block' });
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = (async () => {
        const page = await context.newPage();
        // setContent loads no URL; anything the HTML might still ask for (it names none) is refused.
        await page.route('**/*', (route) => route.abort('blockedbyclient'));
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
        timer = setTimeout(() => reject(new HttpError(503, 'export_timeout', 'rendering the PDF took too long; try again')), this.timeoutMs);
      });
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      await context.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = null;
    if (browser) await browser.then((b) => b.close()).catch(() => {});
  }
}
