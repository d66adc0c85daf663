import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-kit',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // A safety net, not a speed bound: Chromium starts slowly on a loaded machine.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
