/**
 * @drojs/sparse benchmark (`pnpm --filter @drojs/sparse bench`): screening throughput (covariates per second)
 * at n = 1000 and at the spec's n = 200 × p = 2000 for MI-KDE, |Pearson| and dCor; λ-path time (50 λ, strong
 * rule, defaults) at n = 200 for p = 1000 (lasso, SCAD, MCP) and p = 10,000 (lasso, MCP). Median of ROUNDS
 * runs (the machine is shared). With `--numpy` it also runs bench/numpy_screen.py (vectorised NumPy screening
 * on the same sizes with one BLAS thread, if python3 with numpy is installed) and bench/numpy_path.py (the same
 * path algorithm in NumPy on the same p = 10,000 data: time, ratio, coefficient agreement, the BLAS loaded). Writes reports/bench/latest.json and a dated copy (bench/results/ with --update).
 * Flags: --quick (1 round, smaller p at n = 1000), --rounds=N, --numpy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@drojs/dro-core/host';
import { fitPath, type PenaltyName, type SparsePath, screen } from '../src/index.js';
import { toColumns } from '../src/input.js';

const here = dirname(fileURLToPath(import.meta.url));
// Tracked bench/results/ only with --update; otherwise the git-ignored reports/bench/ (nothing tracked changes).
const outDir = process.argv.includes('--update') ? join(here, 'results') : join(here, '..', 'reports', 'bench');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const ROUNDS = Number(args.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? (quick ? 1 : 3));

function design(
  seed: string,
  n: number,
  p: number,
): { data: Float64Array; rows: number; cols: number; y: Float64Array } {
  const rng = createRng(seed);
  const data = new Float64Array(n * p);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * p;
    y[i] = 2 * Math.cos(2 * data[r]!) + 1.5 * data[r + 1]! ** 2 + data[r + 2]! - data[r + 3]! + rng.normal();
  }
  return { data, rows: n, cols: p, y };
}

function sparseDesign(seed: string, n: number, p: number) {
  const rng = createRng(seed);
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    let prev = rng.normal();
    data[i * p] = prev;
    for (let j = 1; j < p; j++) {
      prev = 0.5 * prev + Math.sqrt(0.75) * rng.normal();
      data[i * p + j] = prev;
    }
  }
  const beta = new Float64Array(p);
  for (const j of rng.choice(p, 5)) beta[j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) if (beta[j] !== 0) eta += data[i * p + j]! * beta[j]!;
    y[i] = eta + rng.normal();
  }
  return { X: { data, rows: n, cols: p }, y };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function time(f: () => unknown): number {
  const ms: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const rows: Record<string, unknown>[] = [];
const screenSizes: [number, number, 'mi-kde' | 'pearson' | 'dcor'][] = [
  [1000, quick ? 50 : 200, 'mi-kde'],
  [1000, quick ? 2000 : 10000, 'pearson'],
  [1000, quick ? 20 : 100, 'dcor'],
  [200, 2000, 'mi-kde'],
  [200, 2000, 'pearson'],
  [200, 2000, 'dcor'],
];
for (const [n, p, method] of screenSizes) {
  const d = design(`bench/${n}/${p}`, n, p);
  const ms = time(() => screen(d, d.y, { method, keep: 10 }));
  rows.push({ task: `screen ${method}`, n, p, ms: Math.round(ms), 'covariates/s': Math.round((p / ms) * 1000) });
}
{
  // input validation and the row-major → column-major copy, which every screen pays once
  const d = design('bench/convert', 1000, quick ? 2000 : 10000);
  const ms = time(() => toColumns(d, 'X'));
  rows.push({ task: 'input conversion (validate + transpose)', n: 1000, p: d.cols, ms: Math.round(ms) });
}
const pathSizes: [number, PenaltyName][] = [
  [1000, 'lasso'],
  [1000, 'scad'],
  [1000, 'mcp'],
  [10000, 'lasso'],
  [10000, 'mcp'],
];
/** The p = 10,000 paths (kept for the NumPy comparison). */
const bigPaths = new Map<PenaltyName, { path: SparsePath; ms: number }>();
for (const [p, penalty] of pathSizes) {
  const { X, y } = sparseDesign(`bench/path/${p}`, 200, p);
  let info = '';
  let last: SparsePath | undefined;
  const ms = time(() => {
    last = fitPath(X, y, { penalty });
    info = `${last.lambdas.length} λ, ${Array.from(last.iterations).reduce((a, b) => a + b, 0)} iterations`;
  });
  if (p === 10000 && last !== undefined) bigPaths.set(penalty, { path: last, ms });
  rows.push({ task: `path ${penalty} (50 λ)`, n: 200, p, ms: Math.round(ms), note: info });
}
console.table(rows);

