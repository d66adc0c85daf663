import { arr, fail, num } from '../check.js';
import { checkBudget } from './integerize.js';

/**
 * The released fallback allocator (§6.5): everyone gets nMin, the remainder is split proportionally to the
 * weights (all zero → equal), floored, then the leftover goes by fractional part (stable ties), then greedily.
 */
export function proportionalExtraAllocation(
  weights: readonly number[],
  total: number,
  nMin: number,
  nMax: number,
): number[] {
  const w0 = arr(weights, 'weights').map((v, i) => {
    const x = num(v, `weights[${i}]`);
    if (x < 0) fail('E_LABEL_RANGE', `weights[${i}]`, 'must be ≥ 0', '≥ 0', x);
    return x;
  });
  const P = w0.length;
  const [t, lo, hi] = checkBudget(P, total, nMin, nMax);
  const rem = t - P * lo;
  let w: number[];
  if (w0.every((x) => x === 0)) w = w0.map(() => 1);
  else w = w0.map((x) => Math.max(x, 1e-8));
  let s = 0;
  for (const x of w) s += x;
  w = w.map((x) => x / s);
  const cap = hi - lo;
  const raw = w.map((x) => Math.min(x * rem, cap));
  const extra = raw.map((x) => Math.floor(x));
  let left = rem;
  for (const e of extra) left -= e;
  if (left > 0) {
    const order = Array.from({ length: P }, (_, i) => i).sort((a, b) => {
      const fa = raw[a]! - extra[a]!;
      const fb = raw[b]! - extra[b]!;
      return fb !== fa ? fb - fa : a - b;
    });
    for (const i of order) {
      if (left === 0) break;
      if (extra[i]! < cap) {
        extra[i]! += 1;
        left--;
      }
    }
    for (let i = 0; i < P && left > 0; i++) {
      const add = Math.min(cap - extra[i]!, left);
      extra[i]! += add;
      left -= add;
    }
  }
  if (left !== 0) fail('E_SPEC', 'total', 'cannot be met within the caps', `≤ ${P * hi}`, t);
  return extra.map((e) => lo + e);
}
