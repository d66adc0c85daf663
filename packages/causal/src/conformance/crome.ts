import type { ConformanceOutcome, Tolerance } from '@drojs/dro-core/conformance';
import {
  bestOfN,
  cromeObjective,
  filterAugmentations,
  linearCromeObjective,
  linearReward,
  type PairKind,
  type PreferencePair,
  pairAccuracy,
  pairLoss,
  pairLossGrad,
  trainLinearReward,
} from '../index.js';
import { type Json, memo, Outcomes } from './outcomes.js';

// Tolerances of spec crome.md §9.1, fixed here rather than read from the file's _meta, so a tampered file
// cannot loosen them.
const TOL: Record<string, Tolerance> = {
  pair_loss: { rel: 1e-12, abs: 1e-300 },
  objective: { rel: 1e-12, abs: 1e-15 },
  linear_objective: { rel: 1e-11, abs: 1e-13 },
  filter: { rel: 0, abs: 0 },
  accuracy: { rel: 0, abs: 0 },
  best_of_n: { rel: 1e-12, abs: 1e-14 },
  train_linear: { rel: 1e-10, abs: 1e-12 },
};
const EXACT: Tolerance = { rel: 0, abs: 0 };

type In = Record<string, Json>;
interface CromeCase {
  name: string;
  call?: string;
  input: In;
  expected: Record<string, Json>;
}

/** JSON numbers with `null` read as NaN (the vectors format), for numeric inputs. */
const nums = (v: Json | undefined): number[] =>
  ((v ?? []) as (number | null)[]).map((x) => (x === null ? Number.NaN : x));
const rows = (v: Json | undefined): number[][] => ((v ?? []) as Json[]).map(nums);
const kinds = (v: Json | undefined): PairKind[] => v as unknown as PairKind[];
const opt = (i: In, k: string): number | undefined =>
  i[k] === undefined || i[k] === null ? undefined : (i[k] as number);
/** Crome options of a case: λs, and weights/targets when present (a null target = the kind's default). */
function mix(i: In): { lambdaTie?: number; lambdaCausal?: number; weights?: number[]; targets?: (number | null)[] } {
  return {
    ...(opt(i, 'lambdaTie') === undefined ? {} : { lambdaTie: opt(i, 'lambdaTie') }),
    ...(opt(i, 'lambdaCausal') === undefined ? {} : { lambdaCausal: opt(i, 'lambdaCausal') }),
    ...(i.weights === undefined ? {} : { weights: nums(i.weights) }),
    ...(i.targets === undefined ? {} : { targets: i.targets as (number | null)[] }),
  };
}
const pairsOf = (i: In): PreferencePair<number[]>[] => {
  const A = rows(i.chosen);
  const B = rows(i.rejected);
  const K = kinds(i.kinds);
  return A.map((chosen, r) => ({ chosen, rejected: B[r] ?? [], kind: K[r] as PairKind }));
};

function pairLossCase(c: CromeCase, out: Outcomes, tol: Tolerance): void {
  const d = nums(c.input.delta);
  const t = c.input.target as number;
  const fields: Record<string, () => number[]> = {
    loss: () => d.map((x) => pairLoss(x, t)),
    grad: () => d.map((x) => pairLossGrad(x, t)),
    bt: () => d.map((x) => pairLoss(x, 1)),
    tie: () => d.map((x) => pairLoss(x, 0.5)),
    btGrad: () => d.map((x) => pairLossGrad(x, 1)),
    tieGrad: () => d.map((x) => pairLossGrad(x, 0.5)),
  };
  for (const [k, e] of Object.entries(c.expected)) {
    const f = fields[k];
    if (f) out.check(c.name, k, e, f, tol);
    else out.fail(c.name, k, 'no evaluator for this output key');
  }
}

function fieldsCase(c: CromeCase, out: Outcomes, tol: Tolerance, run: () => unknown, exact: string[] = []): void {
  const r = memo(run);
  for (const [k, e] of Object.entries(c.expected))
    out.check(
      c.name,
      k,
      e,
      () => {
        const v = (r() as Record<string, unknown>)[k];
        if (v === undefined) throw new Error('no evaluator for this output key');
        return ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v;
      },
      exact.includes(k) ? EXACT : tol,
    );
}

