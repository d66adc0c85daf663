import { defineConfig } from 'vitest/config';

// Unit tests of the page's logic in Node (no browser): `pnpm --filter playground test`. The browser tests are the
// separate `test:e2e` script (needs Chromium).
export default defineConfig({
  test: {
    name: 'playground',
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
