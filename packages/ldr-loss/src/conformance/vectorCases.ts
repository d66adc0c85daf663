// Evaluates the cases of a `ldr-loss.json`-format vectors file through the PUBLIC API only (imports from
// ./index.js). Shared by the conformance runner and the vector tests. Every expected field present in a case
// is compared; a missing or unknown field that the format requires is a failure, never a skip.
import { findMismatch } from '@drojs/dro-core/conformance';
import * as tf from '@tensorflow/tfjs-core';
import * as api from '../index.js';

/** Float32-path tolerance of the conventions. */
export const TOL = { abs: 1e-5, rel: 1e-4 } as const;

/** Outcome of one case: `null` mismatch means it passed. */
export interface CaseResult {
  section: string;
  name: string;
  mismatch: string | null;
}

type Json = Record<string, unknown>;

/**
 * First mismatch between nested numbers, or null: dro-core's `findMismatch` at {@link TOL}, an expected
 * `null` matching only `null` (the vectors never write NaN as null).
 */
export function compare(actual: unknown, expected: unknown, path: string): string | null {
  return findMismatch(actual, expected, TOL, path, { nullPolicy: 'strict' });
}

function need<T>(c: Json, key: string): T {
  if (!(key in c)) throw new Error(`case lacks required field '${key}'`);
  return c[key] as T;
}

const NORMALIZE: Record<string, api.ScoreNormalization> = {
  none: 'none',
  softplus_mean: 'softplus-mean',
  l1_mean: 'l1-mean',
  softplus_l1: 'softplus-mean',
};

function normalizeOf(v: unknown): api.ScoreNormalization | undefined {
  if (v === undefined) return undefined;
  const n = NORMALIZE[String(v)];
  if (!n) throw new Error(`unknown normalize '${String(v)}'`);
  return n;
}

type LossCall = (logits: tf.Tensor, labels: number[], reduction: 'none' | 'mean') => tf.Tensor;

/** Maps a loss case's `fn` + `params` to a call of the public API. */
function lossCall(fn: string, p: Json): LossCall | 'mae_reference_code' {
  const num = (k: string) => p[k] as number | undefined;
  switch (fn) {
    case 'ldr_kl':
      return (l, y, reduction) =>
        api.ldrKlLoss(l, y, {
          reduction,
          lambda: p.lam as number | number[] | undefined,
          margin: p.margin as number | number[] | undefined,
          normalize: normalizeOf(p.normalize),
          normEps: num('norm_eps'),
        });
    case 'ldr_kl_limit_inf':
      return (l, y, reduction) =>
        api.ldrKlLimitInfLoss(l, y, {
          reduction,
          margin: p.margin as number | undefined,
          normalize: normalizeOf(p.normalize),
        });
    case 'cs_hinge':
      return (l, y, reduction) => api.csHingeLoss(l, y, { reduction, margin: p.margin as number | undefined });
    case 'ww_hinge':
      return (l, y, reduction) =>
        api.wwHingeLoss(l, y, { reduction, margin: p.margin as number | undefined, average: 'classes' });
    case 'ldr_topk_hinge':
      return (l, y, reduction) =>
        api.ldrTopKHingeLoss(l, y, { reduction, k: p.k as number, margin: p.margin as number | undefined });
    case 'ce':
      return (l, y, reduction) => api.crossEntropyLoss(l, y, { reduction });
    case 'ce_v1':
      return (l, y, reduction) => api.ldrKlLoss(l, y, { reduction, lambda: 1, margin: 0, normalize: 'none' });
    case 'mae':
      return (l, y, reduction) => api.maeLoss(l, y, { reduction });
    case 'mae_reference_code':
      return 'mae_reference_code';
    case 'mse':
      return (l, y, reduction) => api.mseLoss(l, y, { reduction });
    case 'gce':
      return (l, y, reduction) => api.gceLoss(l, y, { reduction, q: num('q'), truncate: num('k') });
    case 'tgce':
      return (l, y, reduction) => api.truncatedGceLoss(l, y, { reduction, q: num('q'), keep: p.keep as number[] });
    case 'sce':
      return (l, y, reduction) => api.sceLoss(l, y, { reduction, balance: num('balance'), A: num('A') });
    case 'nce':
      return (l, y, reduction) => api.nceLoss(l, y, { reduction, scale: num('scale') });
    case 'rce':
      return (l, y, reduction) => api.rceLoss(l, y, { reduction, scale: num('scale') });
    case 'agce':
      return (l, y, reduction) => api.agceLoss(l, y, { reduction, a: num('a'), q: num('q'), scale: num('scale') });
    case 'aul':
      return (l, y, reduction) => api.aulLoss(l, y, { reduction, a: num('a'), q: num('q'), scale: num('scale') });
    case 'nce_rce':
      return (l, y, reduction) => api.nceRceLoss(l, y, { reduction, alpha: num('alpha'), beta: num('beta') });
    case 'nce_agce':
      return (l, y, reduction) =>
        api.nceAgceLoss(l, y, { reduction, alpha: num('alpha'), beta: num('beta'), a: num('a'), q: num('q') });
    case 'nce_aul':
      return (l, y, reduction) =>
        api.nceAulLoss(l, y, { reduction, alpha: num('alpha'), beta: num('beta'), a: num('a'), q: num('q') });
    case 'jsc':
      return (l, y, reduction) => api.jsLoss(l, y, { reduction, w0: num('w0') });
    case 'rll_reference_code':
      return (l, y, reduction) => api.rllReferenceLoss(l, y, { reduction, alpha: num('alpha') });
    case 'focal':
      return (l, y, reduction) => api.focalLoss(l, y, { reduction, gamma: num('gamma') });
    case 'taylor_ce':
      return (l, y, reduction) => api.taylorCeLoss(l, y, { reduction, order: num('t') });
    default:
      throw new Error(`unknown fn '${fn}'`);
  }
}

