import { uniformCoupling } from '@drojs/dro-core';
import { type ConformanceOutcome, findMismatch } from '@drojs/dro-core/conformance';
import * as tf from '@tensorflow/tfjs-core';
import { activations, runWithMaps } from '../activations.js';
import { affineOtMaps, meanShiftMaps } from '../baselines.js';
import { fitSteer } from '../fit.js';
import { lineasLoss } from '../loss.js';
import { SteerMaps } from '../maps.js';
import { steeringReport } from '../metrics.js';
import { proxSparseGroup } from '../prox.js';
import { type DigitsData, loadDigits } from './digits.js';
import { mlpFromWeights } from './mlp.js';

type Tol = { abs: number; rel: number };
type Case = Record<string, unknown> & { id: string; expected: Record<string, unknown> };
type Net = { weights: number[][][]; biases: number[][]; map_layers: number[] };

const DEFAULT_TOL = {
  f32: { abs: 1e-5, rel: 1e-4 },
  host: { abs: 1e-12, rel: 1e-9 },
  fit: { abs: 1e-4, rel: 1e-3 },
  digits: { metrics_abs: 0.03, loss_rel: 0.05, touched_abs: 2 },
};

/** Where the digits table is read for `digits_demo` cases (the vendored copy by default). */
export interface EvaluateOptions {
  digitsPath?: string | URL;
}

/** Every case's first mismatch, comparing the named fields of `got` with `expected`. */
function compare(got: Record<string, unknown>, expected: Record<string, unknown>, tol: Tol, id: string): string | null {
  for (const [key, value] of Object.entries(got)) {
    if (!(key in expected)) continue;
    const m = findMismatch(value, expected[key], tol, `${id}.${key}`, { nullPolicy: 'strict' });
    if (m) return m;
  }
  return null;
}

/** Runs `fn` in a tidy scope and returns its host result (tf.tidy only types tensor results). */
function scoped<T>(fn: () => T): T {
  let out: T | undefined;
  tf.tidy(() => {
    out = fn();
  });
  return out as T;
}

function tensorRows(x: number[][]): tf.Tensor2D {
  return tf.tensor2d(x, undefined, 'float32');
}

function withMaps(layers: number[], widths: number[], omega: number[][], bias: number[][]): SteerMaps {
  const maps = new SteerMaps({ layers, widths });
  layers.forEach((l, k) => maps.setMap(l, omega[k]!, bias[k]!));
  return maps;
}

function widthsOf(c: Net): number[] {
  return c.map_layers.map((l) => c.weights[l]![0]!.length);
}

function affineMap(c: Case, tol: typeof DEFAULT_TOL): string | null {
  const h = c.h as number[][];
  const d = h[0]!.length;
  const maps = withMaps([0], [d], [c.omega as number[]], [c.bias as number[]]);
  maps.setStrength(c.strength as number);
  const out = tf.tidy(() => maps.apply(0, tensorRows(h)).arraySync());
  maps.dispose();
  return compare({ out }, c.expected, tol.f32, c.id);
}

function prox(c: Case, tol: typeof DEFAULT_TOL): string | null {
  const out = Array.from(
    proxSparseGroup(c.v as number[], c.tau as number, c.lambda1 as number, c.lambda_group as number),
  );
  return compare({ out }, c.expected, tol.host, c.id);
}

function loss(c: Case & Net, tol: typeof DEFAULT_TOL): string | null {
  const model = mlpFromWeights(c.weights, c.biases);
  const maps = withMaps(c.map_layers, widthsOf(c), c.omega as number[][], c.bias_maps as number[][]);
  try {
    return scoped(() => {
      const xs = tensorRows(c.x_source as number[][]);
      const xt = tensorRows(c.x_target as number[][]);
      const opts = { layerReduction: c.layer_reduction as 'mean' | 'sum' };
      const vars = maps.variables();
      const g = tf.variableGrads(() => lineasLoss(model, xs, xt, maps, opts).value, vars);
      const l = lineasLoss(model, xs, xt, maps, opts);
      const L = c.map_layers.length;
      const got = {
        value: g.value.dataSync()[0],
        per_layer: Array.from(l.perLayer.dataSync()),
        grad_omega: vars.slice(0, L).map((v) => Array.from(g.grads[v.name]!.dataSync())),
        grad_bias: vars.slice(L).map((v) => Array.from(g.grads[v.name]!.dataSync())),
        z_source: activations(model, xs, c.map_layers, maps).map((z) => z.arraySync()),
        t_target: activations(model, xt, c.map_layers).map((t) => t.arraySync()),
      };
      return compare(got, c.expected, tol.f32, c.id);
    });
  } finally {
    maps.dispose();
    model.dispose();
  }
}

