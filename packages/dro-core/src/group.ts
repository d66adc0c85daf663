import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, checkNumber, DroError, describeValue } from './errors.js';
import { checkState, checkStateSimplex, checkStateValues, invalidState, stateKind } from './state.js';
import { toLabels } from './validate/hostInputs.js';
import { checkOptions, opt } from './validate/options.js';
import { toTensor } from './validate/toTensor.js';

const KIND = stateKind('dro-core', 'GroupDroWeights');

/** Validates host group ids (whole numbers in [0, numGroups)) and returns them as an Int32Array. */
export function checkGroupIds(groupIds: unknown, numGroups: number, argument = 'groupIds'): Int32Array {
  return toLabels(groupIds, argument, 'checkGroupIds', { numClasses: numGroups, allowEmpty: true });
}

/**
 * Per-group means `(Mᵀ·values) / max(count, 1)` with the one-hot matrix M built from host ids: differentiable
 * in `values`, no UnsortedSegmentSum kernel needed; absent groups get mean 0 and count 0.
 */
export function groupMeans(
  values: tf.Tensor1D | tf.TensorLike,
  groupIds: tf.Tensor1D | ArrayLike<number>,
  numGroups: number,
): { means: tf.Tensor1D; counts: Float64Array } {
  checkNumber(numGroups, 'numGroups', { min: 1, integer: true });
  const nGroups = numGroups;
  const v = toTensor(values, 'values', 'groupMeans', { rank: 1 });
  const n = v.shape[0] as number;
  let ids: Int32Array;
  try {
    ids = toLabels(groupIds, 'groupIds', 'groupMeans', { numClasses: nGroups, length: n, allowEmpty: true });
  } catch (e) {
    if (v !== values) v.dispose();
    throw e;
  }
  const counts = new Float64Array(nGroups);
  const oneHot = new Float32Array(n * nGroups);
  for (let i = 0; i < n; i++) {
    counts[ids[i]!]! += 1;
    oneHot[i * nGroups + ids[i]!] = 1;
  }
  const inv = Float32Array.from(counts, (c) => 1 / Math.max(c, 1));
  const means = tf.tidy(() => {
    const m = tf.tensor2d(oneHot, [n, nGroups]);
    const sums = tf.matMul(tf.reshape(v, [1, n]), m);
    return tf.reshape(tf.mul(sums, tf.tensor1d(inv)), [nGroups]) as tf.Tensor1D;
  });
  if (v !== values) v.dispose();
  return { means, counts };
}

export type GroupDroOrder = 'update-then-loss' | 'loss-then-update';

export interface GroupDroOptions {
  /** Number of groups G ≥ 1. */
  numGroups?: number;
  /** @deprecated Use `numGroups`. */
  nGroups?: number;
  /** Exponentiated-gradient step size (reference default 0.01). */
  etaQ?: number;
  /** Generalisation adjustment constants C_g (a number for all groups); needs `groupSizes`. */
  adjustments?: number | number[];
  /** Training-set size n_g of each group, for `C_g/√n_g`. */
  groupSizes?: number[];
  /** Divide the adjusted losses by their sum before the update. */
  normalizeLoss?: boolean;
  /** Whether the loss uses q after (default, kohpangwei/group_DRO) or before this step's update. */
  order?: GroupDroOrder;
}

const GROUP_DRO_OPTIONS = {
  numGroups: opt.integer({ min: 1 }),
  nGroups: opt.integer({ min: 1 }),
  etaQ: opt.number({ min: 0 }),
  adjustments: opt.custom('a number or one number ≥ 0 per group', (v, a) => {
    if (typeof v !== 'number' && !Array.isArray(v)) {
      throw new DroError('E_SPEC', `${a} must be a number or an array`, { argument: a, received: describeValue(v) });
    }
  }),
  groupSizes: opt.array(),
  normalizeLoss: opt.boolean(),
  order: opt.oneOf(['update-then-loss', 'loss-then-update']),
};

/** Result of one Group DRO update: the robust loss `Σ q_g L_g` (q constant) and the q it used. */
export interface GroupDroUpdate<L> {
  loss: L;
  q: Float64Array;
}

export interface GroupDroState {
  kind: string;
  version: 1;
  options: { nGroups: number; etaQ: number; normalizeLoss: boolean; order: GroupDroOrder } & {
    adjustments: number[];
    groupSizes: number[] | null;
  };
  logQ: number[];
  steps: number;
}

