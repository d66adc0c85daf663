import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@drojs/native',
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    // A safety net, not a speed bound: unit tests are fast, and a loaded machine must not fail them.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
