import type { ConformanceOutcome } from '@drojs/dro-core/conformance';
import { isDroError } from '@drojs/dro-core/host';
import {
  cvPath,
  distanceCorrelation,
  fitPath,
  fitPenalized,
  lambdaGrid,
  lambdaMax,
  miKde,
  miToLinfoot,
  normalScores,
  pearsonAbs,
  pearsonToMi,
  penalty,
  type SparseFit,
  screen,
} from '../index.js';
import type { PenaltyName } from '../types.js';
import { EXACT, mismatch, type Tol } from './compare.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** One vectors case. */
export interface VectorCase {
  name: string;
  input: Record<string, Json>;
  expected: Record<string, Json>;
  note?: string;
}
type Obj = Record<string, unknown>;

/** null in an input matrix or vector stands for NaN. */
function nanify(v: Json): unknown {
  if (v === null) return Number.NaN;
  if (Array.isArray(v)) return v.map(nanify);
  return v;
}

/** Splits data from options: X, y and the listed evaluator keys are removed. */
function options(input: Record<string, Json>, drop: string[]): Obj {
  const o: Obj = {};
  for (const [k, v] of Object.entries(input)) if (k !== 'X' && k !== 'y' && !drop.includes(k)) o[k] = v;
  return o;
}

function data(input: Record<string, Json>): [number[][], number[]] {
  return [nanify(input.X as Json) as number[][], nanify(input.y as Json) as number[]];
}

/** Per family: actual values by expected key, and the tolerance of each key. */
interface Family {
  tol: (key: string) => Tol;
  run: (c: VectorCase) => Obj;
  /** Keys checked by a rule other than closeness (kktMax ≤ 10·tol) or not checked (informative). */
  special?: (key: string, actual: unknown, c: VectorCase) => string | null | undefined;
}

const exactKeys = new Set([
  'df',
  'converged',
  'iterations',
  'restarts',
  'saturatedAt',
  'selectedEbic',
  'selectedBic',
  'indexMin',
  'index1se',
  'order',
  'keep',
  'keepLength',
]);

function withExact(base: Tol, more: Record<string, Tol> = {}): (key: string) => Tol {
  return (key) => (exactKeys.has(key) ? EXACT : (more[key] ?? base));
}

function fitValues(fit: SparseFit): Obj {
  return {
    intercept: fit.intercept,
    coef: fit.coef,
    interceptStandardized: fit.interceptStandardized,
    coefStandardized: fit.coefStandardized,
    objective: fit.objective,
    df: fit.df,
    converged: fit.converged,
    lipschitzLoss: fit.lipschitzLoss,
    kktMax: fit.kktMax,
    iterations: fit.iterations,
    restarts: fit.restarts,
    step: fit.step,
    objectiveTrace: fit.trace?.objective,
    alphaTrace: fit.trace?.alpha,
    speedTrace: fit.trace?.speed,
  };
}

function runFit(c: VectorCase, trace: boolean): Obj {
  const [X, y] = data(c.input);
  const o = options(c.input, []);
  return fitValues(fitPenalized(X, y, { ...(o as { lambda: number }), ...(trace ? { trace: true } : {}) }));
}

function kktCheck(key: string, actual: unknown, c: VectorCase): string | null | undefined {
  if (key !== 'kktMax') return undefined;
  const tol = (c.input.tol as number | undefined) ?? 1e-7;
  return typeof actual === 'number' && actual <= 10 * tol ? null : `kktMax: ${actual} exceeds 10·tol = ${10 * tol}`;
}

function penaltyOf(input: Record<string, Json>) {
  const o: { lambda: number; a?: number; gamma?: number } = { lambda: input.lambda as number };
  if (input.a !== undefined) o.a = input.a as number;
  if (input.gamma !== undefined) o.gamma = input.gamma as number;
  return penalty(input.penalty as PenaltyName, o);
}

function errorCall(c: VectorCase): void {
  const call = (c.input.call as string | undefined) ?? c.name.split('-')[0];
  const input = c.input;
  if (call === 'penalty') {
    penaltyOf(input);
    return;
  }
  if (call === 'prox') {
    const p = penaltyOf(input);
    for (const v of input.v as number[]) p.prox(v, input.step as number);
    return;
  }
  const [X, y] = data(input);
  const o = options(input, ['call']);
  if (call === 'fit') fitPenalized(X, y, o as { lambda: number });
  else if (call === 'path') fitPath(X, y, o);
  else if (call === 'cv') cvPath(X, y, o);
  else if (call === 'screen') screen(X, y, o);
  else throw new Error(`unknown call '${call}'`);
}

const screenFamily: Family = {
  tol: withExact({ rtol: 1e-8, atol: 1e-12 }),
  run: (c) => {
    const [X, y] = data(c.input);
    const r = screen(X, y, options(c.input, []));
    return { scores: r.scores, order: r.order, keep: r.keep, keepLength: r.keep.length };
  },
};

const fitFamily: Family = {
  tol: withExact({ rtol: 1e-6, atol: 1e-6 }, { objective: { rtol: 1e-9, atol: 0 } }),
  run: (c) => runFit(c, false),
  special: kktCheck,
};