async function fit(c: Case & Net, tol: typeof DEFAULT_TOL): Promise<string | null> {
  const model = mlpFromWeights(c.weights, c.biases);
  const xs = tensorRows(c.x_source as number[][]);
  const xt = tensorRows(c.x_target as number[][]);
  const trajectory: { loss_before: number; omega: number[][]; bias_maps: number[][] }[] = [];
  let maps: SteerMaps | null = null;
  try {
    const res = await fitSteer(model, xs, xt, {
      layers: c.map_layers,
      optimizer: 'sgd',
      lr: c.lr as number,
      steps: c.steps as number,
      lambda1: c.lambda1 as number,
      lambdaGroup: c.lambda_group as number,
      layerReduction: c.layer_reduction as 'mean' | 'sum',
      onStep: (_, lossBefore, __, m) =>
        trajectory.push({
          loss_before: lossBefore,
          omega: m.layers.map((l) => Array.from(m.omega(l))),
          bias_maps: m.layers.map((l) => Array.from(m.bias(l))),
        }),
    });
    maps = res.maps;
    const expected = c.expected as { trajectory: unknown[]; touched_final: number };
    return (
      findMismatch(trajectory, expected.trajectory, tol.fit, `${c.id}.trajectory`) ??
      findMismatch(maps.touched().total, expected.touched_final, { abs: 0, rel: 0 }, `${c.id}.touched_final`)
    );
  } finally {
    maps?.dispose();
    model.dispose();
    xs.dispose();
    xt.dispose();
  }
}

function baseline(c: Case & Net, tol: typeof DEFAULT_TOL): string | null {
  const model = mlpFromWeights(c.weights, c.biases);
  const fitMaps = c.kind === 'affine-ot' ? affineOtMaps : meanShiftMaps;
  if (c.kind !== 'affine-ot' && c.kind !== 'mean-shift') return `${c.id}: unknown baseline kind ${String(c.kind)}`;
  const xs = tensorRows(c.x_source as number[][]);
  const xt = tensorRows(c.x_target as number[][]);
  try {
    const maps = fitMaps(model, xs, xt, c.map_layers);
    const got = {
      omega: maps.layers.map((l) => Array.from(maps.omega(l))),
      bias_maps: maps.layers.map((l) => Array.from(maps.bias(l))),
    };
    maps.dispose();
    return compare(got, c.expected, tol.f32, c.id);
  } finally {
    model.dispose();
    xs.dispose();
    xt.dispose();
  }
}

function report(c: Case, tol: typeof DEFAULT_TOL): string | null {
  const r = scoped(() =>
    steeringReport(tensorRows(c.logits as number[][]), c.labels as number[], {
      source: c.source_class as number,
      target: c.target_class as number,
    }),
  );
  const got = {
    success: r.success,
    source_acc: r.sourceAcc,
    off_target_acc: r.offTargetAcc,
    n_source: r.nSource,
    n_other: r.nOther,
  };
  return compare(got, c.expected, tol.host, c.id);
}

function coupling(c: Case): string | null {
  const u = uniformCoupling(c.n as number, c.m as number);
  const exact = { abs: 0, rel: 0 };
  return (
    findMismatch(Array.from(u.src), c.expected.src_rank, exact, `${c.id}.src_rank`) ??
    findMismatch(Array.from(u.tgt), c.expected.tgt_rank, exact, `${c.id}.tgt_rank`) ??
    findMismatch(Array.from(u.mass), c.expected.mass, { abs: 1e-15, rel: 0 }, `${c.id}.mass`)
  );
}

function rowsOf(data: DigitsData, rows: number[]): tf.Tensor2D {
  const x = new Float32Array(rows.length * 64);
  rows.forEach((r, i) => {
    for (let j = 0; j < 64; j++) x[i * 64 + j] = data.pixels[r * 64 + j]! / 16;
  });
  return tf.tensor2d(x, [rows.length, 64]);
}

