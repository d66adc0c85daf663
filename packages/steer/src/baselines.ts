import type * as tf from '@tensorflow/tfjs-core';
import { capture, checkRunArgs } from './activations.js';
import { type LayerRef, resolveLayers, type SteerTarget } from './intercept.js';
import { checkSameFeatures } from './loss.js';
import { SteerMaps } from './maps.js';

/** A source standard deviation at or below this counts as a dead neuron (affine OT falls back to a shift). */
const DEAD_SD = 1e-12;

interface Moments {
  mean: Float64Array;
  sd: Float64Array;
}

/** Column means and population standard deviations in float64 (two passes). */
function moments(h: tf.Tensor2D): Moments {
  const [n, d] = h.shape;
  const x = h.dataSync();
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const r = x[i * d + j]! - mean[j]!;
      sd[j]! += r * r;
    }
  }
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]! / n);
  return { mean, sd };
}

function perLayerMaps(
  caller: string,
  model: SteerTarget,
  source: tf.Tensor,
  target: tf.Tensor,
  layers: LayerRef[],
  fit: (s: Moments, t: Moments) => { omega: Float64Array; bias: Float64Array },
): SteerMaps {
  checkRunArgs(model, source, 'source', caller);
  checkRunArgs(model, target, 'target', caller);
  checkSameFeatures(source, target, caller);
  const idx = resolveLayers(model, layers, caller);
  const hs = capture(model, source, idx, null, 'mean', 'source', caller);
  const ht = capture(model, target, idx, null, 'mean', 'target', caller);
  try {
    const fits = idx.map((_, k) => fit(moments(hs[k]!), moments(ht[k]!)));
    const maps = new SteerMaps({ layers: idx, widths: hs.map((h) => h.shape[1]) });
    idx.forEach((l, k) => maps.setMap(l, fits[k]!.omega, fits[k]!.bias));
    return maps;
  } finally {
    for (const h of [...hs, ...ht]) h.dispose();
  }
}

/**
 * Difference in means, fitted per layer on the **unmodified** activations: `ω = 1`,
 * `b = mean(t_ℓ) − mean(h_ℓ(source))`. Applied at all layers together the shifts compound (each later layer
 * was fitted without the earlier shifts) — the drift LinEAS accounts for.
 */
export function meanShiftMaps(model: SteerTarget, source: tf.Tensor, target: tf.Tensor, layers: LayerRef[]): SteerMaps {
  return perLayerMaps('meanShiftMaps', model, source, target, layers, (s, t) => ({
    omega: new Float64Array(s.mean.length).fill(1),
    bias: t.mean.map((m, j) => m - s.mean[j]!),
  }));
}

/**
 * Gaussian (closed-form) affine optimal transport per neuron and per layer, on the unmodified activations:
 * `ω = sd_T / sd_S`, `b = mean_T − ω·mean_S` (population standard deviations); a neuron dead on the source
 * (`sd_S ≤ 1e-12`) gets `ω = 1`, a mean shift.
 */
export function affineOtMaps(model: SteerTarget, source: tf.Tensor, target: tf.Tensor, layers: LayerRef[]): SteerMaps {
  return perLayerMaps('affineOtMaps', model, source, target, layers, (s, t) => {
    const omega = s.sd.map((sd, j) => (sd <= DEAD_SD ? 1 : t.sd[j]! / sd));
    return { omega, bias: t.mean.map((m, j) => m - omega[j]! * s.mean[j]!) };
  });
}
