// Polling waits for integration tests: tests wait on a condition becoming true, never on a fixed sleep.

/**
 * For waits on work done in the export process (automatic versions, a document's unload after one, the
 * versions list's live status): it runs at idle priority, so on two cores busy with the rest of the
 * suite it may wait its turn for seconds, and it loads for ~1.5 s when first used.
 */
export const BACKGROUND_WORK_TIMEOUT_MS = 20_000;

export interface WaitOptions {
  /** Give up after this many milliseconds (default 5000). */
  timeout?: number;
  /** Poll interval in milliseconds (default 10). */
  interval?: number;
  /** Said in the timeout error, so a failure names what never happened. */
  message?: string;
}

/**
 * Polls `condition` until it returns a truthy value (or a promise of one) and returns that value.
 * A condition that throws is treated as "not yet"; on timeout the last thrown error is reported,
 * so `waitFor(() => expect(a).toEqual(b))` fails with the expectation's own diff.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeout = 5000, interval = 10, message }: WaitOptions = {},
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = message ?? 'condition';
      if (lastError instanceof Error) {
        lastError.message = `waitFor timed out after ${timeout} ms (${what}): ${lastError.message}`;
        throw lastError;
      }
      throw new Error(`waitFor timed out after ${timeout} ms: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Resolves with `promise`, or rejects after `ms` with a message naming what was awaited. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * True when `promise` is still unsettled at the end of the current event-loop turn: what it waits for
 * (a flush, an acknowledgement) has not happened yet. Settled before, its callbacks would have run.
 */
export async function pendingAfterATurn(promise: Promise<unknown>): Promise<boolean> {
  const turnEnded = Symbol('turn ended');
  const first = await Promise.race([
    promise.then(
      () => null,
      () => null,
    ),
    new Promise((resolve) => setImmediate(() => resolve(turnEnded))),
  ]);
  return first === turnEnded;
}
