import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { tabularDataset } from './dataset.js';
import { evaluatePolicy, robustDp } from './dp.js';
import { mirrorStep } from './drrpo.js';
import { LinearQModel } from './linearQModel.js';
import { tabularMdp, toTabular } from './mdp.js';
import { trapMdp } from './models.js';
import { fitR2pvi, type R2pviOptions } from './r2pvi.js';
import { exactFrequencyDataset } from './sampling.js';

const mdp = trapMdp();
const { P, R } = toTabular(mdp);
const data = exactFrequencyDataset(P, R, 20);
const ok: R2pviOptions = { divergence: 'kl', lambda: 0.3, theta: mdp.theta };

describe('robust-rl errors (spec §5)', () => {
  it('E_SPEC: bad λ, ρ, β, γ, divergence, bonus, vMin, unknown options, rewards outside [0, 1]', () => {
    const snapshot = JSON.stringify(data);
    expectDroError(() => fitR2pvi(data, { divergence: 'tv', lambda: -1 }), 'E_SPEC', 'lambda');
    expectDroError(() => fitR2pvi(data, { divergence: 'kl', lambda: 0 }), 'E_SPEC', 'lambda');
    expectDroError(() => fitR2pvi(data, { divergence: 'chi2' }), 'E_SPEC', 'lambda');
    expectDroError(() => fitR2pvi(data, { divergence: 'tv-ball', rho: 1.5 }), 'E_SPEC', 'rho');
    expectDroError(() => fitR2pvi(data, { ...ok, beta: -1 }), 'E_SPEC', 'beta');
    expectDroError(() => fitR2pvi(data, { ...ok, ridge: -0.1 }), 'E_SPEC', 'ridge');
    expectDroError(() => fitR2pvi(data, { divergence: 'js' as 'kl', lambda: 1 }), 'E_SPEC', 'divergence');
    expectDroError(() => fitR2pvi(data, { ...ok, bonus: 'max' as 'diag' }), 'E_SPEC', 'bonus');
    expectDroError(() => fitR2pvi(data, { divergence: 'tv', lambda: 1, vMin: 'min' as 'data' }), 'E_SPEC', 'vMin');
    expectDroError(() => fitR2pvi(data, { ...ok, lamda: 1 } as R2pviOptions), 'E_SPEC', 'lamda');
    const big = tabularDataset(2, 1, 1, [
      [
        [0, 0, 1.5, null],
        [1, 0, 0.5, null],
      ],
    ]);
    expectDroError(() => fitR2pvi(big, { divergence: 'none' }), 'E_SPEC', 'reward');
    expect(() => fitR2pvi(big, { divergence: 'none', checkRewardRange: false })).not.toThrow();
    expectDroError(() => robustDp(mdp, { divergence: 'kl', lambda: -1 }), 'E_SPEC', 'lambda');
    expectDroError(() => mirrorStep([0], [0], [1], { eta: 0, beta: 1 }), 'E_SPEC', 'eta');
    expect(JSON.stringify(data)).toBe(snapshot);
  });

  it('E_SHAPE: feature length, next-feature matrix, number of steps, θ, model arrays, policy', () => {
    const bad = structuredClone(data);
    bad.steps[0]![0]!.phi = [1, 0];
    expectDroError(() => fitR2pvi(bad, ok), 'E_SHAPE', 'phi');
    const badNext = structuredClone(data);
    badNext.steps[0]![0]!.nextPhi = [badNext.steps[0]![0]!.nextPhi![0]!];
    expectDroError(() => fitR2pvi(badNext, ok), 'E_SHAPE', 'nextPhi');
    expectDroError(() => fitR2pvi({ ...data, steps: data.steps.slice(1) }, ok), 'E_SHAPE', 'data.steps');
    expectDroError(() => fitR2pvi(data, { ...ok, theta: mdp.theta.slice(1) }), 'E_SHAPE', 'theta');
    expectDroError(
      () =>
        tabularMdp(
          P.map((Ph) => Ph.slice(1)),
          R,
        ),
      'E_SHAPE',
      'P[0]',
    );
    expectDroError(() => evaluatePolicy({ P, R }, [[0]]), 'E_SHAPE', 'policy');
  });

  it('off-simplex E_SPEC, E_NONFINITE, E_EMPTY, E_RANK (named with the step), E_STATE_VERSION', () => {
    const off = structuredClone(data);
    off.steps[1]![0]!.phi = Array.from(off.steps[1]![0]!.phi, (x) => x * 0.5);
    expectDroError(() => fitR2pvi(off, ok), 'E_SPEC', 'data.steps[1][0].phi');
    const badP = structuredClone(P);
    badP[0]![0]![0]![0] = 0.9;
    expectDroError(() => tabularMdp(badP, R), 'E_SPEC', 'P[0][0][0]');
    const nan = structuredClone(data);
    nan.steps[2]![3]!.reward = Number.NaN;
    expectDroError(() => fitR2pvi(nan, ok), 'E_NONFINITE', 'reward');
    expectDroError(() => fitR2pvi({ ...data, steps: [[], ...data.steps.slice(1)] }, ok), 'E_EMPTY', 'data.steps[0]');
    expectDroError(() => tabularMdp([], []), 'E_EMPTY', 'P');
    const sparse = tabularDataset(6, 2, 1, [[[0, 0, 0.5, null]]]);
    expectDroError(() => fitR2pvi(sparse, { divergence: 'none', ridge: 0 }), 'E_RANK', 'step 0');
    const state = fitR2pvi(data, ok).getState();
    expectDroError(() => LinearQModel.fromState({ ...state, kind: 'other' } as never), 'E_STATE_VERSION', 'state.kind');
    expectDroError(() => LinearQModel.fromState({ ...state, version: 2 } as never), 'E_STATE_VERSION', 'state.version');
    expectDroError(() => LinearQModel.fromState({ ...state, w: state.w.slice(1) }), 'E_STATE_VERSION', 'state.w');
  });

  it('E_ABORTED between steps, with progress reported per step', () => {
    const seen: number[] = [];
    fitR2pvi(data, { ...ok, onProgress: (p) => seen.push(p.h) });
    expect(seen).toEqual([3, 2, 1, 0]);
    const ctl = new AbortController();
    expectDroError(
      () =>
        fitR2pvi(data, {
          ...ok,
          signal: ctl.signal,
          onProgress: (p) => {
            if (p.done === 2) ctl.abort();
          },
        }),
      'E_ABORTED',
    );
  });
});

describe('LinearQModel state', () => {
  it('round-trips through JSON bit-exactly (weights, Λ⁻¹, queries, diagnostics)', () => {
    for (const opts of [ok, { divergence: 'chi2' as const, lambda: 0.3, beta: 0.5, bonus: 'full' as const }]) {
      const m = fitR2pvi(data, opts);
      const back = LinearQModel.fromState(JSON.parse(JSON.stringify(m.getState())));
      expect(back.getState()).toEqual(m.getState());
      for (let h = 0; h < m.H; h++) {
        for (let s = 0; s < mdp.S; s++) {
          for (let a = 0; a < mdp.A; a++)
            expect(Object.is(back.q(h, mdp.phi[h]![s]![a]!), m.q(h, mdp.phi[h]![s]![a]!))).toBe(true);
        }
      }
    }
  });
});
