/**
 * Comparison-only code from the DRS authors' repository (`xiasong0501/DRS`). NOTHING here is a
 * certificate; it exists to reproduce published numbers and to document why they over-claim (§3.7).
 * No module of the package outside `src/legacy/` imports it.
 * @packageDocumentation
 */
import { normalQuantile } from '@drojs/dro-core';
import { checkCount, checkOneOf, checkPositive, checkProbability } from '../checks.js';

/**
 * NOT a certificate; for comparison with published numbers only. The authors' per-side radius
 * r_i = σ·Φ⁻¹(p_i), clamped to 0 when p_i < 1/2, combined as `'cifarSqrt'` → √(r_L² + r_R²) (their
 * CIFAR code) or `'imagenetSum'` → (r_L + r_R)/√2 (their ImageNet code). Both over-claim: the sqrt rule
 * only shows that one side still favours the class, and the clamp drops a negative term.
 */
export function legacyDrsRadius(
  pLLower: number,
  pRLower: number,
  sigma: number,
  variant: 'cifarSqrt' | 'imagenetSum',
): number {
  checkProbability(pLLower, 'pLLower');
  checkProbability(pRLower, 'pRLower');
  checkPositive(sigma, 'sigma');
  checkOneOf(variant, 'variant', ['cifarSqrt', 'imagenetSum'] as const);
  const r = (p: number) => (p < 0.5 ? 0 : sigma * normalQuantile(p));
  const rl = r(pLLower);
  const rr = r(pRLower);
  return variant === 'cifarSqrt' ? Math.sqrt(rl * rl + rr * rr) : (rl + rr) / Math.SQRT2;
}

/**
 * The authors' split pattern (`get_res_index()`): the checkerboard, except that the first two columns
 * of every row have the opposite phase to the rest (a counter quirk). Still a partition.
 */
export function authorsMasks(h: number, w: number): { left: number[][]; right: number[][] } {
  checkCount(h, 'h');
  checkCount(w, 'w');
  const left: number[][] = [];
  const right: number[][] = [];
  for (let i = 0; i < h; i++) {
    const l: number[] = [];
    for (let j = 0; j < w; j++) {
      const cbLeft = (i + j) % 2 === 0 ? 1 : 0;
      l.push(j < 2 ? cbLeft : 1 - cbLeft);
    }
    left.push(l);
    right.push(l.map((v) => 1 - v));
  }
  return { left, right };
}
