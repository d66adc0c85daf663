#!/usr/bin/env node
// Committed bin shim: the package manager links bins at install time, before dist/ is built in a fresh
// clone, so the bin points here (always present) and this file loads the built cli.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const target = new URL('../dist/cli.js', import.meta.url);
if (existsSync(fileURLToPath(target))) {
  await import(target.href);
} else {
  process.stderr.write(
    '@drojs/rl-curriculum: dist/cli.js is missing; build the package first (pnpm --filter @drojs/rl-curriculum build)\n',
  );
  process.exitCode = 1;
}
