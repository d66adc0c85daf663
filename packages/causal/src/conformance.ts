#!/usr/bin/env node
// Conformance runner: node packages/causal/dist/conformance.js FILE [--verbose]
// Evaluates every case of a causal vectors file through the public API, one check per output key
// (and per entry of parameter-indexed maps), and ends with "conformance: N passed, M failed".
import { readFileSync } from 'node:fs';
import {
  anchorRegression,
  andersonRubin,
  drmRules,
  Eacs,
  environmentSummary,
  ivlLimit,
  ivlProjected,
  ivlRegression,
  kClass,
  liml,
  ncer,
  ols,
  tsls,
} from './index.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Case {
  description?: string;
  inputs: Record<string, Json>;
  outputs: Record<string, Json>;
  truth?: Record<string, Json>;
  crosscheck?: Record<string, Json>;
}
interface Tol {
  rtol: number;
  atol: number;
  exact?: boolean;
}

const CLOSED: Tol = { rtol: 1e-8, atol: 1e-10 };
const PVAL: Tol = { rtol: 1e-6, atol: 0 };
const EXACT: Tol = { rtol: 0, atol: 0, exact: true };
const LR: Tol = { rtol: 0, atol: 1e-4 };
const OBJ: Tol = { rtol: 1e-6, atol: 0 };
const SOFT: Tol = { rtol: 1e-4, atol: 0 };

const verbose = process.argv.includes('--verbose');
let passed = 0;
let failed = 0;

type TolSpec = Tol | ((key: string) => Tol);

/** First mismatch between expected and actual (recursively), or null. `key`: the nearest property name. */
function mismatch(exp: unknown, act: unknown, tolSpec: TolSpec, path = '', key = ''): string | null {
  const tol = typeof tolSpec === 'function' ? tolSpec(key) : tolSpec;
  if (typeof exp === 'number') {
    if (typeof act !== 'number') return `${path}: expected ${exp}, got ${describe(act)}`;
    if (tol.exact) return exp === act ? null : `${path}: expected ${exp}, got ${act}`;
    if (Number.isNaN(exp) || Number.isNaN(act)) return `${path}: expected ${exp}, got ${act}`;
    if (!Number.isFinite(exp)) return exp === act ? null : `${path}: expected ${exp}, got ${act}`;
    return Math.abs(act - exp) <= tol.rtol * Math.abs(exp) + tol.atol ? null : `${path}: expected ${exp}, got ${act}`;
  }
  if (typeof exp === 'boolean' || typeof exp === 'string')
    return exp === act ? null : `${path}: expected ${JSON.stringify(exp)}, got ${describe(act)}`;
  if (Array.isArray(exp)) {
    const a = act as ArrayLike<unknown>;
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number')
      return `${path}: expected an array, got ${describe(act)}`;
    if (a.length !== exp.length) return `${path}: expected length ${exp.length}, got ${a.length}`;
    for (let i = 0; i < exp.length; i++) {
      const m = mismatch(exp[i], a[i], tolSpec, `${path}[${i}]`, key);
      if (m) return m;
    }
    return null;
  }
  if (exp !== null && typeof exp === 'object') {
    if (act === null || typeof act !== 'object') return `${path}: expected an object, got ${describe(act)}`;
    for (const [k, v] of Object.entries(exp)) {
      const m = mismatch(v, (act as Record<string, unknown>)[k], tolSpec, `${path}.${k}`, k);
      if (m) return m;
    }
    return null;
  }
  return exp === act ? null : `${path}: expected ${String(exp)}, got ${describe(act)}`;
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'undefined';
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return typeof v;
  }
}

/** One check: compute `actual()` lazily; an exception counts as a failure. */
function check(caseName: string, field: string, expected: unknown, actual: () => unknown, tol: TolSpec): void {
  let msg: string | null;
  try {
    msg = mismatch(expected, actual(), tol, '', field);
  } catch (e) {
    msg = `threw ${e instanceof Error ? e.message : String(e)}`;
  }
  if (msg === null) {
    passed++;
    if (verbose) console.log(`ok   ${caseName} ${field}`);
  } else {
    failed++;
    console.log(`FAIL ${caseName} ${field}${msg.startsWith('threw') ? `: ${msg}` : msg}`);
  }
}

