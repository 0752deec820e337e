// Seeded randomness for tests: every random choice comes from one PRNG whose seed is printed when the
// test fails, and TEST_SEED=<n> replays it.
import * as prng from 'lib0/prng';
import { onTestFailed } from 'vitest';

export function seededRandom(): { rng: prng.PRNG; seed: number } {
  const fromEnv = process.env.TEST_SEED;
  const seed = fromEnv ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed)) throw new Error(`TEST_SEED must be an integer, got "${fromEnv}"`);
  onTestFailed(({ task }) => {
    console.error(`\n[seed] "${task.name}" failed with seed ${seed}; replay with TEST_SEED=${seed}\n`);
  });
  return { rng: prng.create(seed), seed };
}