/** One stateless loss case: per_sample, mean and grad (d mean / d logits). */
export function runLossCase(c: Json): string | null {
  const fn = need<string>(c, 'fn');
  const params = (c.params ?? {}) as Json;
  const logits = need<number[][]>(c, 'logits');
  const labels = need<number[]>(c, 'labels');
  const call = lossCall(fn, params);
  if (call === 'mae_reference_code') {
    // The reference MAE omits the abs: identically zero with zero gradient (documents the bug; no export).
    const zeros = logits.map((r) => r.map(() => 0));
    return (
      compare(
        labels.map(() => 0),
        need(c, 'per_sample'),
        'per_sample',
      ) ??
      compare(0, need(c, 'mean'), 'mean') ??
      compare(zeros, need(c, 'grad'), 'grad')
    );
  }
  const x = tf.tensor2d(logits);
  try {
    const perSample = tf.tidy(() => call(x, labels, 'none').arraySync());
    const { value, grad } = tf.tidy(() => {
      const vg = tf.valueAndGrad((l: tf.Tensor) => call(l, labels, 'mean') as tf.Scalar)(x);
      return { value: vg.value.arraySync(), grad: vg.grad.arraySync() };
    });
    return (
      compare(perSample, need(c, 'per_sample'), 'per_sample') ??
      compare(value, need(c, 'mean'), 'mean') ??
      compare(grad, need(c, 'grad'), 'grad')
    );
  } finally {
    x.dispose();
  }
}

