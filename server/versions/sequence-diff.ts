// Myers' O((N+M)·D) diff over two sequences (compared with ===), answering the regions that differ.
// Used twice by compare.ts: block by block over a whole document, then token by token inside each
// changed block.

/** `a[aFrom, aTo)` was replaced by `b[bFrom, bTo)` (either side may be empty). */
export interface Region {
  aFrom: number;
  aTo: number;
  bFrom: number;
  bTo: number;
}

/** Past this many edits the rest is answered as one region (bounds time, and memory to ~4·D² bytes). */
const MAX_EDITS = 2000;

export function diffSequences<T>(a: readonly T[], b: readonly T[]): Region[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return [];
  if (start === endA || start === endB) return [{ aFrom: start, aTo: endA, bFrom: start, bTo: endB }];

  const n = endA - start;
  const m = endB - start;
  const limit = Math.min(MAX_EDITS, n + m);
  const offset = limit + 1;
  // v[k + offset]: furthest x reached on diagonal k; trace[d] holds v as it was before step d
  // (only the diagonals -d..d, which is all step d reads).
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[start + x] === b[start + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return regionsFromTrace(trace, d, n, m, start);
    }
  }
  return [{ aFrom: start, aTo: endA, bFrom: start, bTo: endB }];
}

/** Walks the trace back from (n, m) and groups the edits between matched runs into regions. */
function regionsFromTrace(trace: readonly Int32Array[], edits: number, n: number, m: number, start: number): Region[] {
  // Matched pairs, collected back to front as runs [x0, x1) ↔ [y0, y1).
  const runs: Array<{ x: number; y: number; length: number }> = [];
  let x = n;
  let y = m;
  for (let d = edits; d > 0; d--) {
    const before = trace[d] as Int32Array; // diagonals -(d)..d of v before step d; index k + d
    const at = (k: number): number => before[k + d] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    const snakeX = down ? previousX : previousX + 1;
    if (x > snakeX) runs.push({ x: snakeX, y: snakeX - k, length: x - snakeX });
    x = previousX;
    y = previousY;
  }
  if (x > 0) runs.push({ x: 0, y: 0, length: x });
  runs.reverse();
  const regions: Region[] = [];
  let ax = 0;
  let by = 0;
  for (const run of runs) {
    if (run.x > ax || run.y > by) regions.push({ aFrom: start + ax, aTo: start + run.x, bFrom: start + by, bTo: start + run.y });
    ax = run.x + run.length;
    by = run.y + run.length;
  }
  if (ax < n || by < m) regions.push({ aFrom: start + ax, aTo: start + n, bFrom: start + by, bTo: start + m });
  return regions;
}
