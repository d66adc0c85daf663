import { type Mat, matmul, zeros } from '../linalg/matrix.js';

/**
 * HC0 (White) sandwich B⁻¹(Σᵢ eᵢ² xᵢxᵢ')B⁻¹ over the rows xᵢ of `X` and their residuals `e`. The k-class
 * robust covariance (X = X̃) and the first-stage robust Wald statistic (X = Z) both use it.
 */
export function hc0Sandwich(Binv: Mat, X: Mat, e: ArrayLike<number>): Mat {
  const p = X.cols;
  const meat = zeros(p, p);
  for (let i = 0; i < X.rows; i++) {
    const w = e[i]! * e[i]!;
    for (let a = 0; a < p; a++) {
      const xa = X.data[i * p + a]! * w;
      for (let b = 0; b < p; b++) meat.data[a * p + b]! += xa * X.data[i * p + b]!;
    }
  }
  return matmul(matmul(Binv, meat), Binv);
}
