import { checkOptions, checkSeed, createRng, DroError, opt, Rng } from '@drojs/dro-core';
import { resizeMatrix } from '../resize.js';

/** Top-left corners (row, column) of the ten 4×4 patch slots: class c ↦ SHORTCUT_SLOTS[c]. */
export const SHORTCUT_SLOTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 8],
  [0, 16],
  [0, 24],
  [24, 0],
  [24, 8],
  [24, 16],
  [24, 24],
  [12, 0],
  [12, 24],
];

/** The planted-shortcut data set of spec §10.1. */
export interface ShortcutData {
  /** `[n, 28, 28, 1]` canvases, row-major. */
  x: Float32Array;
  labels: Int32Array;
  /** `[n, 28, 28]` 0/1: canvas pixels > 0.1 of the item. */
  objectMask: Uint8Array;
  /** `[n, 28, 28]` 0/1: the 16 patch pixels (all 0 for mode `'none'`). */
  patchMask: Uint8Array;
  /** The slot of each patch, −1 for `'none'`. */
  slot: Int32Array;
}

const OPTIONS = {
  mode: opt.oneOf(['aligned', 'random', 'none'] as const).require(),
  pCorrelated: opt.number({ min: 0, max: 1 }),
  seed: opt.seed(),
  rng: opt.custom('an Rng', (v, argument) => {
    if (!(v instanceof Rng)) throw new DroError('E_SPEC', `${argument} must be an Rng`, { argument });
  }),
};

const SIDE = 28;
const ITEM = 20;
const PATCH = 4;

/**
 * Fashion-MNIST with a planted shortcut (spec §10.1): each 28×28 item is resized to 20×20 by the bilinear
 * matrices and placed at rows/columns 4…23 of a black canvas; a white 4×4 patch is drawn at a border slot —
 * the label's slot (`'aligned'`, with probability `pCorrelated`, else a uniform slot), a uniform slot
 * (`'random'`) or none. `images` are uint8 (divided by 255) or floats already in [0, 1], 784 per image.
 */
export function shortcutFashionMnist(
  images: Uint8Array | Float32Array | Float64Array,
  labels: ArrayLike<number>,
  o: { mode: 'aligned' | 'random' | 'none'; pCorrelated?: number; seed?: number | string; rng?: Rng },
): ShortcutData {
  const caller = 'shortcutFashionMnist';
  const opts = checkOptions(o, OPTIONS, caller);
  if (opts.seed !== undefined && opts.rng !== undefined) {
    throw new DroError('E_SPEC', `${caller}: give seed or rng, not both`, { argument: 'rng' });
  }
  const n = labels.length;
  if (n === 0) throw new DroError('E_EMPTY', `${caller}: no images`, { argument: 'labels' });
  if (images.length !== n * SIDE * SIDE) {
    throw new DroError('E_SHAPE', `${caller}: images must hold 784 values per label`, {
      argument: 'images',
      expected: `${n * SIDE * SIDE}`,
      received: `${images.length}`,
    });
  }
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0 || l > 9) {
      throw new DroError('E_LABEL_RANGE', `${caller}: labels must be integers in [0, 10)`, {
        argument: 'labels',
        received: String(l),
      });
    }
  }
  const rng = opts.rng ?? createRng(checkSeed(opts.seed ?? 0));
  const p = opts.pCorrelated ?? 1;
  const scale = images instanceof Uint8Array ? 1 / 255 : 1;
  const a = resizeMatrix(SIDE, ITEM, 'bilinear');
  const x = new Float32Array(n * SIDE * SIDE);
  const objectMask = new Uint8Array(n * SIDE * SIDE);
  const patchMask = new Uint8Array(n * SIDE * SIDE);
  const slot = new Int32Array(n);
  const tmp = new Float64Array(SIDE * ITEM);
  const off0 = (SIDE - ITEM) / 2;
  for (let i = 0; i < n; i++) {
    const src = i * SIDE * SIDE;
    // tmp = X·Aᵀ (rows 28, cols 20), then item = A·tmp.
    for (let r = 0; r < SIDE; r++) {
      for (let c = 0; c < ITEM; c++) {
        let s = 0;
        for (let k = 0; k < SIDE; k++) s += images[src + r * SIDE + k]! * scale * a[c * SIDE + k]!;
        tmp[r * ITEM + c] = s;
      }
    }
    for (let r = 0; r < ITEM; r++) {
      for (let c = 0; c < ITEM; c++) {
        let s = 0;
        for (let k = 0; k < SIDE; k++) s += a[r * SIDE + k]! * tmp[k * ITEM + c]!;
        const at = src + (r + off0) * SIDE + c + off0;
        x[at] = s;
        objectMask[at] = s > 0.1 ? 1 : 0;
      }
    }
    let sl = -1;
    if (opts.mode === 'aligned') sl = p >= 1 || rng.uniform() < p ? labels[i]! : rng.int(10);
    else if (opts.mode === 'random') sl = rng.int(10);
    slot[i] = sl;
    if (sl >= 0) {
      const [r0, c0] = SHORTCUT_SLOTS[sl]!;
      for (let r = r0; r < r0 + PATCH; r++) {
        for (let c = c0; c < c0 + PATCH; c++) {
          x[src + r * SIDE + c] = 1;
          patchMask[src + r * SIDE + c] = 1;
        }
      }
    }
  }
  return { x, labels: Int32Array.from(labels), objectMask, patchMask, slot };
}
