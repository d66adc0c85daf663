#!/usr/bin/env node
// Pack-and-install check: what a user gets from the registry, before publishing.
//   node scripts/packInstall.mjs [PKG ...] [--keep] [--timeout SECONDS]
// 1. `pnpm pack` every published package (packages/*, not private) into a temp folder (needs `pnpm build`).
// 2. For each package, in a fresh empty folder outside the repository: `npm i` its tarball, the tarballs of the
//    @drojs packages it depends on (dependencies and optionalDependencies, transitively) and the third-party
//    packages its README's install line names (`pnpm add …` / `npm i …` in a sh block; e.g. the tfjs peers),
//    from the npm registry with the shared npm cache.
// 3. Run the README's first complete code block there (tsx from this repository; imports resolve only against
//    the installed folder).
// 4. A package without TensorFlow.js peers must install none: `npm ls --all` shows no @tensorflow/* (the
//    rl-curriculum case: dro-core's tfjs peers are optional), and importing dro-core's main entry there fails
//    with an error that names @tensorflow/tfjs-core.
// Ends with "pack-install: N passed, M failed" (exit code 1 when M > 0).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractBlocks, runBlock } from './readmeBlocks.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Published workspace packages: `{ name, dir, pkg }` keyed by name. */
function publishedPackages() {
  const out = new Map();
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const file = join(root, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (!pkg.private) out.set(pkg.name, { name: pkg.name, dir: join(root, 'packages', dir), pkg });
  }
  return out;
}

/** The @drojs packages `name` needs at install time (dependencies and optionalDependencies), transitively. */
function drojsClosure(name, packages, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const { pkg } = packages.get(name);
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    if (packages.has(dep)) drojsClosure(dep, packages, seen);
  }
  return seen;
}

