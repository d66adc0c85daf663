/**
 * Per-step shares of the rollouts at each difficulty level, smoothed by a trailing moving average of `smooth`
 * steps so the sampling mix reads as a trend, not as per-step noise. Row i of the result sums to 1.
 */
export function mixShares(rows: number[][], smooth = 5): number[][] {
  const shares = rows.map((r) => {
    const t = r.reduce((a, b) => a + b, 0) || 1;
    return r.map((x) => x / t);
  });
  const k = shares[0]?.length ?? 0;
  return shares.map((_, i) => {
    const lo = Math.max(0, i - smooth + 1);
    const acc = new Array<number>(k).fill(0);
    for (let j = lo; j <= i; j++) shares[j]!.forEach((x, c) => (acc[c]! += x));
    return acc.map((x) => x / (i - lo + 1));
  });
}
