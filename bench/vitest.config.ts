import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@drojs/bench',
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
