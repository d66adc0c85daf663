// Evaluation of smoothing vectors cases through the public API, shared by the conformance runner and
// the vectors test. Compares every expected field with dro-core's findMismatch: numbers within the case's
// absolute tol, integer fields exactly, strings exactly, arrays elementwise with equal length.
import { normalQuantile } from '@drojs/dro-core';
import { findMismatch } from '@drojs/dro-core/conformance';
import * as api from '../index.js';
import { authorsMasks, legacyDrsRadius } from '../legacy/index.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** One case of a smoothing vectors file. */
export interface Case {
  name?: string;
  fn: string;
  input: Record<string, Json>;
  output: Record<string, Json>;
  tol: number;
}

const INTEGER_FIELDS = new Set(['prediction', 'cAHat', 'topClass', 'nA', 'nB', 'n', 'left', 'right']);
const INTEGER_VALUE_FNS = new Set(['minCountToCertify', 'minUnanimousVotesToPredict']);
const INTEGER_KEY_TOL = Object.fromEntries([...INTEGER_FIELDS].map((k) => [k, { abs: 0 }]));

/** Positional call: keys of `input` in the documented parameter order; absent optional keys → default. */
function args(input: Record<string, Json>, order: string[]): unknown[] {
  for (const k of Object.keys(input)) {
    if (!order.includes(k)) throw new Error(`unknown input key ${JSON.stringify(k)} (expected ${order.join(', ')})`);
  }
  let last = order.length;
  while (last > 0 && input[order[last - 1] as string] === undefined) last--;
  return order.slice(0, last).map((k) => input[k]);
}

type Runner = (input: Record<string, Json>) => Record<string, unknown>;
const value = (v: unknown) => ({ value: v });
const call =
  <A extends unknown[]>(f: (...a: A) => unknown, order: string[]): Runner =>
  (input) =>
    value(f(...(args(input, order) as A)));

const RUNNERS: Record<string, Runner> = {
  normPpf: call(normalQuantile, ['p']),
  clopperPearsonLower: call(api.clopperPearsonLower, ['k', 'n', 'alpha']),
  clopperPearsonUpper: call(api.clopperPearsonUpper, ['k', 'n', 'alpha']),
  clopperPearsonTwoSided: (i) =>
    api.clopperPearsonTwoSided(...(args(i, ['k', 'n', 'alpha']) as [number, number, number])),
  binomPValueHalf: call(api.binomPValueHalf, ['k', 'n']),
  radiusFromPA: call(api.radiusFromPA, ['pALower', 'sigma']),
  maxCertifiableRadius: call(api.maxCertifiableRadius, ['n', 'alpha', 'sigma']),
  minCountToCertify: call(api.minCountToCertify, ['n', 'alpha']),
  minUnanimousVotesToPredict: call(api.minUnanimousVotesToPredict, ['alpha']),
  predictFromCounts: (i) => api.predictFromCounts(...(args(i, ['counts', 'alpha']) as [number[], number])),
  certifyFromCounts: (i) =>
    api.certifyFromCounts(
      ...(args(i, ['counts0', 'counts', 'alpha', 'sigma', 'rule']) as [
        number[],
        number[],
        number,
        number,
        api.CertifyRule,
      ]),
    ),
  certifyRuleOnBound: (i) => {
    const [p, s] = args(i, ['pALower', 'sigma']) as [number, number];
    const one = (rule: api.CertifyRule) => {
      const r = api.certifyRuleOnBound(p, s, rule);
      return { prediction: r.abstain ? 'ABSTAIN' : 'cAHat', radius: r.radius };
    };
    return { paper: one('paper'), code: one('code') };
  },
  certifyMulticlassBonferroni: (i) =>
    api.certifyMulticlassBonferroni(
      ...(args(i, ['counts0', 'counts', 'alpha', 'sigma']) as [number[], number[], number, number]),
    ),
  certifiedAccuracy: (i) => {
    const [records, radii] = args(i, ['records', 'radii']) as [api.CertRecord[], number[]];
    return { values: api.certifiedAccuracy(records, radii), acr: api.averageCertifiedRadius(records) };
  },
  highProbCertifiedAccuracy: call(api.highProbCertifiedAccuracy, ['acc', 'm', 'alpha', 'rho']),
  l1RadiusLaplace: call(api.l1RadiusLaplace, ['pALower', 'lambda']),
  l1RadiusUniform: call(api.l1RadiusUniform, ['pALower', 'lambda']),
  linfRadiusFromL2: call(api.linfRadiusFromL2, ['r2', 'd']),
  drsRadius: (i) => {
    const [pL, pR, sL, sR] = args(i, ['pLLower', 'pRLower', 'sigmaL', 'sigmaR']) as [
      number,
      number,
      number,
      number | undefined,
    ];
    const out: Record<string, unknown> = { value: api.drsRadius(pL, pR, sL, sR) };
    // The legacy rules take one sigma; they are compared only where the case lists them (sigmaL = sigmaR).
    out.codeCifarSqrt = legacyDrsRadius(pL, pR, sL, 'cifarSqrt');
    out.codeImagenetSum = legacyDrsRadius(pL, pR, sL, 'imagenetSum');
    return out;
  },
  dualCertifyFromCounts: (i) =>
    api.dualCertifyFromCounts(
      ...(args(i, ['counts0L', 'counts0R', 'countsL', 'countsR', 'alpha', 'sigmaL', 'sigmaR', 'splitAlpha']) as [
        number[],
        number[],
        number[],
        number[],
        number,
        number,
        number | undefined,
        boolean | undefined,
      ]),
    ),
  checkerboardMasks: (i) => api.checkerboardMasks(...(args(i, ['h', 'w']) as [number, number])),
  authorsMasks: (i) => authorsMasks(...(args(i, ['h', 'w']) as [number, number])),
};

/** Runs one vectors case through the public API; returns null when it passes, else what failed. */
export function runCase(c: Case): string | null {
  if (!c || typeof c !== 'object') return 'case is not an object';
  if (typeof c.fn !== 'string') return 'case has no fn';
  const runner = RUNNERS[c.fn];
  if (!runner) return `unknown fn ${JSON.stringify(c.fn)}`;
  if (!c.input || typeof c.input !== 'object' || Array.isArray(c.input)) return 'case has no input object';
  if (!c.output || typeof c.output !== 'object' || Array.isArray(c.output) || Object.keys(c.output).length === 0)
    return 'case has no output object';
  if (typeof c.tol !== 'number' || !(c.tol >= 0)) return 'case has no valid tol';
  let actual: Record<string, unknown>;
  try {
    actual = runner(c.input);
  } catch (e) {
    return `threw ${e instanceof Error ? e.message : String(e)}`;
  }
  // Integer fields (and the integer-valued functions) must match exactly; null only matches null.
  const exact = { abs: 0 };
  return findMismatch(actual, c.output, INTEGER_VALUE_FNS.has(c.fn) ? exact : { abs: c.tol }, 'output', {
    keyTol: INTEGER_KEY_TOL,
    nullPolicy: 'strict',
  });
}
