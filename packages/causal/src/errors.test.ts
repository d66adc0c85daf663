import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { anchorRegression } from './anchor.js';
import { drmRules } from './drm/rules.js';
import { Eacs } from './eacs/eacs.js';
import { kClass } from './iv/kclass.js';
import { liml } from './iv/liml.js';
import { ols } from './iv/ols.js';
import { sargan } from './iv/tests.js';
import { tsls } from './iv/tsls.js';
import { wald } from './iv/wald.js';
import { ivlRegression } from './ivl/ivlRegression.js';
import { selectIvlAlpha } from './ivl/selectAlpha.js';
import { vectors } from './test/vectors.js';

const I = vectors.cases.tsls_small.inputs;
const base = {
  y: I.y as number[],
  exog: I.exog as number[][],
  endog: I.endog as number[][],
  instruments: I.instr as number[][],
  intercept: false,
};

describe('bad input → DroError (spec §15.7)', () => {
  it('rank-deficient designs → E_RANK naming the columns', () => {
    const X = I.exog.map((r: number[], i: number) => [r[1], I.endog[i][0], r[1]]);
    expectDroError(() => ols({ X, y: base.y, names: ['w', 'x', 'w_copy'] }), 'E_RANK', 'w_copy');
    expectDroError(
      () => tsls({ ...base, intercept: true, names: { exog: ['one', 'w'] } }),
      'E_RANK',
      'intercept: true',
    );
    expectDroError(
      () => tsls({ ...base, instruments: base.instruments.map((r) => [r[0]!, r[1]!, r[0]! + r[1]!]) }),
      'E_RANK',
      'instruments',
    );
    const E2 = base.endog.map((r, i) => [r[0]!, base.instruments[i]![1]! + 0.1 * i]);
    expectDroError(
      () => tsls({ ...base, endog: E2, instruments: base.instruments.map((r) => [r[0]!]) }),
      'E_RANK',
      'instruments',
    );
    expectDroError(() => kClass({ ...base, kappa: 3 }), 'E_RANK', 'κ');
  });
  it('IVL: rank-deficient GX → E_RANK, but α = 0 under-identified returns identified: false', () => {
    const GX = base.exog.map((r, i) => [r[1]!, base.endog[i]![0]!, r[1]!]);
    expectDroError(() => ivlRegression({ GX, y: base.y, G: base.instruments, alpha: 1 }), 'E_RANK', 'GX');
    const GX2 = base.exog.map((r, i) => [r[1]!, base.endog[i]![0]!, base.instruments[i]![0]! * r[1]!]);
    const f = ivlRegression({ GX: GX2, y: base.y, G: base.instruments.map((r) => [r[0]!]), alpha: 0 });
    expect(f.identified).toBe(false);
    expect(f.coef.every(Number.isFinite)).toBe(true);
  });
  it('NaN → E_NONFINITE naming the entry', () => {
    const y = base.y.slice();
    y[7] = Number.NaN;
    expectDroError(() => tsls({ ...base, y }), 'E_NONFINITE', 'y[7]');
    const Z = base.instruments.map((r) => r.slice());
    Z[3]![1] = Number.NaN;
    expectDroError(() => tsls({ ...base, instruments: Z }), 'E_NONFINITE', 'instruments[3][1]');
    const e = new Eacs({ seed: 1, mode: 'hard' });
    const envs = [
      {
        X: [
          [1, 2],
          [2, Number.NaN],
          [3, 1],
        ],
        y: [1, 2, 3],
      },
      {
        X: [
          [1, 2],
          [2, 3],
          [3, 1],
        ],
        y: [1, 2, 3],
      },
    ];
    expectDroError(() => e.fit(envs), 'E_NONFINITE', 'train[0].X');
    expect(e.chosen).toBeNull();
    expectDroError(() => drmRules.entropy([[[0, Number.NaN]], [[0, 1]]]), 'E_NONFINITE', 'logits');
  });
  it('mismatched rows → E_SHAPE', () => {
    expectDroError(() => tsls({ ...base, y: base.y.slice(0, 49) }), 'E_SHAPE', 'endog');
    expectDroError(
      () => ivlRegression({ GX: base.exog, y: base.y, G: base.instruments.slice(0, 40), alpha: 1 }),
      'E_SHAPE',
      'G',
    );
    const f = tsls(base);
    expectDroError(
      () => f.covariance({ covType: { type: 'cluster', groups: [1, 2, 3] }, debiased: true }),
      'E_SHAPE',
      'groups',
    );
    expectDroError(() => ols({ X: [[1, 2], [3]], y: [1, 2] }), 'E_SHAPE', 'ragged');
  });
  it('an unknown argument key is E_SPEC naming it (dro-core checkOptions), not ignored', () => {
    expectDroError(() => tsls({ ...base, intercpt: false } as never), 'E_SPEC', 'intercpt');
    expectDroError(() => ols({ X: base.exog, y: base.y, robust: true } as never), 'E_SPEC', 'robust');
    expectDroError(() => kClass({ ...base, kapa: 1 } as never), 'E_SPEC', 'kapa');
    expectDroError(
      () => ivlRegression({ GX: base.endog, y: base.y, G: base.instruments, alpah: 1 } as never),
      'E_SPEC',
      'alpah',
    );
    expectDroError(() => tsls(base).covariance({ covType: 'robust', debiased: true, hc: 1 } as never), 'E_SPEC', 'hc');
    expectDroError(() => new Eacs({ seed: 1, mdoe: 'soft' } as never), 'E_SPEC', 'mdoe');
  });
  it('E_SPEC for bad parameters', () => {
    expectDroError(
      () => ivlRegression({ GX: base.exog, y: base.y, G: base.instruments, alpha: -1 }),
      'E_SPEC',
      'alpha',
    );
    expectDroError(
      () => anchorRegression({ X: base.exog, y: base.y, anchors: base.instruments, gamma: Number.NaN }),
      'E_SPEC',
      'gamma',
    );
    expectDroError(() => kClass({ ...base, kappa: -0.5 }), 'E_SPEC', 'kappa');
    expectDroError(() => tsls(base).confInt(1.2), 'E_SPEC', 'level');
    expectDroError(() => drmRules.pseudoLabels([[0.5, 0.5]], 1.1), 'E_SPEC', 'beta');
    expectDroError(() => wald({ y: [1, 2, 3, 4], x: [1, 2, 3, 5], z: [0, 1, 2, 1] }), 'E_SPEC', 'z');
    const exact = tsls({ ...base, instruments: base.instruments.map((r) => [r[0]!]) });
    expectDroError(() => sargan(exact), 'E_SPEC', 'fit');
    expectDroError(() => new Eacs({ seed: 1 }).predict([[1, 2]]), 'E_SPEC', 'fit');
    expectDroError(
      () => selectIvlAlpha({ GX: base.exog, y: base.y, G: base.instruments, X: base.exog, seed: 1, rng: {} as never }),
      'E_SPEC',
      'rng',
    );
    expectDroError(() => liml({ ...base, fuller: 0 }), 'E_SPEC', 'fuller');
  });
  it('E_EMPTY for zero rows and empty environments', () => {
    expectDroError(() => ols({ X: [], y: [] }), 'E_EMPTY', 'y');
    const e = new Eacs({ seed: 1, mode: 'hard' });
    expectDroError(
      () =>
        e.fit([
          { X: [], y: [] },
          { X: [[1]], y: [1] },
        ]),
      'E_EMPTY',
      'train[0]',
    );
    expectDroError(() => e.fit([{ X: [[1]], y: [1] }]), 'E_EMPTY', 'train');
  });
  it('E_STATE_VERSION for a foreign kind or version', () => {
    const s = new Eacs({ seed: 1 }).getState();
    expectDroError(() => Eacs.fromState({ ...s, version: 99 } as never), 'E_STATE_VERSION');
    expectDroError(() => Eacs.fromState({ ...s, kind: 'causal.Drm' } as never), 'E_STATE_VERSION');
  });
});
