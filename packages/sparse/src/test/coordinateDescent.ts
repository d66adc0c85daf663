import { penalty } from '../penalty.js';
import type { PenaltyName } from '../types.js';

/**
 * An independent reference: cyclic coordinate descent (ncvreg's algorithm) for a Gaussian penalised fit on
 * the standardised scale (columns with mean 0 and 1/n variance 1, so each coordinate step is the penalty's
 * prox with step 1). Returns the standardised coefficients.
 */
export function coordinateDescent(
  X: number[][],
  y: number[],
  name: PenaltyName,
  lambda: number,
  o: { a?: number; gamma?: number; sweeps?: number } = {},
): Float64Array {
  const n = X.length;
  const p = X[0]!.length;
  const z: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += X[i]![j]!;
    m /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (X[i]![j]! - m) ** 2;
    const s = Math.sqrt(ss / n);
    z.push(Float64Array.from(X, (row) => (row[j]! - m) / s));
  }
  const ym = y.reduce((a, b) => a + b, 0) / n;
  const r = Float64Array.from(y, (v) => v - ym);
  const b = new Float64Array(p);
  const pen = penalty(name, { lambda, ...(o.a ? { a: o.a } : {}), ...(o.gamma ? { gamma: o.gamma } : {}) });
  for (let sweep = 0; sweep < (o.sweeps ?? 5000); sweep++) {
    let change = 0;
    for (let j = 0; j < p; j++) {
      const zj = z[j]!;
      let c = 0;
      for (let i = 0; i < n; i++) c += zj[i]! * r[i]!;
      const nb = pen.prox(c / n + b[j]!, 1);
      const d = nb - b[j]!;
      if (d !== 0) {
        for (let i = 0; i < n; i++) r[i] = r[i]! - d * zj[i]!;
        b[j] = nb;
        change = Math.max(change, Math.abs(d));
      }
    }
    if (change < 1e-15) break;
  }
  return b;
}
