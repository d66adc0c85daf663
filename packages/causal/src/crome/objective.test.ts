import { createRng, type Rng } from '@drojs/dro-core';
import { expectDroError, numericGradient } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { linearCromeObjective } from './linear.js';
import { cromeObjective } from './objective.js';
import type { PairKind } from './pairs.js';
import { trainLinearReward } from './trainLinear.js';

const KINDS: PairKind[] = ['original', 'causal', 'neutral'];

function problem(rng: Rng, n: number) {
  const kinds = Array.from({ length: n }, (_, i) => KINDS[i % 3] as PairKind);
  const delta = Array.from({ length: n }, () => 3 * rng.normal());
  const weights = Array.from({ length: n }, () => rng.uniform() * 2);
  const targets = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? rng.uniform() : null));
  return { kinds, delta, weights, targets, lambdaTie: 2 * rng.uniform(), lambdaCausal: 2 * rng.uniform() };
}

describe('cromeObjective', () => {
  it('∂L/∂Δ equals central differences within 1e−7', () => {
    const rng = createRng('crome-obj-fd');
    for (let r = 0; r < 10; r++) {
      const p = problem(rng, 15);
      const o = { weights: p.weights, targets: p.targets, lambdaTie: p.lambdaTie, lambdaCausal: p.lambdaCausal };
      const g = cromeObjective(p.delta, p.kinds, o).gradDelta;
      const fd = numericGradient((d) => cromeObjective(d, p.kinds, o).loss, p.delta);
      for (let i = 0; i < g.length; i++) expect(Math.abs((g[i] as number) - (fd[i] as number))).toBeLessThan(1e-7);
    }
  });

  it('is invariant to swapping neutral pairs and to scaling one group’s weights; duplication = doubled weight', () => {
    const rng = createRng('crome-obj-inv');
    const p = problem(rng, 12);
    const o = { weights: p.weights, lambdaTie: p.lambdaTie, lambdaCausal: p.lambdaCausal };
    const base = cromeObjective(p.delta, p.kinds, o).loss;
    const swapped = p.delta.map((d, i) => (p.kinds[i] === 'neutral' ? -d : d));
    expect(Math.abs(cromeObjective(swapped, p.kinds, o).loss - base)).toBeLessThan(1e-14);
    const scaled = p.weights.map((w, i) => (p.kinds[i] === 'neutral' ? 3.7 * w : w));
    expect(Math.abs(cromeObjective(p.delta, p.kinds, { ...o, weights: scaled }).loss - base)).toBeLessThan(1e-13);
    const dupW = p.weights.slice();
    dupW[1] = 2 * (dupW[1] as number);
    const doubled = cromeObjective(p.delta, p.kinds, { ...o, weights: dupW }).loss;
    const dup = cromeObjective([...p.delta, p.delta[1] as number], [...p.kinds, p.kinds[1] as PairKind], {
      ...o,
      weights: [...p.weights, p.weights[1] as number],
    }).loss;
    expect(Math.abs(dup - doubled)).toBeLessThan(1e-13);
  });

  it('normalises by group weight: zero-weight pairs do not dilute the mean but are counted', () => {
    const kinds: PairKind[] = ['original', 'original', 'neutral'];
    const a = cromeObjective([1, 5, 0.3], kinds, { weights: [1, 0, 1] });
    const b = cromeObjective([1, 0.3], ['original', 'neutral']);
    expect(a.loss).toBe(b.loss);
    expect(a.gradDelta[1]).toBe(0);
    expect(a.nPreference).toBe(2);
  });

  it('rejects bad input with DroError naming the argument', () => {
    expectDroError(() => cromeObjective([0, 1], ['original', 'causal'], { weights: [0, 0] }), 'E_SPEC', 'weights');
    expectDroError(() => cromeObjective([0], ['bogus' as PairKind]), 'E_SPEC', 'kinds[0]');
    expectDroError(() => cromeObjective([0], ['original'], { targets: [1.5] }), 'E_SPEC', 'targets[0]');
    expectDroError(() => cromeObjective([0], ['original'], { lambdaCausal: Number.NaN }), 'E_SPEC', 'lambdaCausal');
    expectDroError(() => cromeObjective([Number.POSITIVE_INFINITY], ['original']), 'E_NONFINITE', 'delta[0]');
    expectDroError(() => cromeObjective([0], ['original'], { weights: [1, 2] }), 'E_SHAPE', 'weights');
  });
});