/** An ALDR sequence: steps replayed in order on one AldrKlLoss, one forward evaluation per step. */
export function runAldrCase(c: Json): string | null {
  if (need<string>(c, 'fn') !== 'aldr_kl_step') throw new Error(`unknown fn '${String(c.fn)}'`);
  const p = need<Json>(c, 'params');
  const aldr = new api.AldrKlLoss({
    numInstances: need<number>(c, 'num_instances'),
    lambda0: need<number>(p, 'lam0'),
    alpha: need<number>(p, 'alpha'),
    margin: need<number>(p, 'margin'),
    normalize: normalizeOf(need(p, 'normalize')),
  });
  const steps = need<Json[]>(c, 'steps');
  for (let t = 0; t < steps.length; t++) {
    const st = steps[t] as Json;
    const at = (field: string) => `steps[${t}].${field}`;
    const before = compare(Array.from(aldr.lambdas()), need(st, 'lam_state_before'), at('lam_state_before'));
    if (before) return before;
    const x = tf.tensor2d(need<number[][]>(st, 'logits'));
    const labels = need<number[]>(st, 'labels');
    const index = need<number[]>(st, 'index');
    let perSample: number[] = [];
    let value: number;
    let grad: number[][];
    try {
      ({ value, grad } = tf.tidy(() => {
        const vg = tf.valueAndGrad((l: tf.Tensor) => {
          const ps = aldr.call(l as tf.Tensor2D, labels, index, { reduction: 'none' });
          perSample = ps.arraySync() as number[];
          return tf.mean(ps) as tf.Scalar;
        })(x);
        return { value: vg.value.arraySync() as number, grad: vg.grad.arraySync() as number[][] };
      }));
    } finally {
      x.dispose();
    }
    const info = aldr.lastStepInfo();
    if (!info) return at('no step info');
    const ldrPart = perSample.map((v, i) => v - (info.extra[i] as number));
    const m =
      compare(Array.from(info.lambdaUsed), need(st, 'lam_used_for_p'), at('lam_used_for_p')) ??
      compare(perSample, need(st, 'per_sample'), at('per_sample')) ??
      compare(value, need(st, 'mean'), at('mean')) ??
      compare(grad, need(st, 'grad'), at('grad')) ??
      compare(Array.from(info.lambdaNew), need(st, 'lam_new'), at('lam_new')) ??
      compare(Array.from(info.kl), need(st, 'kl'), at('kl')) ??
      compare(Array.from(info.extra), need(st, 'extra'), at('extra')) ??
      compare(ldrPart, need(st, 'ldr_part'), at('ldr_part')) ??
      compare(Array.from(aldr.lambdas()), need(st, 'lam_state_after'), at('lam_state_after'));
    if (m) return m;
  }
  return null;
}

/** Value of a two-input contrastive step and its gradients with respect to both inputs, as host arrays. */
function valueAndGrads2(
  call: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Scalar,
  a: number[][],
  b: number[][],
): { value: number; g1: number[][]; g2: number[][] } {
  const ta = tf.tensor2d(a);
  const tb = tf.tensor2d(b);
  try {
    return tf.tidy(() => {
      const vg = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor) => call(x as tf.Tensor2D, y as tf.Tensor2D))([ta, tb]);
      return {
        value: vg.value.arraySync() as number,
        g1: vg.grads[0]!.arraySync() as number[][],
        g2: vg.grads[1]!.arraySync() as number[][],
      };
    });
  } finally {
    ta.dispose();
    tb.dispose();
  }
}

/** Compares the expected state of a contrastive case at `st[key]`; the mismatch at `at`, or null. */
type StateCheck = (st: Json, key: string, at: string) => string | null;

/**
 * Replays a contrastive sequence on one loss. Per step: `state_before`, a call on the two inputs named by
 * `inputs` at `index`, its value (`loss`) and gradients (`grad_<input>`), the loss-specific step-info fields
 * (`stepInfo`), then `state_after`. The first mismatch, or null.
 */
function runContrastiveSteps<Info>(
  c: Json,
  loss: { call(a: tf.Tensor2D, b: tf.Tensor2D, index: number[]): tf.Scalar; lastStepInfo(): Info | null },
  inputs: readonly [string, string],
  state: StateCheck,
  stepInfo: (st: Json, info: Info, at: (f: string) => string) => string | null,
): string | null {
  const [in1, in2] = inputs;
  const steps = need<Json[]>(c, 'steps');
  for (let t = 0; t < steps.length; t++) {
    const st = steps[t] as Json;
    const at = (f: string) => `steps[${t}].${f}`;
    const before = state(st, 'state_before', at('state_before'));
    if (before) return before;
    const index = need<number[]>(st, 'index');
    const out = valueAndGrads2((a, b) => loss.call(a, b, index), need(st, in1), need(st, in2));
    const info = loss.lastStepInfo();
    if (!info) return at('no step info');
    const m =
      compare(out.value, need(st, 'loss'), at('loss')) ??
      compare(out.g1, need(st, `grad_${in1}`), at(`grad_${in1}`)) ??
      compare(out.g2, need(st, `grad_${in2}`), at(`grad_${in2}`)) ??
      stepInfo(st, info, at) ??
      state(st, 'state_after', at('state_after'));
    if (m) return m;
  }
  return null;
}

