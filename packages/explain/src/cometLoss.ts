import { type Classifier, checkOptions, DroError, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { compositeCore } from './composite.js';
import { type Fill, fillInput, imageInput, labelsInput, logitsInput } from './inputs.js';
import { type MaskMode, maskCore, maskModeRule } from './mask.js';
import { checkCallable, runNet, type TrainableNet } from './nets.js';
import { type UpsampleMode, upsampleRule } from './resize.js';

/** Options of the COMET objective (defaults from the authors' code, spec §9). */
export interface CometLossOptions {
  /** `'hinge'`: `c·max(ℓ_P − ℓ_D + gap, 0)` (code, default); `'linear'`: `−c·ℓ_D` (the paper's `−a·L_D`). */
  completeness?: 'hinge' | 'linear';
  /** c (hinge) or a (linear); default 4. */
  completenessWeight?: number;
  /** The hinge's margin; default 2. */
  gap?: number;
  /** w_P, the sufficiency weight; default 1. */
  predictorWeight?: number;
  /** M, the area hinge weight; default 100. */
  areaWeight?: number;
  /** τ ∈ [0, 1], the free mask area; default 0.6. */
  areaThreshold?: number;
  /** λ_tv, total variation weight; default 0. */
  tvWeight?: number;
  /** Default `'bilinear'`. */
  upsample?: UpsampleMode;
  /** Default `'soft'`. */
  maskMode?: MaskMode;
  /** The fill q; default 0 in the model's input space. */
  fill?: Fill;
}

/** Every field is a tensor the caller owns (dispose, or call inside tf.tidy). */
export interface CometLossTensors {
  total: tf.Scalar;
  sufficiency: tf.Scalar;
  complement: tf.Scalar;
  completenessTerm: tf.Scalar;
  /** `ℓ_P − ℓ_D + gap` (hinge); null for the linear form. */
  completenessArg: tf.Scalar | null;
  areaTerm: tf.Scalar;
  tvTerm: tf.Scalar;
  area: tf.Tensor1D;
  tv: tf.Tensor1D;
  mask: tf.Tensor3D;
}

/** Host numbers of the loss terms. */
export interface CometTerms {
  sufficiency: number;
  complement: number;
  completenessArg: number | null;
  completenessActive: boolean;
  completenessTerm: number;
  area: Float64Array;
  areaTerm: number;
  tv: Float64Array;
  tvTerm: number;
  total: number;
}

const nonNeg = () => opt.number({ min: 0 });

/** The option schema of {@link cometLoss} (the trainer extends it). @internal */
export const LOSS_OPTIONS = {
  completeness: opt.oneOf(['hinge', 'linear'] as const),
  completenessWeight: nonNeg(),
  gap: nonNeg(),
  predictorWeight: nonNeg(),
  areaWeight: nonNeg(),
  areaThreshold: opt.number({ min: 0, max: 1 }),
  tvWeight: nonNeg(),
  upsample: upsampleRule,
  maskMode: maskModeRule,
  fill: opt.any(),
};

/** Every loss option with its default. @internal */
export interface ResolvedLossOptions {
  completeness: 'hinge' | 'linear';
  completenessWeight: number;
  gap: number;
  predictorWeight: number;
  areaWeight: number;
  areaThreshold: number;
  tvWeight: number;
  upsample: UpsampleMode;
  maskMode: MaskMode;
  fill: Fill;
}

/** Applies the defaults of spec §9. @internal */
export function resolveLossOptions(o: CometLossOptions): ResolvedLossOptions {
  return {
    completeness: o.completeness ?? 'hinge',
    completenessWeight: o.completenessWeight ?? 4,
    gap: o.gap ?? 2,
    predictorWeight: o.predictorWeight ?? 1,
    areaWeight: o.areaWeight ?? 100,
    areaThreshold: o.areaThreshold ?? 0.6,
    tvWeight: o.tvWeight ?? 0,
    upsample: o.upsample ?? 'bilinear',
    maskMode: o.maskMode ?? 'soft',
    fill: o.fill ?? 0,
  };
}

/** Mean cross-entropy from logits (max-shifted by logSoftmax). @internal */
export function meanCrossEntropy(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const k = logits.shape[1]!;
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(y as tf.Tensor1D, k), tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

// |d| with gradient 0 at d = 0 (tf.abs has −1 there, which biases total variation at mask edges).
function absKink0(d: tf.Tensor): tf.Tensor {
  return tf.add(tf.relu(d), tf.relu(tf.neg(d)));
}

/** Total variation per image of `m [B, H, W]`. @internal */
export function totalVariation(m: tf.Tensor3D): tf.Tensor1D {
  const [b, h, w] = m.shape;
  // Starts from 0·Σm (not a constant) so that ∂tv/∂m exists (as 0) even for a 1×1 mask.
  let tv: tf.Tensor = tf.mul(tf.sum(m, [1, 2]), 0);
  if (h > 1) {
    const d = tf.sub(tf.slice(m, [0, 1, 0], [b, h - 1, w]), tf.slice(m, [0, 0, 0], [b, h - 1, w]));
    tv = tf.add(tv, tf.sum(absKink0(d), [1, 2]));
  }
  if (w > 1) {
    const d = tf.sub(tf.slice(m, [0, 0, 1], [b, h, w - 1]), tf.slice(m, [0, 0, 0], [b, h, w - 1]));
    tv = tf.add(tv, tf.sum(absKink0(d), [1, 2]));
  }
  return tv as tf.Tensor1D;
}

/** Validated inputs of one loss evaluation. @internal */
export interface LossInputs {
  x: tf.Tensor4D;
  y: Int32Array;
  z: tf.Tensor3D;
  q: tf.Tensor;
}

/** The objective on validated tensors; differentiable in z, x and the networks' variables. @internal */
export function cometLossCore(
  nets: { predictor: Classifier | TrainableNet; detector: Classifier | TrainableNet },
  inp: LossInputs,
  o: ResolvedLossOptions,
  predictorTraining: boolean,
): CometLossTensors & { numClasses: number; selectedImages: tf.Tensor4D; complementImages: tf.Tensor4D } {
  const { x, z, q } = inp;
  const [, bigH, bigW] = x.shape;
  const m = maskCore(z, [bigH, bigW], o.upsample, o.maskMode);
  const { selected, complement } = compositeCore(x, m, q);
  const lp = runNet(nets.predictor, selected, predictorTraining);
  const ld = runNet(nets.detector, complement, false);
  if (lp.rank !== 2 || ld.rank !== 2 || lp.shape[1] !== ld.shape[1]) {
    throw new DroError('E_SHAPE', 'cometLoss: predictor and detector must return [B, K] logits with the same K', {
      argument: 'detector',
      expected: `[B, ${lp.shape[1]}]`,
      received: `[${ld.shape.join(', ')}]`,
    });
  }
  const numClasses = lp.shape[1]!;
  const yv = labelsInput(inp.y, 'cometLoss', x.shape[0], numClasses);
  const y = tf.tensor1d(yv, 'int32');
  const sufficiency = meanCrossEntropy(lp, y);
  const complementCe = meanCrossEntropy(ld, y);
  let completenessArg: tf.Scalar | null = null;
  let completenessTerm: tf.Scalar;
  if (o.completeness === 'hinge') {
    completenessArg = tf.add(tf.sub(sufficiency, complementCe), o.gap) as tf.Scalar;
    // relu: subgradient 0 at the kink (tf.maximum(u, 0) has gradient 1 at u = 0).
    completenessTerm = tf.mul(o.completenessWeight, tf.relu(completenessArg)) as tf.Scalar;
  } else {
    completenessTerm = tf.mul(-o.completenessWeight, complementCe) as tf.Scalar;
  }
  const area = tf.mean(m, [1, 2]) as tf.Tensor1D;
  const areaTerm = tf.mul(o.areaWeight, tf.mean(tf.relu(tf.sub(area, o.areaThreshold)))) as tf.Scalar;
  const tv = totalVariation(m);
  const tvTerm = tf.mul(o.tvWeight, tf.mean(tv)) as tf.Scalar;
  const total = tf.addN([tf.mul(o.predictorWeight, sufficiency), completenessTerm, areaTerm, tvTerm]) as tf.Scalar;
  return {
    total,
    sufficiency,
    complement: complementCe,
    completenessTerm,
    completenessArg,
    areaTerm,
    tvTerm,
    area,
    tv,
    mask: m,
    numClasses,
    selectedImages: selected,
    complementImages: complement,
  };
}

/** Validates the loss inputs (emptiness → shape → finiteness; labels range after the networks ran). @internal */
export function lossInputs(
  x: unknown,
  labels: unknown,
  maskLogits: unknown,
  fill: unknown,
  caller: string,
): LossInputs {
  const xt = imageInput(x, caller);
  const z = logitsInput(maskLogits, caller, xt.shape[0]);
  const y = labelsInput(labels, caller, xt.shape[0]);
  const q = fillInput(fill, xt.shape, caller);
  return { x: xt, y, z, q };
}

/**
 * The COMET objective for one batch: sufficiency `ℓ_P = CE(P(x_s), y)`, the detector's cross-entropy on the
 * complement `ℓ_D = CE(D(x_c), y)`, completeness (hinge or linear), the per-image area hinge and total
 * variation, `L = w_P·ℓ_P + Cm + Ar + Tv` (spec §3.4). Differentiable in the mask logits, the images and the
 * networks' variables; every network runs in inference mode. The caller owns every returned tensor.
 *
 * @param maskLogits `[B, h, w]` or `[B, h, w, 1]`, upsampled to the images' `H × W`.
 */
export function cometLoss(
  nets: { predictor: Classifier; detector: Classifier },
  x: tf.Tensor4D,
  labels: tf.Tensor1D | Int32Array | ArrayLike<number>,
  maskLogits: tf.Tensor,
  o?: CometLossOptions,
): CometLossTensors {
  const opts = resolveLossOptions(checkOptions(o, LOSS_OPTIONS, 'cometLoss'));
  checkCallable(nets?.predictor, 'predictor', 'cometLoss');
  checkCallable(nets?.detector, 'detector', 'cometLoss');
  const out = tf.tidy(() => {
    const inp = lossInputs(x, labels, maskLogits, opts.fill, 'cometLoss');
    const r = cometLossCore(nets, inp, opts, false);
    const list: (tf.Tensor | null)[] = [
      r.total,
      r.sufficiency,
      r.complement,
      r.completenessTerm,
      r.completenessArg,
      r.areaTerm,
      r.tvTerm,
      r.area,
      r.tv,
      r.mask,
    ];
    return list.filter((t): t is tf.Tensor => t !== null);
  });
  const hinge = opts.completeness === 'hinge';
  const [total, sufficiency, complement, completenessTerm, ...rest] = out;
  const completenessArg = hinge ? (rest.shift() as tf.Scalar) : null;
  const [areaTerm, tvTerm, area, tv, mask] = rest;
  return {
    total: total as tf.Scalar,
    sufficiency: sufficiency as tf.Scalar,
    complement: complement as tf.Scalar,
    completenessTerm: completenessTerm as tf.Scalar,
    completenessArg,
    areaTerm: areaTerm as tf.Scalar,
    tvTerm: tvTerm as tf.Scalar,
    area: area as tf.Tensor1D,
    tv: tv as tf.Tensor1D,
    mask: mask as tf.Tensor3D,
  };
}

/** Host numbers of loss tensors (read back once). @internal */
export function readTerms(r: Omit<CometLossTensors, 'mask'>): CometTerms {
  const arg = r.completenessArg === null ? null : r.completenessArg.dataSync()[0]!;
  return {
    sufficiency: r.sufficiency.dataSync()[0]!,
    complement: r.complement.dataSync()[0]!,
    completenessArg: arg,
    completenessActive: arg !== null && arg > 0,
    completenessTerm: r.completenessTerm.dataSync()[0]!,
    area: Float64Array.from(r.area.dataSync()),
    areaTerm: r.areaTerm.dataSync()[0]!,
    tv: Float64Array.from(r.tv.dataSync()),
    tvTerm: r.tvTerm.dataSync()[0]!,
    total: r.total.dataSync()[0]!,
  };
}

/** {@link cometLoss} as host numbers (nothing is left allocated). */
export function cometLossTerms(...args: Parameters<typeof cometLoss>): CometTerms {
  const r = cometLoss(...args);
  try {
    return readTerms(r);
  } finally {
    for (const t of Object.values(r)) if (t instanceof tf.Tensor) t.dispose();
  }
}
