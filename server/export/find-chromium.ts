// Where the export's Chromium is, and what to tell people who have none. Kept apart from
// pdf-renderer.ts so that the server process can answer "is PDF export available?" without loading
// playwright-core, which only the export process needs (it costs the server ~0.5 s of start-up and
// tens of MiB it would never use).
import { existsSync } from 'node:fs';

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