function bestOfNCase(c: CromeCase, out: Outcomes, tol: Tolerance): void {
  const i = c.input;
  const ns = i.ns as number[];
  const linear = i.theta !== undefined;
  const data = memo(() => {
    if (!linear) return { scores: rows(i.scores), quality: rows(i.quality) };
    const model = linearReward(nums(i.theta));
    const w = nums(i.wTrue);
    const cand = (i.candidates as Json[]).map(rows);
    return {
      scores: cand.map((trial) => Array.from(model.score(trial))),
      quality: cand.map((trial) => trial.map((phi) => w.reduce((s, wk, k) => s + wk * (phi[k] as number), 0))),
    };
  });
  const res = memo(() => bestOfN(data().scores, data().quality, ns));
  for (const [k, e] of Object.entries(c.expected)) {
    if (k === 'scores' || k === 'quality') {
      out.check(c.name, k, e, () => data()[k], tol);
      continue;
    }
    const m = out.map(e, c.name, k);
    if (!m) continue;
    for (const [f, ev] of Object.entries(m)) {
      if (f === 'chosen') out.check(c.name, `${k}.chosen`, ev, () => Array.from(res()[Number(k)]?.chosen ?? []), EXACT);
      else if (f === 'meanQuality') out.check(c.name, `${k}.meanQuality`, ev, () => res()[Number(k)]?.meanQuality, tol);
      else out.fail(c.name, `${k}.${f}`, 'no evaluator for this output key');
    }
  }
}

function trainLinearCase(c: CromeCase, out: Outcomes, tol: Tolerance): void {
  const i = c.input;
  const exp = c.expected.checkpoints;
  const cps = exp && typeof exp === 'object' && !Array.isArray(exp) ? Object.keys(exp).map(Number) : [];
  const r = memo(() =>
    trainLinearReward(pairsOf(i), {
      steps: i.steps as number,
      learningRate: i.learningRate as number,
      ...(opt(i, 'l2') === undefined ? {} : { l2: opt(i, 'l2') }),
      ...(opt(i, 'lambdaTie') === undefined ? {} : { lambdaTie: opt(i, 'lambdaTie') }),
      ...(opt(i, 'lambdaCausal') === undefined ? {} : { lambdaCausal: opt(i, 'lambdaCausal') }),
      ...(i.theta0 === undefined || i.theta0 === null ? {} : { theta0: nums(i.theta0) }),
      checkpoints: cps,
    }),
  );
  for (const [k, e] of Object.entries(c.expected)) {
    if (k === 'theta') out.check(c.name, k, e, () => Array.from(r().model.theta), tol);
    else if (k === 'lossRegularized') out.check(c.name, k, e, () => r().lossRegularized, tol);
    else if (k === 'checkpoints') {
      const m = out.map(e, c.name, k);
      if (!m) continue;
      for (const [step, ev] of Object.entries(m))
        out.check(
          c.name,
          `checkpoints[${step}]`,
          ev,
          () => {
            const cp = r().checkpoints[Number(step)];
            return cp ? { theta: Array.from(cp.theta), lossRegularized: cp.lossRegularized } : null;
          },
          tol,
        );
    } else out.fail(c.name, k, 'no evaluator for this output key');
  }
}

