import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelFromJson, runners } from './conformance/index.js';
import { paperLinearMdp, trapMdp } from './models.js';

type Case = Record<string, unknown> & { id: string };
const data = JSON.parse(readFileSync(new URL('../vectors/robust-rl.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;
const tol = (data._meta as { tolerances: { host_float64: { rel: number; abs: number } } }).tolerances.host_float64;
const keys = Object.keys(data).filter((k) => k !== '_meta');

describe('robust-rl vectors', () => {
  for (const key of keys) {
    it(`passes every ${key} case`, () => {
      const cases = data[key] as Case[];
      expect(cases.length).toBeGreaterThan(0);
      const failures = cases.map((c) => [c.id, runners[key]!(c, tol)]).filter(([, m]) => m !== null);
      expect(failures).toEqual([]);
    });
  }

  it('fails corrupted copies (one expected value changed per key)', () => {
    const bump = (c: Case): Case => {
      const copy = structuredClone(c);
      const e = copy.expected as Record<string, unknown>;
      // Change the first number found in the expected object.
      const visit = (x: unknown): boolean => {
        if (Array.isArray(x)) {
          for (let i = 0; i < x.length; i++) {
            if (typeof x[i] === 'number') {
              x[i] = (x[i] as number) + 1e-6 * (1 + Math.abs(x[i] as number));
              return true;
            }
            if (visit(x[i])) return true;
          }
          return false;
        }
        if (x && typeof x === 'object') {
          for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
            if (typeof v === 'number') {
              (x as Record<string, unknown>)[k] = v + 1e-6 * (1 + Math.abs(v));
              return true;
            }
            if (visit(v)) return true;
          }
        }
        return false;
      };
      expect(visit(e)).toBe(true);
      return copy;
    };
    for (const key of keys) {
      const c = bump((data[key] as Case[])[0]!);
      expect(runners[key]!(c, tol), key).not.toBeNull();
    }
  });

  it('the built-in trap and paper models equal the vectors’ models', () => {
    const trap = (data.robust_dp as Case[]).find((c) => c.id.startsWith('tabular_trap'))!;
    expect(trapMdp()).toEqual(modelFromJson(trap.model as never));
    const paper = (data.robust_dp as Case[]).find((c) => c.id.startsWith('paper_linear'))!;
    const m = modelFromJson(paper.model as never);
    const mine = paperLinearMdp(0);
    expect(mine.mu).toEqual(m.mu);
    expect(mine.theta).toEqual(m.theta);
    mine.phi.flat(3).forEach((v, k) => expect(Math.abs(v - m.phi.flat(3)[k]!)).toBeLessThan(1e-15));
  });
});
