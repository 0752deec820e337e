// Vitest settings for the browser tests only (run by `npx tsx scripts/e2e.ts`, which builds the
// client and starts the server first). Files are `*.e2e.ts` so the unit-test config never runs them.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    // One Chromium at a time: the machine has two cores and each file drives several pages.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
