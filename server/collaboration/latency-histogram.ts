// Latency histograms for /metrics, kept cumulative as Prometheus expects, so that anyone reading it
// twice gets the distribution of the span between (bench/export-speed.ts does):
// - relay: how long an accepted edit waits in the server before it is relayed, from the turn in which
//   the doc applied it to the turn in which it was sent to the others (the group commit, the writer's
//   queue) — the server's own share of the live-editing latency, without the clients' or the network's;
// - store commit: one group commit's write (for SQLite: the WAL write);
// - store sync: from a commit until it survives a power loss and the writer is back on the event loop
//   (for SQLite: the fdatasync on libuv's pool and the wake-up after it) — when saves are acknowledged.
import { performance } from 'node:perf_hooks';
import type { RoomHooks } from './room-registry.js';

/** Bucket upper bounds in ms: 0.1 ms × 2^(i/8), so each bucket is 9% wider than the last, up to ~13 s. */
const BUCKET_BOUNDS_MS = Array.from({ length: 137 }, (_, i) => 0.1 * 2 ** (i / 8));

export interface LatencyHistogram {
  /** Upper bounds in ms, ascending; an implicit last bucket holds everything above. */
  readonly boundsMs: readonly number[];
  /** counts[i]: samples ≤ boundsMs[i] and > boundsMs[i-1]; counts[bounds.length]: the rest. */
  readonly counts: readonly number[];
  readonly sumMs: number;
  readonly count: number;
}

export class LatencyRecorder {
  private readonly counts = new Array<number>(BUCKET_BOUNDS_MS.length + 1).fill(0);
  private sumMs = 0;
  private count = 0;

  record(ms: number): void {
    // Binary search: the first bound ≥ ms.
    let low = 0;
    let high = BUCKET_BOUNDS_MS.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((BUCKET_BOUNDS_MS[middle] as number) < ms) low = middle + 1;
      else high = middle;
    }
    this.counts[low] = (this.counts[low] as number) + 1;
    this.sumMs += ms;
    this.count++;
  }

  snapshot(): LatencyHistogram {
    return { boundsMs: BUCKET_BOUNDS_MS, counts: this.counts.slice(), sumMs: this.sumMs, count: this.count };
  }
}

/** Records every client edit into `relay` once it has been relayed (the commit hook runs right after). */
export function relayLatencyHooks(relay: LatencyRecorder): RoomHooks {
  return {
    committed: (_room, entries) => {
      const now = performance.now();
      for (const entry of entries) if (entry.origin.kind === 'connection') relay.record(now - entry.acceptedAt);
    },
  };
}

/** The q-quantile (0..1) of the samples between two snapshots of one histogram, interpolated in its bucket. */
export function quantileBetween(before: LatencyHistogram, after: LatencyHistogram, q: number): number {
  const counts = after.counts.map((n, i) => n - (before.counts[i] ?? 0));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i] as number;
    if (inBucket > 0 && seen + inBucket >= rank) {
      const lower = i === 0 ? 0 : (after.boundsMs[i - 1] as number);
      const upper = after.boundsMs[i] ?? lower;
      return lower + ((rank - seen) / inBucket) * (upper - lower);
    }
    seen += inBucket;
  }
  return after.boundsMs[after.boundsMs.length - 1] as number;
}