function fail(caseName: string, field: string, why: string): void {
  failed++;
  console.log(`FAIL ${caseName} ${field}: ${why}`);
}

function memo<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

/** Parameter-map key → number ("inf" → Infinity). */
function keyNum(k: string): number {
  if (k === 'inf') return Number.POSITIVE_INFINITY;
  if (k === '-inf') return Number.NEGATIVE_INFINITY;
  const v = Number(k);
  if (Number.isNaN(v)) throw new Error(`bad parameter key ${k}`);
  return v;
}

function asMap(v: Json, caseName: string, field: string): Record<string, Json> | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    fail(caseName, field, 'expected a map indexed by a parameter');
    return null;
  }
  return v;
}

type Matrix = number[][];
const mat = (v: Json) => v as unknown as Matrix;
const vec = (v: Json) => v as unknown as number[];

// ---------------------------------------------------------------- tsls
function runTsls(name: string, c: Case): void {
  const I = c.inputs;
  const base = {
    y: vec(I.y),
    exog: I.exog === undefined ? undefined : mat(I.exog),
    endog: mat(I.endog),
    instruments: mat(I.instr ?? I.instruments),
    intercept: false,
  };
  const fit = memo(() => tsls(base));
  const robust = memo(() => fit().covariance({ covType: 'robust', debiased: false }));
  const robustDeb = memo(() => fit().covariance({ covType: 'robust', debiased: true }));
  const unadj = memo(() => fit().covariance({ covType: 'unadjusted', debiased: false }));
  const test = (t: { stat: number; df: number | [number, number]; pValue: number }) => ({
    stat: t.stat,
    df: t.df,
    pvalue: t.pValue,
  });
  const testTol = (k: string) => (k === 'pvalue' ? PVAL : k === 'df' ? EXACT : CLOSED);
  const beta0 = (k: string): number[] => {
    if (k.endsWith('_zero')) return [0];
    if (k.endsWith('_true')) {
      const names = vec(I.param_names ?? []) as unknown as string[];
      const endogName = names[names.length - 1];
      const t = c.truth?.[endogName ?? 'x'] ?? c.truth?.x;
      if (typeof t !== 'number') throw new Error('truth value of the endogenous coefficient missing');
      return [t];
    }
    throw new Error(`unknown Anderson–Rubin hypothesis ${k}`);
  };
  const evals: Record<string, (exp: Json, key: string) => void> = {
    params: (e, k) => check(name, k, e, () => fit().params, CLOSED),
    cov_unadjusted: (e, k) => check(name, k, e, () => unadj().cov, CLOSED),
    cov_unadjusted_debiased: (e, k) => check(name, k, e, () => fit().cov, CLOSED),
    cov_robust: (e, k) => check(name, k, e, () => robust().cov, CLOSED),
    cov_robust_debiased: (e, k) => check(name, k, e, () => robustDeb().cov, CLOSED),
    se_unadjusted: (e, k) => check(name, k, e, () => unadj().stdErrors, CLOSED),
    se_unadjusted_debiased: (e, k) => check(name, k, e, () => fit().stdErrors, CLOSED),
    se_robust: (e, k) => check(name, k, e, () => robust().stdErrors, CLOSED),
    se_robust_debiased: (e, k) => check(name, k, e, () => robustDeb().stdErrors, CLOSED),
    tstat_unadjusted_debiased: (e, k) => check(name, k, e, () => fit().tStats, CLOSED),
    pvalue_unadjusted_debiased: (e, k) => check(name, k, e, () => fit().pValues, PVAL),
    tstat_unadjusted: (e, k) => check(name, k, e, () => unadj().tStats, CLOSED),
    pvalue_unadjusted: (e, k) => check(name, k, e, () => unadj().pValues, PVAL),
    tstat_robust: (e, k) => check(name, k, e, () => robust().tStats, CLOSED),
    pvalue_robust: (e, k) => check(name, k, e, () => robust().pValues, PVAL),
    tstat_robust_debiased: (e, k) => check(name, k, e, () => robustDeb().tStats, CLOSED),
    pvalue_robust_debiased: (e, k) => check(name, k, e, () => robustDeb().pValues, PVAL),
    ssr: (e, k) => check(name, k, e, () => fit().ssr, CLOSED),
    sigma2_n: (e, k) => check(name, k, e, () => fit().ssr / fit().nobs, CLOSED),
    sigma2_df: (e, k) => check(name, k, e, () => fit().sigma2, CLOSED),
    rsquared: (e, k) => check(name, k, e, () => fit().rsquared, CLOSED),
    first_stage: (e, k) =>
      check(
        name,
        k,
        e,
        () =>
          (fit().firstStage ?? []).map((s) => ({
            coef: s.coef,
            rsquared: s.rsquared,
            partial_rsquared: s.partialRsquared,
            partial_f: s.partialF.stat,
            partial_f_df: s.partialF.df,
            partial_f_pvalue: s.partialF.pValue,
            partial_f_linearmodels_unadjusted: s.partialFNoDof,
            robust_wald_over_q: s.robustWald.stat / (s.robustWald.df as number),
            robust_wald: s.robustWald.stat,
            robust_wald_chi2_pvalue: s.robustWald.pValue,
            effective_f: s.effectiveF,
            shea_rsquared: s.sheaPartialRsquared,
          })),
        (key) => (key.endsWith('pvalue') ? PVAL : key.endsWith('_df') ? EXACT : CLOSED),
      ),
    ols_params: (e, k) =>
      check(
        name,
        k,
        e,
        () => {
          const X = base.endog.map((r, i) => [...(base.exog?.[i] ?? []), ...r]);
          return ols({ X, y: base.y, intercept: false }).params;
        },
        CLOSED,
      ),
    sargan: (e, k) => check(name, k, e, () => test(fit().sargan as never), testTol),
    wu_hausman: (e, k) => check(name, k, e, () => test(fit().wuHausman as never), testTol),
    liml_kappa: (e, k) => check(name, k, e, () => liml(base).kappa, CLOSED),
    liml_params: (e, k) => check(name, k, e, () => liml(base).params, CLOSED),
    kclass: (e, k) => {
      const m = asMap(e, name, k);
      if (m)
        for (const [kk, v] of Object.entries(m))
          check(name, `${k}[${kk}]`, v, () => kClass({ ...base, kappa: keyNum(kk) }).params, CLOSED);
    },
  };
  for (const [k, e] of Object.entries(c.outputs)) {
    if (k.startsWith('anderson_rubin')) {
      check(name, k, e, () => test(andersonRubin({ ...base, beta0: beta0(k) })), testTol);
      continue;
    }
    const ev = evals[k];
    if (ev) ev(e, k);
    else fail(name, k, 'no evaluator for this output key');
  }
  for (const [k, e] of Object.entries(c.crosscheck ?? {})) {
    if (k.endsWith('_params')) check(name, `crosscheck.${k}`, e, () => fit().params, CLOSED);
    else if (k.endsWith('_bse')) check(name, `crosscheck.${k}`, e, () => fit().stdErrors, CLOSED);
    else if (k.endsWith('first_stage_F'))
      check(name, `crosscheck.${k}`, e, () => fit().firstStage?.[0].partialF.stat, CLOSED);
    else fail(name, `crosscheck.${k}`, 'no evaluator for this crosscheck key');
  }
}