/**
 * Group DRO (Sagawa et al. 2020) by online exponentiated gradient on the group simplex, kept as log q.
 * Per step: `adj_g = L_g + C_g/√n_g` (optionally normalised), `log q ← log q + η_q·adj` renormalised, and the
 * loss `Σ_g q_g·L_g` with q constant and the unadjusted L_g — a q-weighted sum of per-group means.
 */
export class GroupDroWeights {
  private readonly opts: GroupDroState['options'];
  private logQ: Float64Array;
  private steps = 0;

  /**
   * @param opts `numGroups` is required; `etaQ` defaults to 0.01, `order` to `'update-then-loss'`. Unknown
   * options are rejected (`E_SPEC` naming the key).
   */
  constructor(opts: GroupDroOptions) {
    checkOptions(opts, GROUP_DRO_OPTIONS, 'GroupDroWeights');
    if (opts.numGroups !== undefined && opts.nGroups !== undefined && opts.numGroups !== opts.nGroups) {
      throw new DroError('E_SPEC', 'GroupDroWeights: numGroups and its alias nGroups disagree', {
        argument: 'numGroups',
      });
    }
    const nGroups = checkNumber(opts.numGroups ?? opts.nGroups, 'numGroups', { min: 1, integer: true });
    const etaQ = opts.etaQ ?? 0.01;
    const order = opts.order ?? 'update-then-loss';
    let adjustments = new Array<number>(nGroups).fill(0);
    let groupSizes: number[] | null = null;
    if (opts.adjustments !== undefined) {
      adjustments = typeof opts.adjustments === 'number' ? adjustments.fill(opts.adjustments) : [...opts.adjustments];
      if (adjustments.length !== nGroups) {
        throw new DroError('E_SPEC', 'one adjustment per group', {
          argument: 'adjustments',
          expected: `${nGroups}`,
          received: `${adjustments.length}`,
        });
      }
      for (const [g, c] of adjustments.entries()) checkNumber(c, `adjustments[${g}]`, { min: 0 });
      if (adjustments.some((c) => c > 0) && !opts.groupSizes) {
        throw new DroError('E_SPEC', 'adjustments require groupSizes', {
          argument: 'groupSizes',
          expected: 'n_g per group',
        });
      }
    }
    if (opts.groupSizes !== undefined) {
      groupSizes = [...opts.groupSizes];
      if (groupSizes.length !== nGroups) {
        throw new DroError('E_SPEC', 'one size per group', {
          argument: 'groupSizes',
          expected: `${nGroups}`,
          received: `${groupSizes.length}`,
        });
      }
      for (const [g, s] of groupSizes.entries()) checkNumber(s, `groupSizes[${g}]`, { min: 0, minExclusive: true });
    }
    this.opts = { nGroups, etaQ, normalizeLoss: opts.normalizeLoss ?? false, order, adjustments, groupSizes };
    this.logQ = new Float64Array(nGroups).fill(-Math.log(nGroups));
  }

  /** Current q (the weights the next update starts from). */
  weights(): Float64Array {
    return this.logQ.map(Math.exp);
  }

  /** Number of groups. */
  get numGroups(): number {
    return this.opts.nGroups;
  }

  /**
   * Advances q by one batch on the host: returns the robust loss value and the q it used.
   * @throws DroError `E_SHAPE`/`E_NONFINITE` before anything changes.
   */
  updateHost(groupLosses: ArrayLike<number>): GroupDroUpdate<number> {
    const G = this.opts.nGroups;
    if (!groupLosses || groupLosses.length !== G) {
      throw new DroError('E_SHAPE', 'groupLosses has the wrong length', {
        argument: 'groupLosses',
        expected: `${G} group losses`,
        received: describeValue(groupLosses),
      });
    }
    checkFinite(groupLosses, 'groupLosses');
    const L = Float64Array.from(groupLosses);
    const adj = L.map((v, g) => {
      const c = this.opts.adjustments[g]!;
      return c > 0 ? v + c / Math.sqrt(this.opts.groupSizes![g]!) : v;
    });
    if (this.opts.normalizeLoss) {
      const s = adj.reduce((a, b) => a + b, 0);
      if (s !== 0) for (let g = 0; g < G; g++) adj[g]! /= s;
    }
    const before = this.weights();
    const next = this.logQ.map((lq, g) => lq + this.opts.etaQ * adj[g]!);
    let m = Number.NEGATIVE_INFINITY;
    for (const v of next) m = Math.max(m, v);
    let s = 0;
    for (const v of next) s += Math.exp(v - m);
    const lse = m + Math.log(s);
    for (let g = 0; g < G; g++) next[g]! -= lse;
    // Finite but huge losses can overflow the update; refuse them rather than turn q into NaN for good.
    checkFinite(next, 'groupLosses (the exponentiated-gradient update overflowed)');
    this.logQ = next;
    this.steps++;
    const q = this.opts.order === 'update-then-loss' ? this.weights() : before;
    let robustLoss = 0;
    for (let g = 0; g < G; g++) robustLoss += q[g]! * L[g]!;
    return { loss: robustLoss, q };
  }

