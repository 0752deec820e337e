// Vitest projects: `server` (Node: the real server, its storage and the shared protocol code) and
// `client` (jsdom: editor and UI units). Browser tests (tests/e2e) run through `scripts/e2e.ts`.
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start servers and child processes; forks isolate them, and two workers keep
    // the CPU-heavy files (200 clients, fuzzing, crash loops) from starving each other on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    exclude: [...configDefaults.exclude, 'tests/e2e/**', 'dist/**', '.bench/**', 'data/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    teardownTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['tests/server/**/*.test.ts', 'tests/persistence/**/*.test.ts', 'tests/shared/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'client',
          environment: 'jsdom',
          include: ['tests/client/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
});
