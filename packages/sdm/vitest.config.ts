import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@drojs/sdm',
    include: ['src/**/*.test.ts'],
    // Long reproductions run with `pnpm test:repro` (vitest.repro.config.ts), not in the unit suite.
    exclude: ['src/**/*.repro.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