  /**
   * Advances q by one batch from a tensor of group losses (read once): returns `Σ q_g L_g` with q constant,
   * differentiable in the group losses, and the q it used. Same fields as {@link updateHost}.
   */
  update(groupLosses: tf.Tensor1D | tf.TensorLike): GroupDroUpdate<tf.Scalar> {
    const t = toTensor(groupLosses, 'groupLosses', 'GroupDroWeights.update', { rank: 1 });
    try {
      const { q } = this.updateHost(t.dataSync());
      const loss = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d(Float32Array.from(q)), t)) as tf.Scalar);
      return { loss, q };
    } finally {
      if (t !== groupLosses) t.dispose();
    }
  }

  /**
   * {@link update} without a synchronous read (GPU-safe): awaits the group losses, then advances q exactly as
   * {@link update} does. Await each call before the next (the state advances when the read completes). Outside a
   * tape, use the returned `q` to build `Σ q_g L_g` in a second, taped pass (see the README's WebGPU section).
   */
  async updateAsync(groupLosses: tf.Tensor1D | tf.TensorLike): Promise<GroupDroUpdate<tf.Scalar>> {
    const t = toTensor(groupLosses, 'groupLosses', 'GroupDroWeights.updateAsync', { rank: 1 });
    try {
      const { q } = this.updateHost(await t.data());
      const loss = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d(Float32Array.from(q)), t)) as tf.Scalar);
      return { loss, q };
    } finally {
      if (t !== groupLosses) t.dispose();
    }
  }

  /** @deprecated Use {@link updateHost} (its result names the loss `loss`). */
  stepHost(groupLosses: ArrayLike<number>): { robustLoss: number; q: Float64Array } {
    const { loss, q } = this.updateHost(groupLosses);
    return { robustLoss: loss, q };
  }

  /** @deprecated Use {@link update}. */
  step(groupLosses: tf.Tensor1D): GroupDroUpdate<tf.Scalar> {
    return this.update(groupLosses);
  }

  getState(): GroupDroState {
    return {
      kind: KIND,
      version: 1,
      options: structuredClone(this.opts),
      logQ: Array.from(this.logQ),
      steps: this.steps,
    };
  }

  /**
   * Restores a state from {@link getState} (also the legacy kind `'group-dro'`).
   * @throws DroError `E_STATE_VERSION` for a foreign kind or version, or invalid values (q off the simplex).
   */
  static fromState(state: GroupDroState): GroupDroWeights {
    checkState(state, KIND, [1], ['group-dro']);
    const o = state.options;
    if (!o || typeof o !== 'object' || !Array.isArray(state.logQ) || state.logQ.length !== o.nGroups) {
      throw invalidState('state.logQ', 'one log-weight per group', describeValue(state.logQ));
    }
    checkStateValues(state.logQ, 'state.logQ');
    checkStateSimplex(state.logQ.map(Math.exp), 'state.logQ (as weights)', 1e-9);
    if (!Number.isSafeInteger(state.steps) || state.steps < 0) {
      throw invalidState('state.steps', 'a whole number ≥ 0', describeValue(state.steps));
    }
    let g: GroupDroWeights;
    try {
      g = new GroupDroWeights({
        numGroups: o.nGroups,
        etaQ: o.etaQ,
        normalizeLoss: o.normalizeLoss,
        order: o.order,
        adjustments: o.adjustments,
        groupSizes: o.groupSizes ?? undefined,
      });
    } catch (e) {
      throw invalidState('state.options', 'valid GroupDroWeights options', (e as Error).message);
    }
    g.logQ = Float64Array.from(state.logQ);
    g.steps = state.steps;
    return g;
  }
}
