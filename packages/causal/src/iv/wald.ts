import { DroError } from '@drojs/dro-core';
import { checkArgs } from '../args.js';
import { checkRows, toVec, type Vector } from '../hostData.js';
import { tsls } from './tsls.js';
import type { CovType } from './types.js';

/**
 * Wald estimator for a binary instrument with any coding (numbers or booleans):
 * (ȳ_hi − ȳ_lo)/(x̄_hi − x̄_lo), "hi" the larger value. Equals the 2SLS slope of y on [1, x] with
 * instruments [1, z]; the standard error comes from that fit.
 */
export function wald(a: { y: Vector; x: Vector; z: Vector | boolean[]; covType?: CovType; debiased?: boolean }): {
  estimate: number;
  stdError: number;
  levels: [number, number];
  reducedForm: number;
  firstStage: number;
} {
  checkArgs(a, ['y', 'x', 'z', 'covType', 'debiased'], 'wald');
  const y = toVec(a.y, 'y', 'wald');
  const x = toVec(a.x, 'x', 'wald');
  checkRows(x.length, y.length, 'x', 'y');
  const zin = a.z as unknown;
  const zNum = Array.isArray(zin) && typeof zin[0] === 'boolean' ? (zin as boolean[]).map((b) => (b ? 1 : 0)) : zin;
  const z = toVec(zNum, 'z', 'wald');
  checkRows(z.length, y.length, 'z', 'y');
  const values = Array.from(new Set(z)).sort((p, q) => p - q);
  if (values.length !== 2) {
    throw new DroError('E_SPEC', `z must take exactly two distinct values, it takes ${values.length}`, {
      argument: 'z',
      expected: 'a binary instrument',
      received: `${values.length} distinct values`,
    });
  }
  const [lo, hi] = values as [number, number];
  let ny = [0, 0];
  const sy = [0, 0];
  const sx = [0, 0];
  ny = [0, 0];
  for (let i = 0; i < y.length; i++) {
    const k = z[i] === hi ? 1 : 0;
    ny[k]!++;
    sy[k]! += y[i]!;
    sx[k]! += x[i]!;
  }
  const reducedForm = sy[1]! / ny[1]! - sy[0]! / ny[0]!;
  const first = sx[1]! / ny[1]! - sx[0]! / ny[0]!;
  if (first === 0)
    throw new DroError('E_RANK', 'x has the same mean at both instrument values (zero first stage)', { argument: 'z' });
  const fit = tsls({
    y,
    endog: { rows: x.length, cols: 1, data: x },
    instruments: { rows: z.length, cols: 1, data: z.map((v) => (v === hi ? 1 : 0)) },
    covType: a.covType,
    debiased: a.debiased,
  });
  return {
    estimate: reducedForm / first,
    stdError: fit.stdErrors[1]!,
    levels: [lo, hi],
    reducedForm,
    firstStage: first,
  };
}
