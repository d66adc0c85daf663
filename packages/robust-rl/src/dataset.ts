import { DroError, describeValue } from '@drojs/dro-core/host';
import { checkArray, checkSimplex } from './mdp.js';

/** One offline transition at some step h (robust-rl spec §3.1). */
export interface Transition {
  /** φ(s, a), length d, on the simplex. */
  phi: ArrayLike<number>;
  /** Reward in [0, 1]. */
  reward: number;
  /** `[A][d]`: φ(s', a') for every action a' of the next state; omitted at h = H − 1. */
  nextPhi?: ArrayLike<number>[];
  /** The next state's value is 0 by definition (an absorbing fail state). */
  nextTerminal?: boolean;
}

/** An offline dataset of a d-rectangular linear MDP: `steps[h]` lists the transitions at step h. */
export interface LinearMdpDataset {
  H: number;
  d: number;
  nActions: number;
  steps: Transition[][];
}

/**
 * One-hot dataset of a tabular MDP: `steps[h]` lists `[s, a, r, s2]` with `s2 = null` at the last step
 * (`d = S·A`, `φ(s, a) = e_{s·A+a}`).
 */
export function tabularDataset(
  S: number,
  A: number,
  H: number,
  steps: [s: number, a: number, r: number, s2: number | null][][],
): LinearMdpDataset {
  for (const [v, name] of [
    [S, 'S'],
    [A, 'A'],
    [H, 'H'],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new DroError('E_EMPTY', `${name} must be ≥ 1`, { argument: name, received: describeValue(v) });
  }
  checkArray(steps, H, 'steps');
  const d = S * A;
  const oneHot = (k: number) => {
    const f = new Float64Array(d);
    f[k] = 1;
    return f;
  };
  const nextRows = new Map<number, Float64Array[]>();
  const rowsOf = (s2: number) => {
    let r = nextRows.get(s2);
    if (!r) {
      r = Array.from({ length: A }, (_, a) => oneHot(s2 * A + a));
      nextRows.set(s2, r);
    }
    return r;
  };
  const out: Transition[][] = steps.map((list, h) =>
    list.map(([s, a, r, s2], t) => {
      const where = `steps[${h}][${t}]`;
      if (!Number.isInteger(s) || s < 0 || s >= S)
        throw new DroError('E_INDEX_RANGE', `${where} has a bad state`, {
          argument: 'steps',
          received: describeValue(s),
        });
      if (!Number.isInteger(a) || a < 0 || a >= A)
        throw new DroError('E_INDEX_RANGE', `${where} has a bad action`, {
          argument: 'steps',
          received: describeValue(a),
        });
      const tr: Transition = { phi: oneHot(s * A + a), reward: r };
      if (s2 !== null && s2 !== undefined && h < H - 1) {
        if (!Number.isInteger(s2) || s2 < 0 || s2 >= S)
          throw new DroError('E_INDEX_RANGE', `${where} has a bad next state`, {
            argument: 'steps',
            received: describeValue(s2),
          });
        tr.nextPhi = rowsOf(s2);
      }
      return tr;
    }),
  );
  return { H, d, nActions: A, steps: out };
}

/**
 * Validates a dataset (robust-rl spec §5): H steps (E_SHAPE), each non-empty (E_EMPTY), features of length d
 * on the simplex (E_SHAPE; off the simplex: E_SPEC), finite rewards (in [0, 1] when `checkRewardRange`, else E_SPEC),
 * next features `[A][d]` before the last step unless the next state is terminal.
 */
export function checkDataset(data: LinearMdpDataset, checkRewardRange = true): void {
  if (!data || typeof data !== 'object')
    throw new DroError('E_SHAPE', 'data must be a LinearMdpDataset', { argument: 'data' });
  const { H, d, nActions: A } = data;
  if (!Number.isInteger(H) || H < 1) throw new DroError('E_EMPTY', 'data.H must be ≥ 1', { argument: 'data.H' });
  if (!Number.isInteger(d) || d < 1) throw new DroError('E_SHAPE', 'data.d must be ≥ 1', { argument: 'data.d' });
  if (!Number.isInteger(A) || A < 1)
    throw new DroError('E_EMPTY', 'data.nActions must be ≥ 1', { argument: 'data.nActions' });
  checkArray(data.steps, H, 'data.steps');
  for (let h = 0; h < H; h++) {
    const list = data.steps[h]!;
    if (!Array.isArray(list) || list.length === 0) {
      throw new DroError('E_EMPTY', `data.steps[${h}] has no transitions`, { argument: `data.steps[${h}]` });
    }
    list.forEach((tr, t) => {
      const where = `data.steps[${h}][${t}]`;
      checkArray(tr?.phi, d, `${where}.phi`);
      checkSimplex(tr.phi, `${where}.phi`);
      if (typeof tr.reward !== 'number' || !Number.isFinite(tr.reward)) {
        throw new DroError('E_NONFINITE', `${where}.reward is not finite`, {
          argument: `${where}.reward`,
          received: describeValue(tr.reward),
        });
      }
      if (checkRewardRange && (tr.reward < 0 || tr.reward > 1)) {
        throw new DroError('E_SPEC', `${where}.reward is outside [0, 1]`, {
          argument: `${where}.reward`,
          expected: 'a reward in [0, 1] (rescale, or pass checkRewardRange: false)',
          received: describeValue(tr.reward),
        });
      }
      if (h < H - 1 && !tr.nextTerminal) {
        checkArray(tr.nextPhi, A, `${where}.nextPhi`);
        tr.nextPhi!.forEach((f, a) => {
          checkArray(f, d, `${where}.nextPhi[${a}]`);
          checkSimplex(f, `${where}.nextPhi[${a}]`);
        });
      }
    });
  }
}
