import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'robust-pipeline',
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    // A safety net, not a speed bound: the integration test takes about a minute on a loaded machine.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