// ---------------------------------------------------------------- anchor
function runAnchor(name: string, c: Case): void {
  const I = c.inputs;
  const X = mat(I.X);
  const y = vec(I.y);
  const A = mat(I.A);
  for (const [k, e] of Object.entries(c.outputs)) {
    if (k === 'centered' || k === 'uncentered_no_intercept') {
      const m = asMap(e, name, k);
      if (!m) continue;
      for (const [kk, v] of Object.entries(m))
        check(
          name,
          `${k}[${kk}]`,
          v,
          () => {
            const f = anchorRegression({ X, y, anchors: A, gamma: keyNum(kk), intercept: k === 'centered' });
            return { coef: f.coef, intercept: f.intercept };
          },
          CLOSED,
        );
    } else if (k === 'ols_with_intercept') {
      check(name, k, e, () => ols({ X, y }).params, CLOSED);
    } else if (k === 'tsls_with_intercept_gamma_inf') {
      check(name, k, e, () => tsls({ y, endog: X, instruments: A.map((r) => r.slice(1)) }).params, CLOSED);
    } else fail(name, k, 'no evaluator for this output key');
  }
}

// ---------------------------------------------------------------- drm
function runDrm(name: string, c: Case): void {
  const logits = c.inputs.logits as unknown as number[][][];
  const betas = vec(c.inputs.betas ?? []);
  const P = memo(() => drmRules.softmax(logits));
  const H = memo(() => drmRules.entropy(logits));
  const combined = (g: number) => {
    if (g < 0) {
      const heads = drmRules.sampleHeads(H());
      return heads.map((h, b) => P()[h][b]);
    }
    return drmRules.combine(P(), drmRules.weights(H(), g), { form: 'reference' });
  };
  for (const [k, e] of Object.entries(c.outputs)) {
    switch (k) {
      case 'probs':
        check(name, k, e, P, CLOSED);
        break;
      case 'entropy':
        check(name, k, e, H, CLOSED);
        break;
      case 'mean_entropy':
        check(name, k, e, () => H().map((h) => h.reduce((s, v) => s + v, 0) / h.length), CLOSED);
        break;
      case 'batch_head':
        check(name, k, e, () => drmRules.batchHead(H()), EXACT);
        break;
      case 'per_sample_head':
        check(name, k, e, () => drmRules.sampleHeads(H()), EXACT);
        break;
      case 'max_double_softmax_conf': {
        const C = logits[0][0].length;
        const onehot = [Array.from({ length: C }, (_, j) => (j === 0 ? 1 : 0))];
        check(name, k, e, () => drmRules.pseudoLabels(onehot, 0, { doubleSoftmax: true }).confidence[0], CLOSED);
        break;
      }
      case 'combine': {
        const m = asMap(e, name, k);
        if (!m) break;
        for (const [kk, v] of Object.entries(m)) {
          const g = keyNum(kk);
          const obj = v as Record<string, Json>;
          for (const [f, ev] of Object.entries(obj ?? {})) {
            const field = `${k}[${kk}].${f}`;
            const pl = () => drmRules.pseudoLabels(combined(g), 0, { doubleSoftmax: true });
            if (f === 'combined') check(name, field, ev, () => combined(g), CLOSED);
            else if (f === 'weights') check(name, field, ev, () => drmRules.weights(H(), g), CLOSED);
            else if (f === 'combined_renormalised')
              check(
                name,
                field,
                ev,
                () => drmRules.combine(P(), drmRules.weights(H(), g), { form: 'domain-renormalised' }),
                CLOSED,
              );
            else if (f === 'combined_all_heads')
              check(
                name,
                field,
                ev,
                () => drmRules.combine(P(), drmRules.weights(H(), g), { form: 'all-heads' }),
                CLOSED,
              );
            else if (f === 'pseudo_conf_double_softmax') check(name, field, ev, () => pl().confidence, CLOSED);
            else if (f === 'pseudo_label') check(name, field, ev, () => pl().label, EXACT);
            else if (f === 'pseudo_mask') {
              const mm = asMap(ev, name, field);
              if (mm)
                for (const [bk, bv] of Object.entries(mm))
                  check(
                    name,
                    `${field}[${bk}]`,
                    bv,
                    () => drmRules.pseudoLabels(combined(g), keyNum(bk), { doubleSoftmax: true }).keep,
                    EXACT,
                  );
            } else fail(name, field, 'no evaluator for this output key');
          }
        }
        void betas;
        break;
      }
      default:
        fail(name, k, 'no evaluator for this output key');
    }
  }
}

