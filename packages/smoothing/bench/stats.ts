/**
 * Statistics timing (`pnpm exec tsx bench/stats.ts`): one-sided Clopper–Pearson bounds and the exact ½
 * decision per call, at n from 10² to 2³¹ − 1, k at n/2 + 5√n (a typical certificate near the middle) and
 * k = n − 5 (near unanimity), alpha = 10⁻³. Median of 5 rounds; prints a markdown table.
 */
import { clopperPearsonLower, clopperPearsonUpper } from '../src/stats/clopperPearson.js';
import { compareLowerToHalf } from '../src/stats/halfTie.js';

function timeIt(f: () => void): number {
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    let reps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 50) {
      f();
      reps++;
    }
    rounds.push((performance.now() - t0) / reps);
  }
  rounds.sort((a, b) => a - b);
  return rounds[2] as number;
}

console.log('| n | k | lower (ms) | upper (ms) | ½ decision (ms) |');
console.log('| --- | --- | --- | --- | --- |');
for (const n of [100, 10_000, 1_000_000, 2 ** 31 - 1]) {
  for (const k of [Math.floor(n / 2 + 5 * Math.sqrt(n)), n - 5]) {
    const lo = timeIt(() => clopperPearsonLower(k, n, 1e-3));
    const up = timeIt(() => clopperPearsonUpper(k, n, 1e-3));
    const half = timeIt(() => compareLowerToHalf(k, n, 1e-3));
    console.log(`| ${n} | ${k} | ${lo.toFixed(4)} | ${up.toFixed(4)} | ${half.toFixed(4)} |`);
  }
}
