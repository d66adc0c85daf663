#!/usr/bin/env node
// Builds the typedoc reference for every package and every exports-map entry, and fails when typedoc warns
// (a type referenced by the public API but not exported, an unknown TSDoc tag, ...). Run after `pnpm build`.
import { spawnSync } from 'node:child_process';

const r = spawnSync('pnpm', ['exec', 'typedoc', '--options', 'typedoc.json'], { encoding: 'utf8' });
const out = `${r.stdout}\n${r.stderr}`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: typedoc colours its output
const warnings = out.split('\n').filter((l) => /\[warning\]|\[error\]/.test(l.replace(/\x1b\[[0-9;]*m/g, '')));
for (const w of warnings) console.log(w);
console.log(`docs: ${warnings.length} warning(s)`);
process.exitCode = r.status !== 0 || warnings.length > 0 ? 1 : 0;