function errorCase(c: CromeCase, out: Outcomes): void {
  const i = c.input;
  const calls: Record<string, () => unknown> = {
    objective: () => cromeObjective(nums(i.delta), kinds(i.kinds), mix(i)),
    best_of_n: () => bestOfN(rows(i.scores), rows(i.quality), i.ns as number[]),
    filter: () =>
      filterAugmentations(nums(i.baseDelta), kinds(i.kinds), {
        ...(opt(i, 'maxCausalProb') === undefined ? {} : { maxCausalProb: opt(i, 'maxCausalProb') }),
        ...(opt(i, 'minNeutralGap') === undefined ? {} : { minNeutralGap: opt(i, 'minNeutralGap') }),
      }),
    accuracy: () => pairAccuracy(nums(i.delta)),
  };
  const call = calls[c.call ?? (i.call as string)];
  for (const [k, e] of Object.entries(c.expected)) {
    if (k !== 'error' || !call) {
      out.fail(c.name, k, call ? 'no evaluator for this output key' : `unknown call ${String(c.call)}`);
      continue;
    }
    out.check(
      c.name,
      k,
      e,
      () => {
        try {
          call();
        } catch (err) {
          return (err as { name?: string; code?: string }).name === 'DroError'
            ? (err as { code: string }).code
            : `non-DroError ${String(err)}`;
        }
        return 'no error';
      },
      EXACT,
    );
  }
}

const EVALUATORS: Record<string, (c: CromeCase, out: Outcomes, tol: Tolerance) => void> = {
  pair_loss: pairLossCase,
  objective: (c, out, tol) =>
    fieldsCase(c, out, tol, () => cromeObjective(nums(c.input.delta), kinds(c.input.kinds), mix(c.input)), [
      'nPreference',
      'nNeutral',
    ]),
  linear_objective: (c, out, tol) =>
    fieldsCase(c, out, tol, () =>
      linearCromeObjective(nums(c.input.theta), rows(c.input.chosen), rows(c.input.rejected), kinds(c.input.kinds), {
        ...mix(c.input),
        ...(opt(c.input, 'l2') === undefined ? {} : { l2: opt(c.input, 'l2') }),
      }),
    ),
  filter: (c, out, tol) =>
    fieldsCase(c, out, tol, () => {
      const keep = filterAugmentations(nums(c.input.baseDelta), kinds(c.input.kinds), {
        ...(opt(c.input, 'maxCausalProb') === undefined ? {} : { maxCausalProb: opt(c.input, 'maxCausalProb') }),
        ...(opt(c.input, 'minNeutralGap') === undefined ? {} : { minNeutralGap: opt(c.input, 'minNeutralGap') }),
      });
      return { keep, kept: keep.filter(Boolean).length };
    }),
  accuracy: (c, out, tol) => fieldsCase(c, out, tol, () => ({ accuracy: pairAccuracy(nums(c.input.delta)) })),
  best_of_n: bestOfNCase,
  train_linear: trainLinearCase,
  errors: (c, out) => errorCase(c, out),
};

/** True when `data` is a file of the Crome vectors format (`_meta` plus family lists, spec crome.md §9.1). */
export function isCromeVectors(data: unknown): boolean {
  return data !== null && typeof data === 'object' && '_meta' in data && !('cases' in data);
}

/**
 * Evaluates every case of a Crome vectors file through the public API: one outcome per expected key (per N in
 * `best_of_n`, per checkpoint in `train_linear`); an unknown family or a malformed case is a failure.
 */
export function evaluateCromeVectors(data: Record<string, unknown>): ConformanceOutcome[] {
  const out = new Outcomes();
  for (const [family, list] of Object.entries(data)) {
    if (family === '_meta') continue;
    const ev = EVALUATORS[family];
    const tol = TOL[family] ?? EXACT;
    if (!ev || !Array.isArray(list)) {
      out.fail(family, '(family)', ev ? 'a family must be a list of cases' : 'unknown family');
      continue;
    }
    list.forEach((c: CromeCase, k: number) => {
      const name = `${family}/${typeof c?.name === 'string' ? c.name : k}`;
      if (
        c === null ||
        typeof c !== 'object' ||
        typeof c.input !== 'object' ||
        c.input === null ||
        typeof c.expected !== 'object' ||
        c.expected === null ||
        Object.keys(c.expected).length === 0
      ) {
        out.fail(name, '(case)', 'malformed case: input and a non-empty expected required');
        return;
      }
      try {
        ev({ ...c, name }, out, tol);
      } catch (e) {
        out.fail(name, '(case)', `threw ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }
  return out.list;
}