// ---------------------------------------------------------------- ivl
function runIvl(name: string, c: Case): void {
  const I = c.inputs;
  const base = { GX: mat(I.GX), y: vec(I.y), G: mat(I.G), intercept: false };
  const f = vec(I.f_true ?? []);
  const coefOf = (v: Json) => v; // expected coefficient arrays
  const ivlAt = (k: string, solver: 'stacked' | 'transform' = 'stacked') =>
    ivlRegression({ ...base, alpha: keyNum(k), solver }).coef;
  const lim = memo(() => ivlLimit(base).coef);
  const pi = memo(() => ivlProjected(base).coef);
  const erm = memo(() => ols({ X: mat(I.X), y: base.y, intercept: false }).params);
  const daErm = memo(() => ols({ X: base.GX, y: base.y, intercept: false }).params);
  const maybeCoef = (exp: Json, a: number[]) =>
    exp !== null && typeof exp === 'object' && !Array.isArray(exp) && 'coef' in exp ? { coef: a } : a;
  for (const [k, e] of Object.entries(c.outputs)) {
    if (k === 'ivl' || k === 'ivl_via_transform' || k === 'ncer') {
      const m = asMap(e, name, k);
      if (!m) continue;
      for (const [kk, v] of Object.entries(m)) {
        const field = `${k}[${kk}]`;
        if (k === 'ncer') check(name, field, v, () => ncer(f, ivlAt(kk)), CLOSED);
        else
          check(name, field, coefOf(v), () => maybeCoef(v, ivlAt(kk, k === 'ivl' ? 'stacked' : 'transform')), CLOSED);
      }
      continue;
    }
    switch (k) {
      case 'ivl_limit_alpha_to_0plus':
        check(name, k, e, () => maybeCoef(e, lim()), CLOSED);
        break;
      case 'ncer_ivl_limit':
        check(name, k, e, () => ncer(f, lim()), CLOSED);
        break;
      case 'ivl_pi':
        check(name, k, e, () => maybeCoef(e, pi()), CLOSED);
        break;
      case 'ncer_ivl_pi':
        check(name, k, e, () => ncer(f, pi()), CLOSED);
        break;
      case 'erm':
        check(name, k, e, () => maybeCoef(e, erm()), CLOSED);
        break;
      case 'ncer_erm':
        check(name, k, e, () => ncer(f, erm()), CLOSED);
        break;
      case 'da_erm':
        check(name, k, e, () => maybeCoef(e, daErm()), CLOSED);
        break;
      case 'ncer_da_erm':
        check(name, k, e, () => ncer(f, daErm()), CLOSED);
        break;
      case 'equivalences':
        // Informative text: checked for presence and type only.
        check(name, k, typeof e === 'string' ? 'string' : typeof e, () => 'string', EXACT);
        break;
      default:
        fail(name, k, 'no evaluator for this output key');
    }
  }
}

