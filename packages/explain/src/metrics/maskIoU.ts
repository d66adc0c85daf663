import { checkOptions, DroError, describeValue, opt } from '@drojs/dro-core';
import { checkBinary, checkUnit, hostMaps, type MapInput, sameMapShape } from '../inputs.js';
import { rankValues } from './ranking.js';

/** Exactly one binarisation: a strict threshold, the top k pixels (or k = |gt|), or the soft IoU. */
export type IoUMode = { threshold: number } | { topK: number | 'match-gt' } | { soft: true };

/** Per-image IoU and its parts. */
export interface MaskIoUResult {
  iou: Float64Array;
  mean: number;
  intersection: Float64Array;
  union: Float64Array;
  /** Pixels selected (hard modes only). */
  selected?: Int32Array;
}

const OPTIONS = {
  threshold: opt.number(),
  topK: opt.custom("an integer ≥ 0 or 'match-gt'", (v, argument) => {
    if (v !== 'match-gt' && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
      throw new DroError('E_SPEC', `${argument} must be an integer ≥ 0 or 'match-gt'`, {
        argument,
        received: describeValue(v),
      });
    }
  }),
  soft: opt.custom('true', (v, argument) => {
    if (v !== true) throw new DroError('E_SPEC', `${argument} must be true`, { argument, received: describeValue(v) });
  }),
};

/**
 * Mask IoU against 0/1 ground truths `[B, H, W]` (host float64): `|A ∩ G| / |A ∪ G|`, 1 when both are empty.
 * `{threshold: t}` selects `map > t`; `{topK: k}` the first k pixels by value (ties by index); `{topK:
 * 'match-gt'}` k = |G_i|; `{soft: true}` is `Σ min(map, g) / Σ max(map, g)` for maps in [0, 1].
 */
export function maskIoU(map: MapInput, gt: MapInput, o: IoUMode): MaskIoUResult {
  const caller = 'maskIoU';
  const opts = checkOptions(o as Record<string, unknown>, OPTIONS, caller) as {
    threshold?: number;
    topK?: number | 'match-gt';
    soft?: true;
  };
  const given = ['threshold', 'topK', 'soft'].filter((k) => (opts as Record<string, unknown>)[k] !== undefined);
  if (given.length !== 1) {
    throw new DroError('E_SPEC', `${caller}: give exactly one of threshold, topK, soft`, {
      argument: 'o',
      received: given.length === 0 ? 'none' : given.join(', '),
    });
  }
  const a = hostMaps(map, 'map', caller);
  const g = hostMaps(gt, 'gt', caller);
  sameMapShape(a, g, 'gt', caller);
  checkBinary(g, 'gt', caller);
  const n = a.h * a.w;
  if (typeof opts.topK === 'number' && opts.topK > n) {
    throw new DroError('E_SPEC', `${caller}: topK exceeds the ${n} pixels of a map`, {
      argument: 'topK',
      expected: `0 ≤ topK ≤ ${n}`,
      received: String(opts.topK),
    });
  }
  if (opts.soft) checkUnit(a, 'map', caller);
  const iou = new Float64Array(a.b);
  const inter = new Float64Array(a.b);
  const union = new Float64Array(a.b);
  const selected = opts.soft ? undefined : new Int32Array(a.b);
  const sel = new Uint8Array(n);
  for (let i = 0; i < a.b; i++) {
    const off = i * n;
    let I = 0;
    let U = 0;
    if (opts.soft) {
      for (let p = 0; p < n; p++) {
        const m = a.data[off + p]!;
        const t = g.data[off + p]!;
        I += Math.min(m, t);
        U += Math.max(m, t);
      }
    } else {
      sel.fill(0);
      if (opts.threshold !== undefined) {
        for (let p = 0; p < n; p++) if (a.data[off + p]! > opts.threshold) sel[p] = 1;
      } else {
        let k = 0;
        if (opts.topK === 'match-gt') for (let p = 0; p < n; p++) k += g.data[off + p]!;
        else k = opts.topK as number;
        const order = rankValues(a.data, off, n);
        for (let j = 0; j < k; j++) sel[order[j]!] = 1;
      }
      let count = 0;
      for (let p = 0; p < n; p++) {
        const s = sel[p]!;
        const t = g.data[off + p]!;
        count += s;
        if (s && t) I += 1;
        if (s || t) U += 1;
      }
      selected![i] = count;
    }
    inter[i] = I;
    union[i] = U;
    iou[i] = U === 0 ? 1 : I / U;
  }
  let mean = 0;
  for (const v of iou) mean += v;
  return { iou, mean: mean / a.b, intersection: inter, union, ...(selected ? { selected } : {}) };
}
