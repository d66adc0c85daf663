import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'curriculum-sim',
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
  },
});
