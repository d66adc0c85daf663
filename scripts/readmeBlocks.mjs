#!/usr/bin/env node
// Runs every ```ts / ```js code block of README.md and packages/*/README.md as a complete program:
//   node scripts/readmeBlocks.mjs [README ...] [--timeout SECONDS] [--verbose] [--no-typecheck]
// Each block is written to a git-ignored `.readme-blocks/` folder inside the workspace package whose README it
// is (so `@drojs/*` and the tfjs packages resolve as they would for a user of that package) and run there with
// tsx, one at a time. A block whose info string says `fragment` (e.g. ```ts fragment) is skipped: keep such
// marks rare and say in the README why the block cannot run alone. The TypeScript blocks of each README are
// also type-checked with the repository's compiler options (one check per README). Needs built packages.
// Ends with "readme-blocks: N passed, M failed" (exit code 1 when M > 0).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runnable = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);

/** Whether a fence-regex match closes a block opened by `marker` (same character, at least as long, no info). */
function closesFence(fence, marker) {
  return fence !== null && fence[2][0] === marker[0] && fence[2].length >= marker.length && fence[3].trim() === '';
}

/**
 * The fenced code blocks of a markdown text: `{ lang, info, code, line }` (line: 1-based line of the fence),
 * with `runnable` true for ts/js blocks not marked `fragment`.
 */
export function extractBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  let open = null;
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i] ?? '');
    if (open === null) {
      if (!fence) continue;
      const info = fence[3].trim();
      open = { marker: fence[2], info, lang: info.split(/\s+/)[0] ?? '', line: i + 1, body: [] };
    } else if (closesFence(fence, open.marker)) {
      const words = open.info.split(/\s+/);
      blocks.push({
        lang: open.lang,
        info: open.info,
        code: `${open.body.join('\n')}\n`,
        line: open.line,
        runnable: runnable.has(open.lang) && !words.includes('fragment'),
      });
      open = null;
    } else {
      open.body.push(lines[i]);
    }
  }
  return blocks;
}

/** The `@drojs/<name>` packages a block imports (static or dynamic), without subpaths. */
export function drojsImports(code) {
  const names = new Set();
  for (const m of code.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](@drojs\/[a-z0-9-]+)/g)) names.add(m[1]);
  return [...names];
}

/** Workspace package folders (packages/* and examples/*) with their package.json. */
function workspacePackages() {
  const out = [];
  for (const group of ['packages', 'examples']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const dir of readdirSync(base)) {
      const file = join(base, dir, 'package.json');
      if (existsSync(file)) out.push({ dir: join(base, dir), pkg: JSON.parse(readFileSync(file, 'utf8')) });
    }
  }
  return out;
}

/**
 * Where a block runs: the package folder of its README when that is a workspace package, else the first
 * workspace package that is, or depends on, every @drojs package the block imports.
 */
function runDirFor(readme, code, packages) {
  const own = packages.find((p) => p.dir === dirname(readme));
  if (own) return own.dir;
  const wanted = drojsImports(code);
  const fits = packages.find(({ pkg }) => {
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, [pkg.name]: '*' };
    return wanted.every((name) => name in deps);
  });
  return fits ? fits.dir : root;
}

/** README.md and packages/*\/README.md, as absolute paths. */
export function defaultReadmes() {
  const list = [join(root, 'README.md')];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const file = join(root, 'packages', dir, 'README.md');
    if (existsSync(file)) list.push(file);
  }
  return list.filter((f) => existsSync(f));
}

/** Runs one block with tsx in `cwd`; returns `{ ok, seconds, output }`. */
export function runBlock(file, cwd, timeoutSeconds, tsx = join(root, 'node_modules/.bin/tsx')) {
  const start = performance.now();
  const r = spawnSync(tsx, [file], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const seconds = (performance.now() - start) / 1000;
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM') {
    return { ok: false, seconds, output: `${output}\n(timed out after ${timeoutSeconds} s)` };
  }
  return { ok: r.status === 0, seconds, output };
}

/** Indented last lines of a failed run's output. */
function tail(text, lines = 15) {
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((l) => `      ${l}`)
    .join('\n');
}

/**
 * Type-checks the TypeScript blocks with the repository's compiler options (strict, noUncheckedIndexedAccess)
 * in one compiler run; each file's imports resolve from the folder it was written to. Returns the run and
 * its diagnostics split by file name.
 */
function typecheck(files) {
  const dir = join(root, '.readme-blocks');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'tsconfig.json');
  const base = relative(dir, join(root, 'tsconfig.base.json'));
  writeFileSync(config, JSON.stringify({ extends: base, compilerOptions: { noEmit: true }, files }));
  const start = performance.now();
  const r = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', config, '--pretty', 'false'], { encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`;
  return { status: r.status, seconds: (performance.now() - start) / 1000, output, lines: output.split('\n') };
}

function main(argv) {
  let timeout = 180;
  let verbose = false;
  let check = true;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--timeout') timeout = Number(argv[++i]);
    else if (argv[i] === '--verbose') verbose = true;
    else if (argv[i] === '--no-typecheck') check = false;
    else files.push(resolve(argv[i]));
  }
  if (!(timeout > 0)) throw new Error('--timeout takes a positive number of seconds');
  const packages = workspacePackages();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const report = (where, r) => {
    if (r.ok) passed++;
    else failed++;
    console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${where} (${r.seconds.toFixed(1)} s)`);
    if (!r.ok) console.log(tail(r.output));
    else if (verbose && r.output.trim()) console.log(r.output.trimEnd());
  };
  const made = new Set([join(root, '.readme-blocks')]);
  try {
    const written = [];
    for (const readme of files.length > 0 ? files : defaultReadmes()) {
      const name = relative(root, readme);
      for (const block of extractBlocks(readFileSync(readme, 'utf8'))) {
        if (!block.runnable) {
          if (runnable.has(block.lang)) skipped++;
          continue;
        }
        const dir = join(runDirFor(readme, block.code, packages), '.readme-blocks');
        mkdirSync(dir, { recursive: true });
        made.add(dir);
        const ext = block.lang.startsWith('t') ? 'ts' : 'mjs';
        const file = join(dir, `${name.replace(/[^A-Za-z0-9]+/g, '-')}-L${block.line}.${ext}`);
        writeFileSync(file, block.code);
        written.push({ name, dir, file, line: block.line });
      }
    }
    const ts = written.filter((w) => w.file.endsWith('.ts'));
    if (check && ts.length > 0) {
      const tc = typecheck(ts.map((w) => w.file));
      // One check per README: its blocks' diagnostics (tsc names the file at the start of each error line).
      for (const name of new Set(ts.map((w) => w.name))) {
        const mine = ts.filter((w) => w.name === name).map((w) => basename(w.file));
        const errors = tc.lines.filter((l) => mine.some((f) => l.includes(f)));
        const ok =
          tc.status !== null && errors.length === 0 && (tc.status === 0 || tc.lines.some((l) => /error TS/.test(l)));
        report(`typecheck ${name} (${mine.length} block(s))`, {
          ok,
          seconds: tc.seconds,
          output: errors.join('\n') || tc.output,
        });
      }
    }
    for (const { name, dir, file, line } of written) report(`${name}:${line}`, runBlock(file, dir, timeout));
  } finally {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  }
  if (skipped > 0) console.log(`(${skipped} block(s) marked fragment, not run)`);
  console.log(`readme-blocks: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
