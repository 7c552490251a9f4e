import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Wine tier (vitest.wine.config.mts, npm run test:wine) and the shipped executables' tier
    // (vitest.dist.config.mts, npm run test:dist) have their own configs.
    exclude: ['test/wine/**', 'test/sea/**', '**/node_modules/**'],
    // Real sockets and namespaces: keep files in separate processes so a
    // failing test cannot leave a listener behind for the next file.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
