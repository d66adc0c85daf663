import { defineConfig } from 'vitest/config';

// `pnpm test:repro`: the long reproductions (minutes on a loaded 2-core machine), kept out of `pnpm test`.
export default defineConfig({
  test: {
    name: '@drojs/sdm (repro)',
    include: ['src/**/*.repro.test.ts'],
    pool: 'forks',
    testTimeout: 600_000,
  },
});
