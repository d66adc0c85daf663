// Test fixture shared by estimator.test.ts and statefulContract.test.ts (not part of the build).
import { createRng } from '@drojs/dro-core';

/** Three noisy Gaussian classes with the logits of a fixed linear map appended as features. */
export function smallProblem(seed: number, n: number, c = 3, dim = 6) {
  const rng = createRng(seed);
  const means = Array.from({ length: c }, () => Array.from({ length: dim }, () => 2 * rng.normal()));
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % c;
    y.push(k);
    x.push(means[k]!.map((m) => m + rng.normal()));
  }
  const logits = x.map((r) => means.map((m) => -0.5 * r.reduce((s, v, j) => s + (v - m[j]!) ** 2, 0)));
  return { x, y, logits };
}