/** A unimodal SogCLR/iSogCLR sequence (firstVisit 'batch', eps 1e-8, normalised features, constant γ). */
export function runUnimodalCase(c: Json): string | null {
  if (need<string>(c, 'fn') !== 'gcl_unimodal_step') throw new Error(`unknown fn '${String(c.fn)}'`);
  const p = need<Json>(c, 'params');
  const iso = need<boolean>(p, 'isogclr');
  const opt = (k: string) => (iso ? need<number>(p, k) : (p[k] as number | undefined));
  const loss = new api.GlobalContrastiveLoss({
    numInstances: need<number>(c, 'num_instances'),
    tau: need<number>(p, 'tau'),
    gamma: need<number>(p, 'gamma'),
    individualTemperature: iso,
    rho: opt('rho'),
    eta: opt('eta'),
    beta: opt('beta'),
    tauMin: opt('tau_min'),
    tauMax: opt('tau_max'),
    tauGradClip: (p.grad_clip as number | undefined) ?? null,
    firstVisit: 'batch',
    eps: 1e-8,
    normalizeFeatures: true,
  });
  const state: StateCheck = (st, key, at) => {
    const want = need<Json>(st, key);
    // u always; τ and M whenever the case lists them (required for iSogCLR).
    const m = compare(Array.from(loss.movingAverages()), need(want, 'u'), `${at}.u`);
    if (m) return m;
    const t = iso || 'tau' in want ? compare(Array.from(loss.temperatures()), need(want, 'tau'), `${at}.tau`) : null;
    if (t) return t;
    return iso || 'm' in want ? compare(loss.getState().momentum, need(want, 'm'), `${at}.m`) : null;
  };
  return runContrastiveSteps(
    c,
    loss,
    ['h1', 'h2'],
    state,
    (st, info, at) =>
      compare(Array.from(info.u1), need(st, 'u1'), at('u1')) ??
      compare(Array.from(info.u2), need(st, 'u2'), at('u2')) ??
      compare(Array.from(info.gammaUsed), need(st, 'gamma_used'), at('gamma_used')) ??
      compare(Array.from(info.tauUsed), need(st, 'tau_used'), at('tau_used')) ??
      compare(info.batchObjective, need(st, 'batch_objective'), at('batch_objective')) ??
      (iso || 'grad_tau' in st ? compare(Array.from(info.gradTau), need(st, 'grad_tau'), at('grad_tau')) : null),
  );
}

/** The bimodal iSogCLR sequence (firstVisit 'none', positive in the normaliser, features as given). */
export function runBimodalCase(c: Json): string | null {
  if (need<string>(c, 'fn') !== 'gcl_bimodal_step') throw new Error(`unknown fn '${String(c.fn)}'`);
  const p = need<Json>(c, 'params');
  const loss = new api.BimodalGlobalContrastiveLoss({
    numInstances: need<number>(c, 'num_instances'),
    tau: need<number>(c, 'tau_init'),
    gamma: need<number>(p, 'gamma'),
    rho: need<number>(p, 'rho'),
    eta: need<number>(p, 'eta'),
    beta: need<number>(p, 'beta'),
    tauMin: need<number>(p, 'tau_min'),
    tauMax: need<number>(p, 'tau_max'),
    tauGradClip: (p.grad_clip as number | undefined) ?? null,
    individualTemperature: need<boolean>(p, 'isogclr'),
    firstVisit: 'none',
    includePositiveInNormalizer: true,
    normalizeFeatures: false,
  });
  const state: StateCheck = (st, key, at) => {
    const want = need<Json>(st, key);
    for (const [dir, tag] of [
      ['image', 'I'],
      ['text', 'T'],
    ] as const) {
      const sv = need<number[]>(want, `s_${tag}`);
      const bv = need<number[]>(want, `b_${tag}`);
      const expLog = sv.map((v, i) => (v > 0 ? Math.log(v) + (bv[i] as number) : null));
      const gotLog = Array.from(loss.logMovingAverages(dir), (v) => (Number.isNaN(v) ? null : v));
      const m =
        compare(gotLog, expLog, `${at}.logU_${tag}`) ??
        compare(Array.from(loss.temperatures(dir)), need(want, `tau_${tag}`), `${at}.tau_${tag}`) ??
        compare(Array.from(loss.momenta(dir)), need(want, `m_${tag}`), `${at}.m_${tag}`);
      if (m) return m;
    }
    return null;
  };
  return runContrastiveSteps(
    c,
    loss,
    ['img', 'txt'],
    state,
    (st, info, at) =>
      compare(
        Array.from(info.gradTauImageUnclipped),
        need(st, 'grad_tau_img_unclipped'),
        at('grad_tau_img_unclipped'),
      ) ??
      compare(Array.from(info.gradTauTextUnclipped), need(st, 'grad_tau_txt_unclipped'), at('grad_tau_txt_unclipped')),
  );
}