describe('linear objective and gradient descent', () => {
  const rng = createRng('crome-linear');
  const n = 30;
  const d = 4;
  const chosen = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const rejected = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const kinds = Array.from({ length: n }, (_, i) => KINDS[i % 3] as PairKind);
  const o = { l2: 0.05, lambdaTie: 1.5, lambdaCausal: 0.7 };

  it('gradTheta equals central differences of lossRegularized', () => {
    const theta = [0.3, -1.2, 0.5, 2];
    const g = linearCromeObjective(theta, chosen, rejected, kinds, o).gradTheta;
    const fd = numericGradient((t) => linearCromeObjective(t, chosen, rejected, kinds, o).lossRegularized, theta);
    for (let j = 0; j < d; j++) expect(Math.abs((g[j] as number) - (fd[j] as number))).toBeLessThan(1e-7);
  });

  it('decreases L_reg at every step with a learning rate below 1/L (L = λmax(¼Σ c dᵀd + l2 I) bound)', () => {
    // Bound λmax by the trace: Σ_i c_i/4·‖d_i‖² + l2 (coefficients from the objective at Δ = 0).
    const c = linearCromeObjective(new Array(d).fill(0), chosen, rejected, kinds, o);
    let trace = o.l2;
    chosen.forEach((a, i) => {
      const coef = Math.abs((c.gradDelta[i] as number) / (kinds[i] === 'neutral' ? 1 : 0.5)) || 0;
      const dd = a.reduce((s, v, j) => s + (v - (rejected[i]![j] as number)) ** 2, 0);
      trace += (coef / 4) * dd;
    });
    // Neutral gradients are 0 at Δ = 0, so add their coefficients explicitly: λ_tie·w/Σw per neutral pair.
    const nN = kinds.filter((k) => k === 'neutral').length;
    chosen.forEach((a, i) => {
      if (kinds[i] !== 'neutral') return;
      const dd = a.reduce((s, v, j) => s + (v - (rejected[i]![j] as number)) ** 2, 0);
      trace += (o.lambdaTie / nN / 4) * dd;
    });
    const pairs = chosen.map((a, i) => ({ chosen: a, rejected: rejected[i]!, kind: kinds[i]! }));
    const steps = 40;
    const r = trainLinearReward(pairs, {
      ...o,
      steps,
      learningRate: 0.9 / trace,
      checkpoints: [...Array(steps).keys()],
    });
    for (let k = 1; k < steps; k++)
      expect(r.checkpoints[k]!.lossRegularized).toBeLessThan(r.checkpoints[k - 1]!.lossRegularized);
    expect(r.lossRegularized).toBeLessThan(r.checkpoints[steps - 1]!.lossRegularized);
  });

  it('one step from θ = 0: checkpoint 0 is θ0, the result is θ0 − η∇L (hand-computed BT case)', () => {
    const r = trainLinearReward([{ chosen: [1, 0], rejected: [0, 0], kind: 'original' }], {
      steps: 1,
      learningRate: 1,
      checkpoints: [0],
    });
    expect(Array.from(r.checkpoints[0]!.theta)).toEqual([0, 0]);
    expect(r.checkpoints[0]!.lossRegularized).toBe(Math.LN2);
    expect(Array.from(r.model.theta)).toEqual([0.5, 0]); // −1·(σ(0) − 1)·[1, 0]
    expect(Math.abs(r.lossRegularized - Math.log1p(Math.exp(-0.5)))).toBeLessThan(1e-15);
  });
});
