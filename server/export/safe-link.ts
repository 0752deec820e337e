// Links in exported files: only http(s) and mailto survive; `javascript:`, `data:`, `file:` and every
// other scheme (and anything unparseable) are dropped, leaving the link's text as plain text.
const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  // Browsers ignore tabs and newlines inside schemes ("java\nscript:"); strip them (and controls) first.
  // eslint-disable-next-line no-control-regex
  const cleaned = href.replace(/[\u0000-\u001F\u007F\s]+/g, '');
  try {
    const url = new URL(cleaned);
    return ALLOWED.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
