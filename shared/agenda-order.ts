// Fractional order keys for agenda rows. Every row stores its own `order` string and lists are
// sorted by (order, id). A move rewrites one key only, so two people moving rows at once each change
// a different map entry (or the same one, last-writer-wins): every peer converges on one order, and a
// row can never be duplicated or lost the way a delete + re-insert in a Y.Array can be.
// Keys are base-36 digit strings compared as strings, never ending in '0' (so a key always exists
// strictly between any two distinct keys); the algorithm is the midpoint of David Greenspan's
// "Implementing fractional indexing" (also in the `fractional-indexing` package).

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const VALID_KEY = /^[0-9a-z]*[1-9a-z]$/;

/** True for a key this module could have written. Anything else sorts after every valid key. */
export function isValidOrderKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= 64 && VALID_KEY.test(key);
}

/** A key strictly between `a` and `b` ('' = before everything, null = after everything). */
export function keyBetween(a: string, b: string | null): string {
  if (b !== null && a >= b) throw new Error(`order keys out of order: ${a} >= ${b}`);
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + keyBetween(a.slice(n), b.slice(n));
  }
  const digitA = a ? DIGITS.indexOf(a.charAt(0)) : 0;
  const digitB = b !== null ? DIGITS.indexOf(b.charAt(0)) : DIGITS.length;
  if (digitB - digitA > 1) return DIGITS.charAt(Math.round((digitA + digitB) / 2));
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS.charAt(digitA) + keyBetween(a.slice(1), null);
}

/** `count` increasing keys spread evenly over the key space (to renumber a list whose keys collided). */
export function spreadKeys(count: number): string[] {
  let width = 1;
  while (DIGITS.length ** width < (count + 1) * 4) width++;
  const space = DIGITS.length ** width;
  return Array.from({ length: count }, (_, i) =>
    Math.round(((i + 1) * space) / (count + 1))
      .toString(36)
      .padStart(width, '0')
      .replace(/0+$/, ''),
  );
}

/** Sort comparator: valid keys first by key, invalid ones after; ties (concurrent equal moves) by id. */
export function compareByOrder(a: { order: string | null; id: string }, b: { order: string | null; id: string }): number {
  const ka = a.order ?? '\uffff';
  const kb = b.order ?? '\uffff';
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