let numpy: unknown = null;
let numpyPath: unknown = null;
/** One BLAS thread: the JS side is single-threaded, and a threaded OpenBLAS thrashes on a shared 2-core VM. */
const oneThread = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/**
 * bench/numpy_path.py on the same p = 10,000 data: its time, the ratio, and the largest coefficient
 * difference between the two paths (original scale, over all λ both fitted).
 */
function runNumpyPath(): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'sparse-path-'));
  try {
    const { X, y } = sparseDesign('bench/path/10000', 200, 10000);
    writeFileSync(join(dir, 'X.f64'), X.data);
    writeFileSync(join(dir, 'y.f64'), y);
    const penalties = [...bigPaths.keys()];
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ n: 200, p: 10000, penalties, rounds: ROUNDS }));
    const out = JSON.parse(
      execFileSync('python3', [join(here, 'numpy_path.py'), dir], { encoding: 'utf8', env: oneThread }),
    ) as {
      blas: unknown;
      numpy: string;
      rows: { penalty: PenaltyName; ms: number; lambdas: number; iterations: number }[];
    };
    const table = out.rows.map((r) => {
      const js = bigPaths.get(r.penalty)!;
      const buf = readFileSync(join(dir, `coef-${r.penalty}.f64`));
      const coef = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
      const K = Math.min(r.lambdas, js.path.coefs.length);
      let maxDiff = 0;
      let maxAbs = 0;
      for (let k = 0; k < K; k++) {
        const c = js.path.coefs[k]!;
        for (let j = 0; j < 10000; j++) {
          maxDiff = Math.max(maxDiff, Math.abs(c[j]! - coef[k * 10000 + j]!));
          maxAbs = Math.max(maxAbs, Math.abs(c[j]!));
        }
      }
      return {
        penalty: r.penalty,
        'js ms': Math.round(js.ms),
        'numpy ms': r.ms,
        'numpy/js': Number((r.ms / js.ms).toFixed(2)),
        'λ js/numpy': `${js.path.lambdas.length}/${r.lambdas}`,
        'iterations js/numpy': `${Array.from(js.path.iterations).reduce((a, b) => a + b, 0)}/${r.iterations}`,
        'max |Δcoef|': Number(maxDiff.toExponential(2)),
        'max |coef|': Number(maxAbs.toFixed(3)),
        agree: js.path.lambdas.length === r.lambdas && maxDiff <= 1e-4 * Math.max(1, maxAbs),
      };
    });
    console.log('NumPy BLAS:', JSON.stringify(out.blas), 'numpy', out.numpy);
    console.table(table);
    return { blas: out.blas, numpy: out.numpy, rows: table };
  } catch (e) {
    const msg = `not run: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    console.log(`NumPy path comparison ${msg}`);
    return msg;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (args.includes('--numpy')) {
  try {
    numpy = JSON.parse(execFileSync('python3', [join(here, 'numpy_screen.py')], { encoding: 'utf8', env: oneThread }));
    console.table(numpy as object[]);
  } catch (e) {
    numpy = `not run: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    console.log(`NumPy comparison ${numpy}`);
  }
  numpyPath = runNumpyPath();
}
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  loadavg: loadavg(),
  rounds: ROUNDS,
  rows,
  numpy,
  numpyPath,
};
const dir = outDir;
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(dir, `bench-${result.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