export const FAMILIES: Record<string, Family> = {
  penalty: {
    tol: () => ({ rtol: 1e-12, atol: 1e-300 }),
    run: (c) => {
      const p = penaltyOf(c.input);
      const t = c.input.t as number[];
      return {
        value: t.map((x) => p.value(x)),
        derivative: t.map((x) => p.derivative(x)),
        concaveValue: t.map((x) => p.concaveValue(x)),
        concaveGrad: t.map((x) => p.concaveGrad(x)),
        concaveLipschitz: p.concaveLipschitz,
      };
    },
  },
  prox: {
    tol: () => ({ rtol: 1e-12, atol: 1e-15 }),
    run: (c) => {
      const p = penaltyOf(c.input);
      return { prox: (c.input.v as number[]).map((v) => p.prox(v, c.input.step as number)) };
    },
  },
  lambda_max: {
    tol: withExact({ rtol: 1e-10, atol: 1e-14 }, { lipschitzLoss: { rtol: 1e-9, atol: 0 } }),
    run: (c) => {
      const [X, y] = data(c.input);
      const model = options(c.input, ['nLambda']);
      const lm = lambdaMax(X, y, model);
      const fit = fitPenalized(X, y, { ...model, lambda: lm, maxIter: 1 });
      const n = X.length;
      const p = X[0]?.length ?? 0;
      const nl = c.input.nLambda as number | undefined;
      return {
        lambdaMax: lm,
        lipschitzLoss: fit.lipschitzLoss,
        xCenter: fit.center,
        xScale: fit.scale,
        lambdas: lambdaGrid(lm, { n, p, ...(nl === undefined ? {} : { nLambda: nl }) }),
      };
    },
  },
  fit: fitFamily,
  nonconvex_local: { ...fitFamily, special: (k, a, c) => (k === 'iterations' ? null : kktCheck(k, a, c)) },
  ag_trace: {
    tol: withExact({ rtol: 1e-9, atol: 1e-12 }),
    run: (c) => runFit(c, true),
  },
  path: {
    tol: withExact(
      { rtol: 1e-6, atol: 1e-6 },
      { lambdas: { rtol: 1e-10, atol: 0 }, lambdaMax: { rtol: 1e-10, atol: 0 } },
    ),
    run: (c) => {
      const [X, y] = data(c.input);
      const ebicGamma = (c.input.ebicGamma as number | undefined) ?? 1;
      const path = fitPath(X, y, options(c.input, ['ebicGamma']));
      const crit = path.criteria({ ebicGamma });
      return {
        lambdaMax: path.lambdaMax,
        lambdas: path.lambdas,
        saturatedAt: path.saturatedAt,
        intercepts: path.intercepts,
        coefs: path.coefs,
        df: path.df,
        deviance: path.deviance,
        ebic: crit.ebic,
        bic: crit.bic,
        aic: crit.aic,
        selectedEbic: path.select({ criterion: 'ebic', ebicGamma }).index,
        selectedBic: path.select({ criterion: 'bic' }).index,
      };
    },
  },
  cv: {
    tol: withExact({ rtol: 1e-6, atol: 1e-8 }),
    run: (c) => {
      const [X, y] = data(c.input);
      const r = cvPath(X, y, options(c.input, []));
      return { lambdas: r.lambdas, cvm: r.cvm, cvse: r.cvse, indexMin: r.indexMin, index1se: r.index1se };
    },
  },
  screen: screenFamily,
  screen_binary: screenFamily,
  scalar_stats: {
    tol: () => ({ rtol: 1e-9, atol: 1e-12 }),
    run: (c) => {
      if (c.input.r !== undefined) {
        const mi = (c.input.r as number[]).map((r) => pearsonToMi(r));
        return { pearsonToMi: mi, miToLinfoot: mi.filter((v) => Number.isFinite(v)).map((v) => miToLinfoot(v)) };
      }
      const x = c.input.x as number[];
      const y = c.input.y as number[];
      const r = pearsonAbs(x, y);
      const mi = miKde(x, y);
      return {
        normalScoresX: normalScores(x),
        pearsonAbs: r,
        dcor: distanceCorrelation(x, y),
        miKde: mi,
        pearsonToMi: pearsonToMi(Math.min(Math.abs(r), 1 - 1e-12)),
        miToLinfoot: miToLinfoot(mi),
      };
    },
  },
  errors: {
    tol: () => EXACT,
    run: (c) => {
      try {
        errorCall(c);
        return { error: 'no error' };
      } catch (e) {
        if (isDroError(e)) return { error: e.code };
        throw e;
      }
    },
  },
};

/** Evaluates every case of a parsed vectors file: one outcome per expected key. */
export function evaluateVectors(file: Record<string, unknown>, verbose = false): ConformanceOutcome[] {
  const outcomes: ConformanceOutcome[] = [];
  for (const [familyName, cases] of Object.entries(file)) {
    if (familyName === '_meta') continue;
    const fam = FAMILIES[familyName];
    if (!Array.isArray(cases)) {
      outcomes.push({ id: familyName, failure: 'not a list of cases' });
      continue;
    }
    for (const c of cases as VectorCase[]) {
      const id = `${familyName}/${c.name}`;
      if (fam === undefined) {
        outcomes.push({ id, failure: `no evaluator for the family '${familyName}'` });
        continue;
      }
      let actual: Obj;
      try {
        actual = fam.run(c);
      } catch (e) {
        outcomes.push({ id, failure: `evaluator threw: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
      for (const [key, exp] of Object.entries(c.expected)) {
        const a = actual[key];
        const special = fam.special?.(key, a, c);
        const failure =
          special !== undefined
            ? special
            : key in actual
              ? mismatch(a, exp, fam.tol(key), key)
              : `${key}: not produced`;
        outcomes.push({ id: `${id}:${key}`, failure });
        if (verbose) console.log(`${failure === null ? 'ok  ' : 'FAIL'} ${id}:${key}`);
      }
    }
  }
  return outcomes;
}
