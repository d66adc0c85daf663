/** Row means ā_k of |x_k − x_l| and the grand mean ā. @internal */
export function distanceMeans(x: ArrayLike<number>): { rowMean: Float64Array; grand: number } {
  const n = x.length;
  const rowMean = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const xk = x[k]!;
    let s = 0;
    for (let l = 0; l < n; l++) s += Math.abs(xk - x[l]!);
    rowMean[k] = s / n;
  }
  let g = 0;
  for (let k = 0; k < n; k++) g += rowMean[k]!;
  return { rowMean, grand: g / n };
}

/** Σ_kl A_kl B_kl and Σ_kl A_kl² with the double-centred distance matrices recomputed on the fly. @internal */
export function centredProducts(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  mx: { rowMean: Float64Array; grand: number },
  my: { rowMean: Float64Array; grand: number },
): { ab: number; aa: number } {
  const n = x.length;
  let ab = 0;
  let aa = 0;
  const ax = mx.rowMean;
  const by = my.rowMean;
  for (let k = 0; k < n; k++) {
    const xk = x[k]!;
    const yk = y[k]!;
    const ck = mx.grand - ax[k]!;
    const dk = my.grand - by[k]!;
    let sab = 0;
    let saa = 0;
    for (let l = 0; l < n; l++) {
      const A = Math.abs(xk - x[l]!) - ax[l]! + ck;
      const B = Math.abs(yk - y[l]!) - by[l]! + dk;
      sab += A * B;
      saa += A * A;
    }
    ab += sab;
    aa += saa;
  }
  return { ab, aa };
}

/** dCor from the sums (V-statistic; clamp at 0; 0 when a distance variance is 0). @internal */
export function dcorFromSums(ab: number, aa: number, bb: number, n: number): number {
  const n2 = n * n;
  const v = (aa / n2) * (bb / n2);
  if (!(v > 0)) return 0;
  return Math.sqrt(Math.max(0, ab / n2 / Math.sqrt(v)));
}
