import { defineConfig } from 'vitest/config';

// The shipped single executables (test/sea, TESTING.md tier 6): what
// `npm run dist` left in release/, read and run as a user would, the Windows
// one under Wine. Run with `npm run test:dist` after `npm run dist`; the tests
// fail, saying so, when release/ is missing. The same end-to-end and live
// tests as the npm CLI run against the Linux executable with
// TCPDIAG_TEST_CLI=release/tcpdiag-linux-x64 (.ci/run).
export default defineConfig({
  test: {
    include: ['test/sea/**/*.test.ts'],
    pool: 'forks',
    // One file at a time: each reads ~100 MB files or drives Wine, which a
    // 2-core machine runs no faster in parallel.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
