import { arr, fail, int, num } from '../check.js';

/** Shared budget checks of the allocators: safe integers, 1 ≤ nMin ≤ nMax, P·nMin ≤ total ≤ P·nMax. */
export function checkBudget(P: number, total: unknown, nMin: unknown, nMax: unknown): [number, number, number] {
  const t = int(total, 'total');
  const lo = int(nMin, 'nMin', 1);
  const hi = int(nMax, 'nMax', 1);
  if (lo > hi) fail('E_SPEC', 'nMin', 'must not exceed nMax', `≤ ${hi}`, lo);
  if (P * lo > t || t > P * hi)
    fail('E_SPEC', 'total', 'is infeasible for the prompt count', `${P * lo} ≤ total ≤ ${P * hi} for ${P} prompts`, t);
  return [t, lo, hi];
}

/**
 * Per-prompt integer rollout counts summing exactly to `total` (§6.4): floors of the bin targets clamped to
 * [nMin, nMax], then ±1 by largest (smallest) fractional part, ties by bin then prompt index.
 */
export function integerizeAllocation(
  promptBins: readonly number[],
  targets: readonly number[],
  total: number,
  nMin: number,
  nMax: number,
): number[] {
  const tg = arr(targets, 'targets').map((v, i) => num(v, `targets[${i}]`));
  const pb = arr(promptBins, 'promptBins').map((v, i) => {
    const b = int(v, `promptBins[${i}]`);
    if (b < 0 || b >= tg.length)
      fail('E_LABEL_RANGE', `promptBins[${i}]`, 'is not an index into targets', `0 ≤ b < ${tg.length}`, b);
    return b;
  });
  const P = pb.length;
  const [t, lo, hi] = checkBudget(P, total, nMin, nMax);
  const count = new Array<number>(P);
  const key = new Array<number>(P);
  let R = t;
  for (let i = 0; i < P; i++) {
    const x = tg[pb[i] as number] as number;
    const fl = Math.floor(x + 1e-12);
    count[i] = Math.min(hi, Math.max(lo, fl));
    key[i] = Math.round((x - fl) * 1e12);
    R -= count[i] as number;
  }
  const idx = Array.from({ length: P }, (_, i) => i);
  if (R > 0) {
    idx.sort((a, b) => key[b]! - key[a]! || pb[a]! - pb[b]! || a - b);
    while (R > 0) {
      for (const i of idx) {
        if (R === 0) break;
        if (count[i]! < hi) {
          count[i]! += 1;
          R--;
        }
      }
    }
  } else if (R < 0) {
    idx.sort((a, b) => key[a]! - key[b]! || pb[b]! - pb[a]! || b - a);
    while (R < 0) {
      for (const i of idx) {
        if (R === 0) break;
        if (count[i]! > lo) {
          count[i]! -= 1;
          R++;
        }
      }
    }
  }
  return count;
}