// ---------------------------------------------------------------- eacs
interface EnvJson {
  X: Matrix;
  y: number[];
}
function runEacs(name: string, c: Case): void {
  const I = c.inputs;
  const subsets = I.subsets as unknown as number[][];
  const train = (I.train_envs as unknown as EnvJson[]).map((e) => ({ X: e.X, y: e.y }));
  const test = I.test_envs as unknown as EnvJson[];
  const featureNames = (I.feature_names as unknown as string[]) ?? [];
  // "Known cause" c2: the constraint keeps candidates containing it (column index of 'c2').
  const causeIdx = Math.max(0, featureNames.indexOf('c2'));
  const make = (mustInclude: number[], mode: 'hard' | 'soft') =>
    new Eacs({
      subsets,
      mustInclude,
      summary: 'corr-sd',
      standardizeSummaries: false,
      C: 1,
      classWeight: null,
      mode,
      seed: 0,
    }).fit(train);
  const un = memo(() => make([], 'hard'));
  const con = memo(() => make([causeIdx], 'hard'));
  const soft = memo(() => make([], 'soft'));
  const mseOf = (y: number[], yhat: ArrayLike<number>) => y.reduce((s, v, i) => s + (v - yhat[i]) ** 2, 0) / y.length;
  const perEnvOrMean = (exp: Json, vals: number[]) =>
    typeof exp === 'number' ? vals.reduce((s, v) => s + v, 0) / vals.length : vals;
  // Test MSE of one fitted Eacs, per environment or averaged as the expected value is shaped.
  const testMse = (fit: () => Eacs, exp: Json) =>
    perEnvOrMean(
      exp,
      test.map((t) => mseOf(t.y, fit().predict(t.X))),
    );
  const selState = (e: Eacs) => ({
    classes: e.selector.classes,
    W: e.selector.W,
    b_centered: e.selector.b,
    b: e.selector.b,
    objective: e.selector.objective,
  });
  const selTol = (k: string) => (k === 'classes' ? EXACT : k === 'objective' ? OBJ : LR);
  for (const [k, e] of Object.entries(c.outputs)) {
    switch (k) {
      case 'subset_models':
        check(name, k, e, () => un().subsetModels.map((m) => [m.intercept, ...m.coef]), CLOSED);
        break;
      case 'train_summaries':
        check(name, k, e, () => un().trainSummaries, CLOSED);
        break;
      case 'train_mse':
        check(name, k, e, () => un().trainMse, CLOSED);
        break;
      case 'labels_unconstrained':
        check(name, k, e, () => un().trainLabels, EXACT);
        break;
      case 'labels_constrained':
        check(name, k, e, () => con().trainLabels, EXACT);
        break;
      case 'selector_unconstrained':
        check(name, k, e, () => selState(un()), selTol);
        break;
      case 'selector_constrained':
        check(name, k, e, () => selState(con()), selTol);
        break;
      case 'test_summaries':
        check(name, k, e, () => test.map((t) => environmentSummary(t.X, 'corr-sd')), CLOSED);
        break;
      case 'test_mse_by_subset':
        check(
          name,
          k,
          e,
          () =>
            test.map((t) =>
              un().subsetModels.map((m) =>
                mseOf(
                  t.y,
                  t.X.map((r) => m.intercept + m.subset.reduce((s, j, q) => s + m.coef[q] * r[j], 0)),
                ),
              ),
            ),
          CLOSED,
        );
        break;
      case 'test_probs_unconstrained':
        check(
          name,
          k,
          e,
          () => test.map((t) => un().selector.classes.map((cl) => un().selectSubset(t.X).probs[cl])),
          LR,
        );
        break;
      case 'test_selected_unconstrained':
        check(name, k, e, () => test.map((t) => un().selectSubset(t.X).index), EXACT);
        break;
      case 'test_selected_constrained':
        check(name, k, e, () => test.map((t) => con().selectSubset(t.X).index), EXACT);
        break;
      case 'test_mse_eacs_hard':
        check(name, k, e, () => testMse(un, e), CLOSED);
        break;
      case 'test_mse_eacs_constrained_hard':
        check(name, k, e, () => testMse(con, e), CLOSED);
        break;
      case 'test_mse_eacs_soft':
        check(name, k, e, () => testMse(soft, e), SOFT);
        break;
      default:
        fail(name, k, 'no evaluator for this output key');
    }
  }
}

