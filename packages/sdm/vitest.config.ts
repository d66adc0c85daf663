import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@drojs/sdm',
    include: ['src/**/*.test.ts'],
    // Long reproductions run with `pnpm test:repro` (vitest.repro.config.ts), not in the unit suite.
    exclude: ['src/**/*.repro.test.ts'],
    pool: 'forks',
    // A safety net, not a speed bound: unit tests are fast, and a loaded machine must not fail them.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
