import { createRng } from '@drojs/dro-core/host';
import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { liml } from './liml.js';
import { screenInstruments } from './screenInstruments.js';
import { tsls } from './tsls.js';

/**
 * 200 candidate instruments, 3 relevant (columns 7, 88, 161), one endogenous regressor whose error is
 * correlated with the outcome's (so OLS is biased), true slope 2.
 */
function design(n: number, seed: number) {
  const rng = createRng(seed);
  const p = 200;
  const relevant = [7, 88, 161];
  const z = Array.from({ length: n }, () => Array.from({ length: p }, () => rng.normal()));
  const x: number[] = [];
  const y: number[] = [];
  for (const row of z) {
    const v = rng.normal();
    const xi = 0.7 * (row[7]! + row[88]! - row[161]!) + v;
    x.push(xi);
    y.push(1 + 2 * xi + 0.8 * v + 0.6 * rng.normal());
  }
  return { z, x, y, relevant, beta: 2 };
}

const D = design(500, 11);
const sorted = (a: readonly number[]) => [...a].sort((u, v) => u - v);

describe('screenInstruments', () => {
  it.each(['mi-kde', 'pearson', 'dcor'] as const)('%s keeps the 3 relevant of 200 candidates', (method) => {
    const r = screenInstruments({ instruments: D.z, endog: D.x, keep: 3, method });
    expect(sorted(r.kept)).toEqual(D.relevant);
    expect(r.method).toBe(method);
    expect(r.candidates).toBe(200);
    expect(r.instruments.cols).toBe(3);
    expect(r.instruments.rows).toBe(500);
    // The reduced matrix holds the kept columns, in `kept` order.
    expect(r.instruments.data[0]).toBe(D.z[0]![r.kept[0]!]);
    expect(r.instruments.data[2]).toBe(D.z[0]![r.kept[2]!]);
    expect(r.scores[0]).toBeGreaterThanOrEqual(r.scores[2]!);
    expect(r.screenRows).toBeNull();
  });
  it('split: disjoint row sets covering all rows, seeded', () => {
    const r = screenInstruments({ instruments: D.z, endog: D.x, keep: 3, split: 0.4, seed: 3 });
    const all = sorted([...r.screenRows!, ...r.fitRows!]);
    expect(all).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(r.screenRows!.length).toBe(200);
    expect(sorted(r.kept)).toEqual(D.relevant);
    const again = screenInstruments({ instruments: D.z, endog: D.x, keep: 3, split: 0.4, seed: 3 });
    expect(again.fitRows).toEqual(r.fitRows);
  });
  it('rejects unknown and bad options', () => {
    const a = { instruments: D.z, endog: D.x };
    expectDroError(() => screenInstruments({ ...a, keep: 3, methd: 'pearson' } as never), 'E_SPEC', 'methd');
    expectDroError(() => screenInstruments({ ...a } as never), 'E_SPEC');
    expectDroError(() => screenInstruments({ ...a, keep: 201 }), 'E_SPEC', 'keep');
    expectDroError(() => screenInstruments({ ...a, keep: 3, split: 1.5 }), 'E_SPEC');
    expectDroError(() => screenInstruments({ ...a, keep: 3, method: 'mi' as never }), 'E_SPEC');
    expectDroError(() => screenInstruments({ instruments: D.z, endog: D.x.slice(1), keep: 3 }), 'E_SHAPE');
  });
});

describe('screening given controls', () => {
  // A decoy candidate that tracks a control w: strongly related to x marginally, irrelevant given w.
  const rng = createRng(5);
  const w = D.x.map(() => rng.normal());
  const z = D.z.map((row, i) => row.map((v, j) => (j === 42 ? w[i]! + 0.3 * rng.normal() : v)));
  const x = D.x.map((v, i) => v + 1.5 * w[i]!);
  const y = D.y.map((v, i) => v + 2 * 1.5 * w[i]! + 0.5 * w[i]!);
  it('without exog the decoy is kept; with exog only the relevant instruments are', () => {
    expect(screenInstruments({ instruments: z, endog: x, keep: 3, method: 'pearson' }).kept).toContain(42);
    const r = screenInstruments({ instruments: z, endog: x, exog: w, keep: 3, method: 'pearson' });
    expect(sorted(r.kept)).toEqual(D.relevant);
  });
  it('tsls partials the controls out before screening and fits close to the truth', () => {
    const fit = tsls({ y, endog: x, exog: w, instruments: z, screen: { keep: 3, split: true } });
    expect(sorted(fit.screening!.kept)).toEqual(D.relevant);
    expect(Math.abs(fit.params[2]! - D.beta)).toBeLessThan(0.2);
  });
});

describe('tsls / liml with screen', () => {
  it('tsls on the screened instruments is close to the truth and names them', () => {
    const fit = tsls({ y: D.y, endog: D.x, instruments: D.z, screen: { keep: 3 } });
    expect(Math.abs(fit.params[1]! - D.beta)).toBeLessThan(0.15);
    expect(sorted(fit.screening!.kept)).toEqual(D.relevant);
    expect([...fit.screening!.names].sort()).toEqual(['z161', 'z7', 'z88']);
    expect(fit.firstStage![0]!.coef).toHaveLength(4);
    expect(fit.summary()).toContain('3 of 200 kept by mi-kde');
    expect((fit.toJSON() as { screening?: unknown }).screening).toBe(fit.screening);
    // Against all 200 instruments: many weak instruments pull 2SLS towards OLS.
    const all = tsls({ y: D.y, endog: D.x, instruments: D.z });
    expect(Math.abs(fit.params[1]! - D.beta)).toBeLessThan(Math.abs(all.params[1]! - D.beta));
  });
  it('given instrument names, split rows, cluster groups follow the split', () => {
    const names = Array.from({ length: 200 }, (_, j) => `cand${j}`);
    const groups = D.y.map((_, i) => i % 25);
    const fit = liml({
      y: D.y,
      endog: D.x,
      instruments: D.z,
      names: { instruments: names },
      covType: { type: 'cluster', groups },
      screen: { keep: 3, method: 'pearson', split: true, seed: 1 },
    });
    expect(fit.method).toBe('liml');
    expect(fit.nobs).toBe(250);
    expect(fit.screening!.fitRows).toHaveLength(250);
    expect([...fit.screening!.names].sort()).toEqual(['cand161', 'cand7', 'cand88']);
    expect(Math.abs(fit.params[1]! - D.beta)).toBeLessThan(0.2);
  });
  it('rejects unknown screen options by name', () => {
    const a = { y: D.y, endog: D.x, instruments: D.z };
    expectDroError(() => tsls({ ...a, screen: { keep: 3, methd: 'dcor' } as never }), 'E_SPEC', 'methd');
    expectDroError(() => liml({ ...a, screen: { kep: 3 } as never }), 'E_SPEC', 'kep');
    expectDroError(() => tsls({ ...a, screen: { keep: 0 } }), 'E_SPEC');
    expectDroError(() => tsls({ ...a, screen: { keep: 201 } }), 'E_SPEC', 'screen.keep');
    expectDroError(() => tsls({ ...a, scren: { keep: 3 } } as never), 'E_SPEC', 'scren');
  });
});
