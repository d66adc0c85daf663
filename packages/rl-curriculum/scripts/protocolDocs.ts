// Writes the README's protocol table and protocol.schema.json from src/server/schema/methods.ts
// (`pnpm --filter @drojs/rl-curriculum protocol:docs`; a test fails when either is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { protocolDocument, readmeTable } from '../src/server/schema/document.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const readmePath = `${pkg}README.md`;
const START = '<!-- protocol-table:start -->';
const END = '<!-- protocol-table:end -->';
const readme = readFileSync(readmePath, 'utf8');
const a = readme.indexOf(START);
const b = readme.indexOf(END);
if (a < 0 || b < a) throw new Error(`README.md lacks ${START} … ${END}`);
writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n${readmeTable()}\n${readme.slice(b)}`);
writeFileSync(`${pkg}protocol.schema.json`, `${JSON.stringify(protocolDocument(), null, 2)}\n`);
process.stdout.write('README.md protocol table and protocol.schema.json written\n');