/** KL-DRO: closed-form value/weights (and d value/d ℓ = weights), or a moving-average sequence. */
export function runKlDroCase(c: Json): string | null {
  if ('steps' in c) {
    const name = need<string>(c, 'name');
    const r = Number(/r=([0-9.eE+-]+)/.exec(name)?.[1]);
    const beta = Number(/beta=([0-9.eE+-]+)/.exec(name)?.[1]);
    if (!Number.isFinite(r) || !Number.isFinite(beta))
      throw new Error('moving-average case name must give r= and beta=');
    const rw = new api.KlDroReweighter({ r, beta });
    const steps = need<Json[]>(c, 'steps');
    for (let t = 0; t < steps.length; t++) {
      const st = steps[t] as Json;
      const at = (f: string) => `steps[${t}].${f}`;
      const ub = need<number | null>(st, 'u_before');
      const mb =
        ub === null
          ? rw.getState().logU === null
            ? null
            : at('u_before: expected unvisited')
          : compare(rw.u, ub, at('u_before'));
      if (mb) return mb;
      const losses = tf.tensor1d(need<number[]>(st, 'losses'));
      let sur: number;
      try {
        sur = tf.tidy(() => rw.call(losses).arraySync());
      } finally {
        losses.dispose();
      }
      const m =
        compare(sur, need(st, 'surrogate'), at('surrogate')) ??
        compare(Array.from(rw.lastWeights() ?? []), need(st, 'weights'), at('weights')) ??
        compare(rw.u, need(st, 'u_after'), at('u_after'));
      if (m) return m;
    }
    return null;
  }
  const r = need<number>(c, 'r');
  const losses = tf.tensor1d(need<number[]>(c, 'losses'));
  try {
    const { value, grad, weights } = tf.tidy(() => {
      const vg = tf.valueAndGrad((l: tf.Tensor) => api.klDroLoss(l as tf.Tensor1D, r))(losses);
      return {
        value: vg.value.arraySync(),
        grad: vg.grad.arraySync(),
        weights: api.klDroWeights(losses, r).arraySync(),
      };
    });
    return (
      compare(value, need(c, 'value'), 'value') ??
      compare(weights, need(c, 'weights'), 'weights') ??
      compare(grad, need(c, 'weights'), 'd value / d losses')
    );
  } finally {
    losses.dispose();
  }
}

/** Runs every case of a parsed vectors file. `sections` restricts to some top-level keys. */
export function runVectors(data: Json, sections?: string[]): CaseResult[] {
  const out: CaseResult[] = [];
  const handlers: Record<string, (c: Json) => string | null> = {
    ldr: runLossCase,
    baselines: runLossCase,
    aldr: runAldrCase,
    gcl_unimodal: runUnimodalCase,
    gcl_bimodal: runBimodalCase,
    kl_dro: runKlDroCase,
  };
  for (const [section, handler] of Object.entries(handlers)) {
    if (sections && !sections.includes(section)) continue;
    const cases = data[section];
    if (cases === undefined) continue;
    if (!Array.isArray(cases)) {
      out.push({ section, name: section, mismatch: 'section is not an array' });
      continue;
    }
    for (const c of cases as Json[]) {
      let mismatch: string | null;
      try {
        mismatch = handler(c);
      } catch (e) {
        mismatch = `threw: ${(e as Error).message}`;
      }
      out.push({ section, name: String(c?.name ?? '?'), mismatch });
    }
  }
  return out;
}
