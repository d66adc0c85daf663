/**
 * |Pearson correlation| by two passes (centre first; the one-pass Σxy − n·x̄ȳ cancels for columns with
 * large means). Returns NaN when either variance is zero (callers decide). @internal
 */
export function pearsonAbsRaw(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i]! - mx;
    const b = y[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return Math.abs(sxy) / Math.sqrt(sxx * syy);
}
