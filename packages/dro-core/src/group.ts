import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, checkNumber, DroError, describeValue } from './errors.js';
import { checkState } from './state.js';
import { checkFloatTensor } from './tensor-checks.js';

/** Validates host group ids (integers in [0, nGroups)) and returns them as Int32Array. */
export function checkGroupIds(groupIds: ArrayLike<number>, nGroups: number, argument = 'groupIds'): Int32Array {
  const ids = Int32Array.from(groupIds as ArrayLike<number>);
  for (let i = 0; i < groupIds.length; i++) {
    const g = groupIds[i]!;
    if (!Number.isInteger(g) || g < 0 || g >= nGroups) {
      throw new DroError('E_LABEL_RANGE', `${argument}[${i}] is not a group id`, {
        argument,
        expected: `an integer in [0, ${nGroups})`,
        received: describeValue(g),
      });
    }
  }
  return ids;
}

/**
 * Per-group means `(Mᵀ·values) / max(count, 1)` with the one-hot matrix M built from host ids: differentiable
 * in `values`, no UnsortedSegmentSum kernel needed; absent groups get mean 0 and count 0.
 */
export function groupMeans(
  values: tf.Tensor1D,
  groupIds: Int32Array | number[],
  nGroups: number,
): { means: tf.Tensor1D; counts: Float64Array } {
  checkNumber(nGroups, 'nGroups', { min: 1, integer: true });
  checkFloatTensor(values, 'values', 1);
  if (groupIds.length !== values.shape[0]) {
    throw new DroError('E_SHAPE', 'groupIds and values differ in length', {
      argument: 'groupIds',
      expected: `${values.shape[0]} ids`,
      received: `${groupIds.length}`,
    });
  }
  const ids = checkGroupIds(groupIds, nGroups);
  const n = ids.length;
  const counts = new Float64Array(nGroups);
  const oneHot = new Float32Array(n * nGroups);
  for (let i = 0; i < n; i++) {
    counts[ids[i]!]! += 1;
    oneHot[i * nGroups + ids[i]!] = 1;
  }
  const inv = Float32Array.from(counts, (c) => 1 / Math.max(c, 1));
  const means = tf.tidy(() => {
    const m = tf.tensor2d(oneHot, [n, nGroups]);
    const sums = tf.matMul(tf.reshape(values, [1, n]), m);
    return tf.reshape(tf.mul(sums, tf.tensor1d(inv)), [nGroups]) as tf.Tensor1D;
  });
  return { means, counts };
}

export type GroupDroOrder = 'update-then-loss' | 'loss-then-update';

export interface GroupDroOptions {
  nGroups: number;
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

export interface GroupDroState {
  kind: 'group-dro';
  version: 1;
  options: Required<Pick<GroupDroOptions, 'nGroups' | 'etaQ' | 'normalizeLoss' | 'order'>> & {
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

  constructor(opts: GroupDroOptions) {
    if (!opts || typeof opts !== 'object') throw new DroError('E_SPEC', 'options are required', { argument: 'opts' });
    const nGroups = checkNumber(opts.nGroups, 'opts.nGroups', { min: 1, integer: true }, 'E_SPEC');
    const etaQ = checkNumber(opts.etaQ ?? 0.01, 'opts.etaQ', { min: 0 });
    const order = opts.order ?? 'update-then-loss';
    if (order !== 'update-then-loss' && order !== 'loss-then-update') {
      throw new DroError('E_SPEC', 'unknown update order', {
        argument: 'opts.order',
        expected: "'update-then-loss' or 'loss-then-update'",
        received: describeValue(order),
      });
    }
    let adjustments = new Array<number>(nGroups).fill(0);
    let groupSizes: number[] | null = null;
    if (opts.adjustments !== undefined) {
      adjustments = typeof opts.adjustments === 'number' ? adjustments.fill(opts.adjustments) : [...opts.adjustments];
      if (adjustments.length !== nGroups) {
        throw new DroError('E_SPEC', 'one adjustment per group', {
          argument: 'opts.adjustments',
          expected: `${nGroups}`,
          received: `${adjustments.length}`,
        });
      }
      for (const [g, c] of adjustments.entries()) checkNumber(c, `opts.adjustments[${g}]`, { min: 0 });
      if (adjustments.some((c) => c > 0) && !opts.groupSizes) {
        throw new DroError('E_SPEC', 'adjustments require groupSizes', {
          argument: 'opts.groupSizes',
          expected: 'n_g per group',
        });
      }
    }
    if (opts.groupSizes !== undefined) {
      groupSizes = [...opts.groupSizes];
      if (groupSizes.length !== nGroups) {
        throw new DroError('E_SPEC', 'one size per group', {
          argument: 'opts.groupSizes',
          expected: `${nGroups}`,
          received: `${groupSizes.length}`,
        });
      }
      for (const [g, s] of groupSizes.entries())
        checkNumber(s, `opts.groupSizes[${g}]`, { min: 0, minExclusive: true });
    }
    this.opts = { nGroups, etaQ, normalizeLoss: opts.normalizeLoss ?? false, order, adjustments, groupSizes };
    this.logQ = new Float64Array(nGroups).fill(-Math.log(nGroups));
  }

  /** Current q (the weights the next update starts from). */
  weights(): Float64Array {
    return this.logQ.map(Math.exp);
  }

  /** Host update: returns the robust loss value and the q it used. */
  stepHost(groupLosses: ArrayLike<number>): { robustLoss: number; q: Float64Array } {
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
    this.logQ = next;
    this.steps++;
    const q = this.opts.order === 'update-then-loss' ? this.weights() : before;
    let robustLoss = 0;
    for (let g = 0; g < G; g++) robustLoss += q[g]! * L[g]!;
    return { robustLoss, q };
  }

  /** Tensor update: reads the group losses once, updates q, returns `Σ q_g L_g` with q constant. */
  step(groupLosses: tf.Tensor1D): { loss: tf.Scalar; q: Float64Array } {
    checkFloatTensor(groupLosses, 'groupLosses', 1);
    const { q } = this.stepHost(groupLosses.dataSync());
    const loss = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d(Float32Array.from(q)), groupLosses)) as tf.Scalar);
    return { loss, q };
  }

  getState(): GroupDroState {
    return {
      kind: 'group-dro',
      version: 1,
      options: structuredClone(this.opts),
      logQ: Array.from(this.logQ),
      steps: this.steps,
    };
  }

  static fromState(state: GroupDroState): GroupDroWeights {
    checkState(state, 'group-dro', [1]);
    const o = state.options;
    if (!o || !Array.isArray(state.logQ) || state.logQ.length !== o.nGroups) {
      throw new DroError('E_SPEC', 'malformed group-dro state', { argument: 'state' });
    }
    const g = new GroupDroWeights({
      nGroups: o.nGroups,
      etaQ: o.etaQ,
      normalizeLoss: o.normalizeLoss,
      order: o.order,
      adjustments: o.adjustments,
      groupSizes: o.groupSizes ?? undefined,
    });
    checkFinite(state.logQ, 'state.logQ');
    g.logQ = Float64Array.from(state.logQ);
    g.steps = state.steps ?? 0;
    return g;
  }
}