/** Third-party package specs named by the README's install lines (`pnpm add …`, `npm i …`), @drojs/* left out. */
export function installSpecs(readme) {
  const specs = new Set();
  for (const block of extractBlocks(readme)) {
    if (!['sh', 'bash', 'shell', 'console'].includes(block.lang)) continue;
    const text = block.code.replace(/\\\n/g, ' ');
    for (const line of text.split('\n')) {
      const m = /^\s*(?:\$\s*)?(?:pnpm add|npm (?:i|install)|yarn add)\s+(.*)$/.exec(line.replace(/#.*$/, ''));
      if (!m) continue;
      for (const word of m[1].split(/\s+/)) {
        if (word && !word.startsWith('-') && !word.startsWith('@drojs/')) specs.add(word);
      }
    }
  }
  return [...specs];
}

/** Runs a command; returns `{ ok, output, seconds }` (never throws). */
function run(cmd, args, cwd, timeoutSeconds = 600) {
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutSeconds * 1000, maxBuffer: 64 << 20 });
  return {
    ok: r.status === 0,
    output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`,
    seconds: (performance.now() - start) / 1000,
  };
}

/** Packs every package into `dest`; returns name → tarball path. */
function packAll(packages, dest) {
  const tarballs = new Map();
  for (const { name, dir, pkg } of packages.values()) {
    // A binary-only package (@drojs/native-linux-x64-gnu) has no dist/ to build.
    const builds = (pkg.files ?? ['dist']).includes('dist');
    if (builds && !existsSync(join(dir, 'dist'))) throw new Error(`${name}: dist/ is missing; run pnpm build first`);
    const before = new Set(readdirSync(dest));
    execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const made = readdirSync(dest).filter((f) => !before.has(f) && f.endsWith('.tgz'));
    if (made.length !== 1) throw new Error(`${name}: expected one new tarball from pnpm pack, got ${made.length}`);
    tarballs.set(name, join(dest, made[0]));
    if (!made[0].includes(pkg.version)) throw new Error(`${name}: tarball ${made[0]} lacks version ${pkg.version}`);
  }
  return tarballs;
}

/** Indented last lines of a command's output, for a failure report. */
function tail(text, lines = 15) {
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((l) => `      ${l}`)
    .join('\n');
}

/** Names of the installed packages in an `npm ls --all --json` tree (unmet optional peers have no version). */
function treeNames(node, out = new Set()) {
  for (const [name, child] of Object.entries(node?.dependencies ?? {})) {
    if (child?.version === undefined) continue;
    out.add(name);
    treeNames(child, out);
  }
  return out;
}

/** One package: install into a fresh folder, run its README's first block, check tfjs-free packages. */
function checkPackage(entry, packages, tarballs, work, timeout, report) {
  const { name, dir, pkg } = entry;
  const folder = join(work, name.replace('@drojs/', ''));
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    `${JSON.stringify({ name: 'pack-install-check', private: true, type: 'module' }, null, 2)}\n`,
  );
  const readmeFile = join(dir, 'README.md');
  const readme = existsSync(readmeFile) ? readFileSync(readmeFile, 'utf8') : '';
  const local = [...drojsClosure(name, packages)].map((n) => tarballs.get(n));
  const specs = installSpecs(readme);
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...local, ...specs], folder);
  report(`${name}: npm install (${specs.length} registry spec(s))`, install.ok, install.seconds, install.output);
  if (!install.ok) return;

  // The tarball carries the licence, the README and every bin target (npm links bins only to files it has).
  const installed = join(folder, 'node_modules', name);
  const wanted = ['LICENSE', 'README.md', ...Object.values(pkg.bin ?? {})];
  const missing = wanted.filter((f) => !existsSync(join(installed, f)));
  report(
    `${name}: tarball has LICENSE, README.md and its bins`,
    missing.length === 0,
    0,
    `missing: ${missing.join(', ')}`,
  );

  // Each bin starts through its link: the shim finds dist/ (with no arguments a runner prints its usage).
  for (const bin of Object.keys(pkg.bin ?? {})) {
    const r = run(join(folder, 'node_modules', '.bin', bin), [], folder, 60);
    const broken = /is missing; build the package first|ERR_MODULE_NOT_FOUND|Cannot find (module|package)/.test(
      r.output,
    );
    report(`${name}: bin ${bin} starts`, !broken && !r.output.includes('ENOENT'), r.seconds, r.output);
  }

  const block = extractBlocks(readme).find((b) => b.runnable);
  if (block) {
    const file = join(folder, `example.${block.lang.startsWith('t') ? 'ts' : 'mjs'}`);
    writeFileSync(file, block.code);
    const r = runBlock(file, folder, timeout);
    report(`${name}: README example (line ${block.line})`, r.ok, r.seconds, r.output);
  } else {
    console.log(`      ${name}: the README has no complete code block to run`);
  }

  const tensorFree = !Object.keys(pkg.peerDependencies ?? {}).some((p) => p.startsWith('@tensorflow/'));
  if (tensorFree) {
    const ls = run('npm', ['ls', '--all', '--json'], folder);
    let names = new Set();
    try {
      names = treeNames(JSON.parse(ls.output.slice(ls.output.indexOf('{'))));
    } catch {
      report(`${name}: npm ls --all --json parses`, false, ls.seconds, ls.output);
      return;
    }
    const tf = [...names].filter((n) => n.startsWith('@tensorflow/'));
    report(
      `${name}: no @tensorflow/* installed (${names.size} packages in the tree)`,
      tf.length === 0,
      ls.seconds,
      tf.join('\n'),
    );
    const probe = join(folder, 'probeMainEntry.mjs');
    writeFileSync(
      probe,
      "try { await import('@drojs/dro-core'); console.log('loaded'); } catch (e) { console.log(String(e?.message ?? e)); }\n",
    );
    const r = run(process.execPath, [probe], folder, 60);
    const named = r.output.includes('@tensorflow/tfjs-core');
    report(`${name}: dro-core's main entry without tfjs names @tensorflow/tfjs-core`, named, r.seconds, r.output);
  }
}

function main(argv) {
  let keep = false;
  let timeout = 300;
  const only = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--keep') keep = true;
    else if (argv[i] === '--timeout') timeout = Number(argv[++i]);
    else only.push(argv[i].startsWith('@') ? argv[i] : `@drojs/${argv[i]}`);
  }
  const packages = publishedPackages();
  for (const name of only) if (!packages.has(name)) throw new Error(`unknown package ${name}`);
  const work = mkdtempSync(join(tmpdir(), 'drojs-pack-install-'));
  let passed = 0;
  let failed = 0;
  const report = (what, ok, seconds, output) => {
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what} (${seconds.toFixed(1)} s)`);
    if (!ok) console.log(tail(output));
  };
  const start = performance.now();
  try {
    const tarballDir = join(work, 'tarballs');
    mkdirSync(tarballDir);
    const tarballs = packAll(packages, tarballDir);
    console.log(`packed ${tarballs.size} packages into ${tarballDir}`);
    for (const entry of packages.values()) {
      if (only.length > 0 && !only.includes(entry.name)) continue;
      checkPackage(entry, packages, tarballs, work, timeout, report);
    }
  } finally {
    if (keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  console.log(`(${((performance.now() - start) / 1000).toFixed(0)} s in all)`);
  console.log(`pack-install: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
