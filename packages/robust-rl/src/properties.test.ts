import { createRng, type Rng } from '@drojs/dro-core/host';
import { describe, expect, it } from 'vitest';
import { robustDp, robustEvaluate } from './dp.js';
import { regularizedRobustDp, regularizedRobustEvaluate, uniformPolicy } from './drrpo.js';
import { factorEstimate } from './estimators.js';
import { type FactorMdp, tabularMdp, toTabular } from './mdp.js';
import { trapMdp } from './models.js';
import { fitR2pvi } from './r2pvi.js';
import { sampleTabularDataset } from './sampling.js';

function randomModel(rng: Rng): FactorMdp {
  const S = 2 + rng.int(5);
  const A = 1 + rng.int(3);
  const H = 1 + rng.int(4);
  const row = () => {
    const raw = Array.from({ length: S }, () => (rng.uniform() < 0.3 ? 0 : rng.uniform()));
    raw[rng.int(S)] = 1;
    const s = raw.reduce((a, b) => a + b, 0);
    return raw.map((x) => x / s);
  };
  const P = Array.from({ length: H }, () => Array.from({ length: S }, () => Array.from({ length: A }, row)));
  const R = Array.from({ length: H }, () =>
    Array.from({ length: S }, () => Array.from({ length: A }, () => rng.uniform())),
  );
  return tabularMdp(P, R);
}

const mdp = trapMdp();
const { P, R } = toTabular(mdp);

describe('robust DP properties (seeded random models, S ≤ 6)', () => {
  it('robust values ≤ the nominal optimum, non-decreasing in λ, non-increasing in ρ', () => {
    const rng = createRng(41);
    for (let t = 0; t < 25; t++) {
      const m = randomModel(rng);
      const nominal = robustDp(m, { divergence: 'none' }).V;
      for (const divergence of ['tv', 'kl', 'chi2'] as const) {
        let prev = Number.NEGATIVE_INFINITY;
        for (const lambda of [0.01, 0.1, 0.5, 2, 10]) {
          const V = robustDp(m, { divergence, lambda }).V;
          V.forEach((row, h) => row.forEach((v, s) => expect(v).toBeLessThanOrEqual(nominal[h]![s]! + 1e-12)));
          expect(V[0]![0]!).toBeGreaterThanOrEqual(prev - 1e-12);
          prev = V[0]![0]!;
        }
      }
      let prev = Number.POSITIVE_INFINITY;
      for (const rho of [0, 0.1, 0.3, 0.7, 1]) {
        const v = robustDp(m, { divergence: 'tv-ball', rho }).V[0]![0]!;
        expect(v).toBeLessThanOrEqual(prev + 1e-12);
        prev = v;
      }
    }
  });

  it('TV with λ = 0 gives Q_h(s, a) = r_h(s, a) + min_s′ V_{h+1}(s′); optimal policies evaluate to the optimum', () => {
    const rng = createRng(42);
    for (let t = 0; t < 15; t++) {
      const m = randomModel(rng);
      const { P: Pm, R: Rm } = toTabular(m);
      const dp = robustDp(m, { divergence: 'tv', lambda: 0 });
      for (let h = 0; h < m.H; h++) {
        const vMin = h + 1 < m.H ? Math.min(...dp.V[h + 1]!) : 0;
        for (let s = 0; s < m.S; s++) {
          for (let a = 0; a < m.A; a++)
            expect(Math.abs(dp.Q[h]![s]![a]! - (Rm[h]![s]![a]! + vMin))).toBeLessThan(1e-12);
        }
      }
      expect(Pm.length).toBe(m.H);
      for (const spec of [
        { divergence: 'kl' as const, lambda: 0.3 },
        { divergence: 'chi2' as const, lambda: 0.3 },
        { divergence: 'tv-ball' as const, rho: 0.2 },
      ]) {
        const opt = robustDp(m, spec);
        const ev = robustEvaluate(m, opt.policy, spec);
        ev.forEach((row, h) => row.forEach((v, s) => expect(Math.abs(v - opt.V[h]![s]!)).toBeLessThan(1e-10)));
      }
      const ref = uniformPolicy(m.H, m.S, m.A);
      for (const rho of [0, 0.3]) {
        const reg = regularizedRobustDp(m, ref, { beta: 0.2, rho });
        const ev = regularizedRobustEvaluate(m, reg.policy, ref, { beta: 0.2, rho });
        ev.forEach((row, h) => row.forEach((v, s) => expect(Math.abs(v - reg.V[h]![s]!)).toBeLessThan(1e-10)));
        const uni = regularizedRobustEvaluate(m, ref, ref, { beta: 0.2, rho });
        uni.forEach((row, h) => row.forEach((v, s) => expect(v).toBeLessThanOrEqual(reg.V[h]![s]! + 1e-12)));
      }
    }
  });
});

