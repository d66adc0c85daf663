/** Evaluators of the `ridge` and `sherman_morrison` cases (dro-core host linear algebra). */
import { findMismatch } from '@drojs/dro-core/conformance';
import { cholesky, quadForm, ridge, shermanMorrison } from '@drojs/dro-core/host';
import { type CaseRunner, rows } from './shared.js';

export const ridgeCase: CaseRunner = (c, tol) => {
  const phi = c.phi as number[][];
  const d = phi[0]!.length;
  const r = ridge(phi, c.y as number[], c.gamma as number);
  const e = c.expected as { lambda_inv: number[][]; w: number[]; cholesky: number[][]; quad_forms: number[] };
  const A = new Float64Array(d * d);
  for (const f of phi) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) A[i * d + j]! += f[i]! * f[j]!;
  for (let i = 0; i < d; i++) A[i * d + i]! += c.gamma as number;
  const L = cholesky(A, d);
  return (
    findMismatch(rows(r.lambdaInv, d), e.lambda_inv, tol, 'lambda_inv') ??
    findMismatch(Array.from(r.w), e.w, tol, 'w') ??
    findMismatch(rows(L, d), e.cholesky, tol, 'cholesky') ??
    findMismatch(
      (c.query as number[][]).map((q) => quadForm(r.lambdaInv, q)),
      e.quad_forms,
      tol,
      'quad_forms',
    )
  );
};

export const shermanMorrisonCase: CaseRunner = (c, tol) => {
  const rs = c.rows as number[][];
  const d = rs[0]!.length;
  let inv: Float64Array = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1 / (c.gamma as number);
  const got = rs.map((u) => {
    inv = shermanMorrison(inv, u);
    return rows(inv, d);
  });
  return findMismatch(got, (c.expected as { inverses: number[][][] }).inverses, tol, 'inverses');
};
