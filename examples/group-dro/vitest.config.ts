import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'group-dro',
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
  },
});