describe('R2PVI limits (spec §10.3)', () => {
  const data = sampleTabularDataset(P, R, 6, 7);
  const base = { ridge: 1, beta: 0, theta: mdp.theta };
  const ws = (m: ReturnType<typeof fitR2pvi>) => Array.from({ length: m.H }, (_, h) => Array.from(m.weights(h)));

  it('TV with λ ≥ max V − V_min equals the non-robust fit exactly', () => {
    expect(ws(fitR2pvi(data, { ...base, divergence: 'tv', lambda: 10 }))).toEqual(
      ws(fitR2pvi(data, { ...base, divergence: 'none' })),
    );
  });

  it('normalised KL and χ² converge to the non-robust fit (≤ 1e-5 at λ = 10⁶)', () => {
    const plain = ws(fitR2pvi(data, { ...base, divergence: 'none', normalize: true }));
    for (const divergence of ['kl', 'chi2'] as const) {
      const w = ws(fitR2pvi(data, { ...base, divergence, lambda: 1e6, normalize: true }));
      w.flat().forEach((v, k) => expect(Math.abs(v - plain.flat()[k]!)).toBeLessThanOrEqual(1e-5));
    }
  });

  it('the TV ball with ρ = 0 equals the plain regression on one-hot data', () => {
    const a = ws(fitR2pvi(data, { ...base, divergence: 'tv-ball', rho: 0 }));
    const b = ws(fitR2pvi(data, { ...base, divergence: 'none' }));
    a.flat().forEach((v, k) => expect(Math.abs(v - b.flat()[k]!)).toBeLessThan(1e-12));
  });

  it('χ²: the exact breakpoint search is never beaten by a fine α grid (mixed-sign regression weights)', () => {
    const rng = createRng(43);
    for (let t = 0; t < 20; t++) {
      const n = 6 + rng.int(6);
      const phi = Array.from({ length: n }, () => {
        const raw = [rng.uniform(), rng.uniform(), rng.uniform()];
        const s = raw[0]! + raw[1]! + raw[2]!;
        return raw.map((x) => x / s);
      });
      const V = Array.from({ length: n }, () => Math.round(rng.uniform() * 12) / 4);
      const lam = 0.1 + rng.uniform();
      const est = factorEstimate(phi, V, { divergence: 'chi2', lambda: lam, ridge: 0.1 });
      const exact = factorEstimate(phi, V, { divergence: 'none', ridge: 0.1 });
      expect(exact.nu.length).toBe(3);
      // Brute force over α ∈ [min V, max V] with the same C rows (C·min(V, α) is what 'tv' regresses).
      const lo = Math.min(...V);
      const hi = Math.max(...V);
      for (let k = 0; k <= 400; k++) {
        const alpha = lo + ((hi - lo) * k) / 400;
        const clipped = V.map((v) => Math.min(v, alpha));
        const z1 = factorEstimate(phi, clipped, { divergence: 'none', ridge: 0.1 }).nu;
        const z2 = factorEstimate(
          phi,
          clipped.map((v) => v * v),
          { divergence: 'none', ridge: 0.1 },
        ).nu;
        for (let i = 0; i < 3; i++) {
          const f = z1[i]! - (z2[i]! - z1[i]! ** 2) / (4 * lam);
          expect(est.nu[i]!).toBeGreaterThanOrEqual(f - 1e-12);
        }
      }
    }
  });
});