const RUNNERS: [string, (n: string, c: Case) => void][] = [
  ['tsls', runTsls],
  ['anchor', runAnchor],
  ['drm', runDrm],
  ['ivl', runIvl],
  ['eacs', runEacs],
];

function main(): void {
  const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: conformance FILE [--verbose]');
  const data = JSON.parse(readFileSync(file, 'utf8')) as { cases: Record<string, Case> };
  if (
    data === null ||
    typeof data !== 'object' ||
    data.cases === null ||
    typeof data.cases !== 'object' ||
    Array.isArray(data.cases)
  )
    throw new Error('the file has no "cases" object');
  for (const [name, c] of Object.entries(data.cases)) {
    const runner = RUNNERS.find(([prefix]) => name.startsWith(prefix));
    if (!runner) {
      fail(name, '(case)', 'unknown case prefix');
      continue;
    }
    if (
      c === null ||
      typeof c !== 'object' ||
      typeof c.inputs !== 'object' ||
      typeof c.outputs !== 'object' ||
      c.outputs === null
    ) {
      fail(name, '(case)', 'malformed case: inputs and outputs required');
      continue;
    }
    if (Object.keys(c.outputs).length === 0) {
      fail(name, '(case)', 'case has no outputs');
      continue;
    }
    try {
      runner[1](name, c);
    } catch (e) {
      fail(name, '(case)', `threw ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`conformance: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  console.log('conformance: 0 passed, 1 failed');
  process.exitCode = 1;
}
