import { checkOptions, opt } from '@drojs/dro-core';
import { checkBinary, hostMaps, type MapInput, sameMapShape } from '../inputs.js';

/**
 * Pointing game (Zhang et al. 2016) with split ties: the share of the map's maxima that fall within `tolerance`
 * pixels (Euclidean, pixel centres) of the ground truth. `null` for an image with an empty ground truth, left out
 * of the mean (`null` when no image is evaluated).
 */
export function pointingGame(
  map: MapInput,
  gt: MapInput,
  o?: { tolerance?: number },
): { scores: (number | null)[]; numMax: Int32Array; mean: number | null; evaluated: number } {
  const caller = 'pointingGame';
  const opts = checkOptions(o, { tolerance: opt.number({ min: 0 }) }, caller);
  const r = opts.tolerance ?? 0;
  const a = hostMaps(map, 'map', caller);
  const g = hostMaps(gt, 'gt', caller);
  sameMapShape(a, g, 'gt', caller);
  checkBinary(g, 'gt', caller);
  const { h, w } = a;
  const n = h * w;
  const scores: (number | null)[] = [];
  const numMax = new Int32Array(a.b);
  let sum = 0;
  let evaluated = 0;
  const r2 = r * r;
  for (let i = 0; i < a.b; i++) {
    const off = i * n;
    let best = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < n; p++) best = Math.max(best, a.data[off + p]!);
    const maxima: number[] = [];
    for (let p = 0; p < n; p++) if (a.data[off + p] === best) maxima.push(p);
    numMax[i] = maxima.length;
    const gts: number[] = [];
    for (let p = 0; p < n; p++) if (g.data[off + p] === 1) gts.push(p);
    if (gts.length === 0) {
      scores.push(null);
      continue;
    }
    let hits = 0;
    for (const p of maxima) {
      const pr = Math.floor(p / w);
      const pc = p % w;
      if (gts.some((q) => (Math.floor(q / w) - pr) ** 2 + ((q % w) - pc) ** 2 <= r2)) hits += 1;
    }
    const s = hits / maxima.length;
    scores.push(s);
    sum += s;
    evaluated += 1;
  }
  return { scores, numMax, mean: evaluated > 0 ? sum / evaluated : null, evaluated };
}
