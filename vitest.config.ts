import { defineConfig } from 'vitest/config';

// Root config for running every project at once (watch mode); CI runs each package's own config via turbo.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*', 'apps/*'],
  },
});
