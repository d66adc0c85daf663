import { describe, expect, it } from 'vitest';
import { type Divergence, evaluatePolicy, robustDp, robustEvaluate } from './dp.js';
import { greedyPolicy } from './greedyPolicy.js';
import { kernel, rewards, shiftGlobal, shiftRisky, toTabular } from './mdp.js';
import { paperLinearMdp, trapMdp } from './models.js';
import { fitR2pvi } from './r2pvi.js';
import { exactFrequencyDataset, sampleTabularDataset } from './sampling.js';

const mdp = trapMdp();
const { P, R } = toTabular(mdp);
const OBJECTIVES: { divergence: Divergence; lambda?: number; rho?: number }[] = [
  { divergence: 'none' },
  { divergence: 'tv', lambda: 0.1 },
  { divergence: 'tv', lambda: 0.5 },
  { divergence: 'kl', lambda: 0.2 },
  { divergence: 'kl', lambda: 1 },
  { divergence: 'chi2', lambda: 0.2 },
  { divergence: 'chi2', lambda: 1 },
  { divergence: 'tv-ball', rho: 0.2 },
];
const policyDigits = (p: Int32Array[]) => p.map((row) => Array.from(row).slice(0, 5).join('')).join(' ');

describe('R2PVI against exact robust DP (trap MDP, spec §8.A)', () => {
  it('exact-frequency one-hot data, γ = 0, β = 0: every Q̂_h(s, a) equals the DP value (1e-12)', () => {
    const data = exactFrequencyDataset(P, R, 20);
    for (const spec of OBJECTIVES) {
      const model = fitR2pvi(data, { ...spec, ridge: 0, beta: 0, theta: mdp.theta });
      const dp = robustDp(mdp, spec);
      for (let h = 0; h < mdp.H; h++) {
        for (let s = 0; s < mdp.S; s++) {
          for (let a = 0; a < mdp.A; a++) {
            expect(
              Math.abs(model.q(h, mdp.phi[h]![s]![a]!) - dp.Q[h]![s]![a]!),
              `${spec.divergence} h${h} s${s} a${a}`,
            ).toBeLessThan(1e-12);
          }
        }
      }
    }
  });

  it('with normalize, one-hot fits at γ = 1 reproduce the empirical worst case exactly', () => {
    const data = exactFrequencyDataset(P, R, 20);
    for (const spec of OBJECTIVES) {
      const model = fitR2pvi(data, { ...spec, ridge: 1, beta: 0, theta: mdp.theta, normalize: true });
      const dp = robustDp(mdp, spec);
      for (let h = 0; h < mdp.H; h++) {
        for (let s = 0; s < mdp.S; s++) {
          expect(Math.abs(model.value(h, mdp.phi[h]![s]!) - dp.V[h]![s]!)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('the exact optima of §8.0 (values to the printed 6 digits, greedy policies exactly)', () => {
    const table: [Parameters<typeof robustDp>[1], number, string][] = [
      [{ divergence: 'none' }, 2.393756, '00000 11111 11111 11111'],
      [{ divergence: 'tv', lambda: 0.3 }, 1.031, '11111 11111 11111 11111'],
      [{ divergence: 'kl', lambda: 0.3 }, 2.12254, '00000 00000 00001 11111'],
      [{ divergence: 'chi2', lambda: 0.3 }, 2.221426, '00000 00000 11111 11111'],
      [{ divergence: 'tv-ball', rho: 0.2 }, 1.668031, '01101 11111 11111 11111'],
    ];
    for (const [spec, v, digits] of table) {
      const dp = robustDp(mdp, spec);
      expect(Math.abs(dp.V[0]![0]! - v)).toBeLessThan(5e-7);
      expect(policyDigits(dp.policy)).toBe(digits);
      // Evaluating the optimal policy returns the optimum.
      expect(Math.abs(robustEvaluate(mdp, dp.policy, spec)[0]![0]! - dp.V[0]![0]!)).toBeLessThan(1e-12);
    }
    // "(and λ = 1)": the same myopic policy; its value caps the continuation at V_min + λ = 1 instead of 0.3.
    expect(policyDigits(robustDp(mdp, { divergence: 'tv', lambda: 1 }).policy)).toBe('11111 11111 11111 11111');
  });

  it('§8.B exact optimal policies under risky and global shifts (the printed 3 decimals)', () => {
    const rows: [Parameters<typeof robustDp>[1], number[], number[]][] = [
      [{ divergence: 'none' }, [2.394, 2.24, 2.095, 1.96, 1.835], [2.394, 2.058, 1.761, 1.5, 1.271]],
      [{ divergence: 'kl', lambda: 0.3 }, [2.17, 2.16, 2.149, 2.138, 2.127], [2.17, 1.811, 1.506, 1.25, 1.038]],
      [{ divergence: 'chi2', lambda: 0.3 }, [2.336, 2.272, 2.209, 2.145, 2.082], [2.336, 1.96, 1.634, 1.357, 1.123]],
      [{ divergence: 'tv', lambda: 0.3 }, [2.276, 2.025, 1.803, 1.607, 1.436], [2.276, 2.025, 1.803, 1.607, 1.436]],
    ];
    const eps = [0, 0.1, 0.2, 0.3, 0.4];
    for (const [spec, risky, global] of rows) {
      const pol = robustDp(mdp, spec).policy;
      eps.forEach((e, k) => {
        const vr = evaluatePolicy({ P: shiftRisky(P, e, { trap: 5, action: 1 }), R }, pol)[0]![0]!;
        const vg = evaluatePolicy({ P: shiftGlobal(P, e, { trap: 5 }), R }, pol)[0]![0]!;
        expect(Math.abs(vr - risky[k]!)).toBeLessThanOrEqual(5e-4 + 1e-12);
        expect(Math.abs(vg - global[k]!)).toBeLessThanOrEqual(5e-4 + 1e-12);
      });
    }
  });

  it('sampled data: the fit converges to the exact robust value as N grows (seeded)', () => {
    const spec = { divergence: 'kl' as const, lambda: 0.3 };
    const exact = robustDp(mdp, spec).V[0]![0]!;
    const err = (N: number) => {
      let s = 0;
      for (let k = 0; k < 4; k++) {
        const m = fitR2pvi(sampleTabularDataset(P, R, N, 100 * N + k), {
          ...spec,
          beta: 0,
          ridge: 1,
          theta: mdp.theta,
          normalize: true,
        });
        s += Math.abs(m.value(0, mdp.phi[0]![0]!) - exact);
      }
      return s / 4;
    };
    const e5 = err(5);
    const e500 = err(500);
    expect(e500).toBeLessThan(0.02);
    expect(e500).toBeLessThan(e5);
  });

  it('the paper MDP: every objective at λ = 0.1 has the nominal optimum 1.624 at q = 0 (spec §8.C)', () => {
    const nominal = robustDp(paperLinearMdp(0), { divergence: 'none' });
    for (const spec of [
      { divergence: 'tv' as const, lambda: 0.1 },
      { divergence: 'kl' as const, lambda: 0.1 },
      { divergence: 'chi2' as const, lambda: 0.1 },
    ]) {
      const pol = robustDp(paperLinearMdp(0), spec).policy;
      expect(pol.map((p) => Array.from(p))).toEqual(nominal.policy.map((p) => Array.from(p)));
    }
    const qs = [0, 0.2, 0.4, 0.6, 0.8, 1];
    const expected = [1.624, 1.424, 1.224, 1.024, 0.824, 0.624];
    qs.forEach((q, k) => {
      const v = evaluatePolicy(paperLinearMdp(q), nominal.policy)[0]![0]!;
      expect(Math.abs(v - expected[k]!)).toBeLessThanOrEqual(5e-4 + 1e-12);
    });
    expect(kernel(paperLinearMdp(1), 0)[4]![0]).toEqual([0, 0, 0, 1, 0]);
    expect(rewards(paperLinearMdp(0), 1)[4]![3]).toBe(1);
    const fitted = fitR2pvi(exactFrequencyDataset(P, R, 20), {
      divergence: 'none',
      ridge: 0,
      beta: 0,
      theta: mdp.theta,
    });
    expect(policyDigits(greedyPolicy(fitted, mdp))).toBe('00000 11111 11111 11111');
  });
});
