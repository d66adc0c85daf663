#!/usr/bin/env node
// Builds the @drojs/native addon (csrc/ + OpenBLAS, statically linked) with node-gyp against the running Node's
// own headers, and copies it into the platform package (../native-linux-x64-gnu) that carries it to npm.
// Without a C compiler, the static OpenBLAS or Node's headers it prints ONE line and exits 0: everything then
// runs on the wasm backend. A build that was attempted and failed exits 1.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const csrc = join(root, 'csrc');
const target = resolve(root, '../native-linux-x64-gnu/drojs-native.node');
const multiarch = 'x86_64-linux-gnu';

function skip(why) {
  console.log(`@drojs/native: native build skipped (${why}); drojs runs on the wasm backend`);
  process.exit(0);
}

function first(paths) {
  return paths.find((p) => p && existsSync(p));
}

function hasCompiler() {
  const cc = process.env.CC || 'cc';
  const r = spawnSync(cc, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

if (process.platform !== 'linux' || process.arch !== 'x64')
  skip(`no native build for ${process.platform}-${process.arch}`);
if (!hasCompiler()) skip('no C compiler found');
const openblasLib = first([
  process.env.OPENBLAS_LIB,
  `/usr/lib/${multiarch}/openblas-pthread/libopenblas.a`,
  `/usr/lib/${multiarch}/libopenblas.a`,
  '/usr/lib/libopenblas.a',
]);
if (!openblasLib) skip('no static libopenblas.a found (apt-get install libopenblas-dev)');
const openblasInclude = first(
  [
    process.env.OPENBLAS_INCLUDE,
    `/usr/include/${multiarch}/openblas-pthread`,
    `/usr/include/${multiarch}`,
    '/usr/include/openblas',
    '/usr/include',
  ].filter((d) => !d || existsSync(join(d, 'cblas.h'))),
);
if (!openblasInclude) skip('no cblas.h found');
// Node's headers ship with Node itself (<prefix>/include/node); node-gyp's own download is not needed.
const nodeDir = resolve(dirname(process.execPath), '..');
if (!existsSync(join(nodeDir, 'include/node/node_api.h'))) skip(`no Node headers under ${nodeDir}/include/node`);
const nodeGyp = first([
  process.env.NODE_GYP,
  join(nodeDir, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  join(dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
]);
if (!nodeGyp) skip('no node-gyp found (it ships with npm; set NODE_GYP to its bin/node-gyp.js)');

const args = [
  nodeGyp,
  'rebuild',
  '--loglevel=warn',
  `--directory=${csrc}`,
  `--nodedir=${nodeDir}`,
  '--',
  `-Dopenblas_lib=${openblasLib}`,
  `-Dopenblas_include=${openblasInclude}`,
];
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
if (r.status !== 0) {
  console.error('@drojs/native: node-gyp failed (see above)');
  process.exit(1);
}
const built = join(csrc, 'build/Release/drojs-native.node');
copyFileSync(built, target);
// The binary carries OpenBLAS: its licence notice travels with it (BSD-3-Clause asks for that).
const notice = first([
  process.env.OPENBLAS_LICENSE,
  '/usr/share/doc/libopenblas-pthread-dev/copyright',
  '/usr/share/doc/libopenblas0-pthread/copyright',
  '/usr/share/doc/libopenblas-dev/copyright',
  '/usr/share/doc/libopenblas0/copyright',
]);
if (!notice) {
  console.error('@drojs/native: no OpenBLAS licence notice found (set OPENBLAS_LICENSE to its LICENSE file)');
  process.exit(1);
}
copyFileSync(notice, join(dirname(target), 'THIRD-PARTY-OpenBLAS.txt'));
console.log(`@drojs/native: built ${built} (OpenBLAS ${openblasLib}, static) and copied it to ${target}`);
