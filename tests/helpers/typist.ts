// Simulated typists for durability and convergence tests: each insertion is a unique tag like
// `[c3:17]`, so a test can check by set inclusion which insertions reached which client.
import type { PRNG } from 'lib0/prng';
import * as prng from 'lib0/prng';
import { onTestFinished } from 'vitest';
import type * as Y from 'yjs';

const TAG = /\[([A-Za-z0-9]+):(\d+)\]/g;

/** Every tag in `text`, in document order. */
export function tagsIn(text: string): string[] {
  return [...text.matchAll(TAG)].map((m) => m[0]);
}

/** `c3` for `[c3:17]`. */
export function authorOf(tag: string): string {
  return tag.slice(1, tag.indexOf(':'));
}

/**
 * Inserts `tag` at a random tag boundary (never inside another tag, so tags stay readable even when
 * concurrent insertions interleave: Yjs never splits an insertion made at a boundary the author saw).
 */
export function insertAtRandomBoundary(text: Y.Text, tag: string, rng: PRNG): void {
  const current = text.toJSON();
  let at = prng.int32(rng, 0, current.length);
  while (at < current.length && current[at] !== '[') at++;
  text.insert(at, tag);
}

export interface Typist {
  /** Tags this typist inserted, in order. */
  readonly typed: string[];
  stop(): void;
  /** Resolves when `count` tags are typed (never, if count is unbounded and stop() is not called). */
  readonly done: Promise<void>;
}

/**
 * Inserts `[author:n]` into `text` every `everyMs` (each insertion its own transaction, so its own
 * update on the wire) until `count` tags are typed or stop() is called. Stopped at test end.
 */
export function startTyping(
  text: Y.Text,
  author: string,
  rng: PRNG,
  { everyMs = 10, count = Number.POSITIVE_INFINITY }: { everyMs?: number; count?: number } = {},
): Typist {
  const typed: string[] = [];
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const timer = setInterval(() => {
    if (typed.length >= count) return stop();
    const tag = `[${author}:${typed.length}]`;
    insertAtRandomBoundary(text, tag, rng);
    typed.push(tag);
    if (typed.length >= count) stop();
  }, everyMs);
  function stop(): void {
    clearInterval(timer);
    finish();
  }
  onTestFinished(stop);
  return { typed, stop, done };
}
