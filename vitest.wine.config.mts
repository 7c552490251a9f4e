import { defineConfig } from 'vitest/config';

// The Wine tier (test/wine): the built CLI on the win32 Node under Wine, a
// smoke of the win32 code path (never evidence of Windows behaviour). Run
// with `npm run test:wine` after `node scripts/setup-wine.mjs`; without Wine
// it skips saying why, and fails instead with TCPDIAG_REQUIRE_WINE=1 (CI).
export default defineConfig({
  test: {
    include: ['test/wine/**/*.test.ts'],
    pool: 'forks',
    // One file at a time: every file drives Wine processes, and a 2-core
    // machine runs them no faster in parallel.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
