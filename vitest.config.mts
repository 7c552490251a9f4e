import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The shipped executables' tier has its own config (vitest.dist.config.mts, npm run test:dist).
    exclude: ['test/sea/**', '**/node_modules/**'],
    // Real sockets and namespaces: keep files in separate processes so a
    // failing test cannot leave a listener behind for the next file.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
