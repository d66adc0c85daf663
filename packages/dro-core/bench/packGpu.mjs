#!/usr/bin/env node
// Packs `bench:gpu` into one folder that runs with Node alone (no pnpm, no store, no network): a GPU machine that
// gets only a copy of the working tree (at most 64 MiB) runs `node .gpu-bench/bench.mjs`. Contents: bench.mjs
// (bench/gpuBundleEntry.ts bundled with esbuild: dro-core, tfjs-core, the cpu/wasm/webgpu backends, layers), the
// tfjs wasm binaries, node_modules/webgpu with Dawn for linux-x64 only (21.5 MB), and a one-line
// node_modules/@tensorflow/tfjs-backend-webgpu that hands registerWebGpu the bundled backend.
// With --with-node it adds this Node binary xz-compressed (node.xz, about 27 MB) for machines without Node:
//   xz -dc .gpu-bench/node.xz > /tmp/node && chmod +x /tmp/node && /tmp/node .gpu-bench/bench.mjs
//   node packages/dro-core/bench/packGpu.mjs [OUT_DIR] [--with-node]   (default: .gpu-bench at the repository root)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const args = process.argv.slice(2);
const withNode = args.includes('--with-node');
const out = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, '.gpu-bench'));
const req = createRequire(join(here, '..', 'package.json'));
// esbuild comes with tsup (a root devDependency); resolve it through tsup, as pnpm does not hoist it.
const esbuild = createRequire(createRequire(join(root, 'package.json')).resolve('tsup'))('esbuild');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'gpuBundleEntry.ts')],
  outfile: join(out, 'bench.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // One tfjs-core for everything: the ESM builds throughout.
  mainFields: ['module', 'main'],
  external: ['webgpu'],
  banner: {
    js: [
      "import { createRequire as __cr } from 'node:module';",
      "import { dirname as __dn } from 'node:path';",
      "import { fileURLToPath as __fu } from 'node:url';",
      'const require = __cr(import.meta.url);',
      'const __filename = __fu(import.meta.url);',
      'const __dirname = __dn(__filename);',
    ].join('\n'),
  },
  logLevel: 'warning',
});

const wasmDir = dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
for (const f of readdirSync(join(wasmDir, 'dist')).filter((n) => n.endsWith('.wasm'))) {
  copyFileSync(join(wasmDir, 'dist', f), join(out, f));
}

const dawn = dirname(req.resolve('webgpu/package.json'));
const dawnOut = join(out, 'node_modules', 'webgpu');
mkdirSync(join(dawnOut, 'dist', 'linux-x64'), { recursive: true });
copyFileSync(join(dawn, 'index.js'), join(dawnOut, 'index.js'));
copyFileSync(join(dawn, 'package.json'), join(dawnOut, 'package.json'));
copyFileSync(join(dawn, 'dist', 'linux-x64', 'dawn.node'), join(dawnOut, 'dist', 'linux-x64', 'dawn.node'));

const shim = join(out, 'node_modules', '@tensorflow', 'tfjs-backend-webgpu');
mkdirSync(shim, { recursive: true });
writeFileSync(
  join(shim, 'package.json'),
  `${JSON.stringify({ name: '@tensorflow/tfjs-backend-webgpu', type: 'module', exports: './index.js' }, null, 2)}\n`,
);
writeFileSync(join(shim, 'index.js'), 'await globalThis.__drojsBundledWebGpuBackend();\nexport {};\n');
writeFileSync(join(out, 'package.json'), '{ "type": "module", "private": true }\n');

if (withNode) {
  // Same major as here (Node ≥ 20.19); glibc and libstdc++ are all it links against.
  execFileSync('xz', ['-6', '-T2', '-c', process.execPath], {
    stdio: ['ignore', openSync(join(out, 'node.xz'), 'w'), 'inherit'],
  });
  writeFileSync(join(out, 'NODE_VERSION'), `${process.version}\n`);
}

const size = (p) =>
  statSync(p).isDirectory() ? readdirSync(p).reduce((s, n) => s + size(join(p, n)), 0) : statSync(p).size;
console.log(
  `packed ${out} (${(size(out) / 2 ** 20).toFixed(1)} MiB): node ${join(out, 'bench.mjs')} [--allow-software] …`,
);