async function digits(c: Case & Net, tol: typeof DEFAULT_TOL, opts: EvaluateOptions): Promise<string | null> {
  const data = loadDigits(opts.digitsPath ?? new URL('../data/digits.csv.gz', import.meta.url));
  const model = mlpFromWeights(c.weights, c.biases);
  const xs = rowsOf(data, c.source_rows as number[]);
  const xt = rowsOf(data, c.target_rows as number[]);
  const test = c.test_rows as number[];
  const xTest = rowsOf(data, test);
  const labels = test.map((r) => data.labels[r]!);
  const classes = { source: c.source_class as number, target: c.target_class as number };
  let maps: SteerMaps | null = null;
  try {
    const res = await fitSteer(model, xs, xt, {
      layers: c.map_layers,
      lr: c.lr as number,
      steps: c.steps as number,
      lambda1: c.lambda1 as number,
      lambdaGroup: c.lambda_group as number,
    });
    maps = res.maps;
    const m = maps;
    const finalLoss = tf.tidy(() => lineasLoss(model, xs, xt, m).value.dataSync()[0]!);
    const on = scoped(() => steeringReport(runWithMaps(model, xTest, m) as tf.Tensor2D, labels, classes));
    const off = scoped(() => steeringReport(runWithMaps(model, xTest, null) as tf.Tensor2D, labels, classes));
    const e = c.expected as Record<string, number>;
    const metric = { abs: tol.digits.metrics_abs, rel: 0 };
    return (
      findMismatch(finalLoss, e.final_loss, { abs: 0, rel: tol.digits.loss_rel }, `${c.id}.final_loss`) ??
      findMismatch(on.success, e.success, metric, `${c.id}.success`) ??
      findMismatch(on.offTargetAcc, e.off_target_acc, metric, `${c.id}.off_target_acc`) ??
      findMismatch(off.offTargetAcc, e.no_maps_off_target_acc, metric, `${c.id}.no_maps_off_target_acc`) ??
      findMismatch(maps.touched().total, e.touched, { abs: tol.digits.touched_abs, rel: 0 }, `${c.id}.touched`)
    );
  } finally {
    maps?.dispose();
    model.dispose();
    for (const t of [xs, xt, xTest]) t.dispose();
  }
}

type Evaluator = (
  c: Case & Net,
  tol: typeof DEFAULT_TOL,
  opts: EvaluateOptions,
) => string | null | Promise<string | null>;

const SECTIONS: Record<string, Evaluator> = {
  affine_map: affineMap,
  prox_sparse_group: prox,
  lineas_loss: loss,
  lineas_fit: fit,
  baseline_maps: baseline,
  steering_report: report,
  uniform_coupling: coupling,
  digits_demo: digits,
};

function tolerances(meta: unknown): typeof DEFAULT_TOL {
  const t = (meta as { tolerances?: Record<string, Record<string, number>> } | undefined)?.tolerances;
  if (!t) return DEFAULT_TOL;
  return {
    f32: { ...DEFAULT_TOL.f32, ...t.float32_tensor },
    host: { ...DEFAULT_TOL.host, ...t.host_float64 },
    fit: { ...DEFAULT_TOL.fit, ...t.fit_trajectories },
    digits: { ...DEFAULT_TOL.digits, ...t.digits_demo } as typeof DEFAULT_TOL.digits,
  };
}

/**
 * Evaluates every case of a steer vectors file through the public API, section by section; a crash in one
 * case fails that case. Unknown sections are ignored; a file with none of the known sections yields no
 * outcome (which the report counts as a failure).
 */
export async function evaluateVectors(data: unknown, opts: EvaluateOptions = {}): Promise<ConformanceOutcome[]> {
  if (data === null || typeof data !== 'object') return [];
  const d = data as Record<string, unknown>;
  const tol = tolerances(d._meta);
  const out: ConformanceOutcome[] = [];
  for (const [section, evaluate] of Object.entries(SECTIONS)) {
    const cases = d[section];
    if (!Array.isArray(cases)) continue;
    for (const c of cases as (Case & Net)[]) {
      const id = `${section}/${String(c?.id)}`;
      try {
        out.push({ id, failure: await evaluate(c, tol, opts) });
      } catch (e) {
        out.push({ id, failure: `threw ${(e as Error).message}` });
      }
    }
  }
  return out;
}
