/** Evaluator of the `factor_estimators` cases. */
import { findMismatch } from '@drojs/dro-core/conformance';
import { factorEstimate } from '../estimators.js';
import { type CaseRunner, specOf } from './shared.js';

export const factorEstimatorsCase: CaseRunner = (c, tol) => {
  const r = factorEstimate(c.phi as number[][], c.next_values as number[], {
    ...specOf(c),
    ridge: c.gamma as number,
    vMin: c.v_min as 'data' | number,
    ...(c.v_hi === null ? {} : { vHi: c.v_hi as number }),
    normalize: c.normalize as boolean,
  });
  return findMismatch(Array.from(r.nu), (c.expected as { nu: number[] }).nu, tol, 'nu');
};
