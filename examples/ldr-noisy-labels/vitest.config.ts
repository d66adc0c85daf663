import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'ldr-noisy-labels',
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
  },
});
