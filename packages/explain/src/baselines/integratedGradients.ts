import { type Classifier, checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { type Fill, fillInput, imageInput, type Labels } from '../inputs.js';
import { checkCallable } from '../nets.js';
import {
  type ChannelReduction,
  outputRule,
  reduceChannels,
  reduceRule,
  type ScoreOutput,
  scoresInChunks,
  targetScores,
  targetsInput,
} from './score.js';

/** Quadrature rule of integrated gradients. */
export type IgRule = 'riemann-left' | 'riemann-right' | 'riemann-middle' | 'trapezoid';

const OPTIONS = {
  baseline: opt.any(),
  steps: opt.integer({ min: 1 }),
  rule: opt.oneOf(['riemann-left', 'riemann-right', 'riemann-middle', 'trapezoid'] as const),
  output: outputRule,
  reduce: reduceRule,
  batchSize: opt.integer({ min: 1 }),
};

/** Nodes and weights of a rule with K steps (host float64). */
export function igNodes(rule: IgRule, k: number): { alphas: Float64Array; weights: Float64Array } {
  if (rule === 'trapezoid') {
    const alphas = Float64Array.from({ length: k + 1 }, (_, i) => i / k);
    const weights = Float64Array.from({ length: k + 1 }, (_, i) => (i === 0 || i === k ? 1 / (2 * k) : 1 / k));
    return { alphas, weights };
  }
  const off = rule === 'riemann-left' ? 0 : rule === 'riemann-right' ? 1 : 0.5;
  return {
    alphas: Float64Array.from({ length: k }, (_, i) => (i + off) / k),
    weights: new Float64Array(k).fill(1 / k),
  };
}

/**
 * Integrated gradients (Sundararajan et al. 2017): `attr = (x − x') ⊙ Σ_k w_k ∇F(x' + α_k (x − x'))`, with the
 * completeness check `delta = Σ attr − (F(x) − F(x'))`. Defaults: K = 32 midpoint steps, baseline 0, logit,
 * signed map (`'sum'`). The caller owns the two tensors.
 */
export function integratedGradients(
  model: Classifier,
  x: tf.Tensor4D,
  targets: Labels,
  o?: {
    baseline?: Fill;
    steps?: number;
    rule?: IgRule;
    output?: ScoreOutput;
    reduce?: ChannelReduction;
    batchSize?: number;
  },
): {
  attributions: tf.Tensor4D;
  map: tf.Tensor3D;
  sum: Float64Array;
  fDiff: Float64Array;
  delta: Float64Array;
  alphas: Float64Array;
  weights: Float64Array;
} {
  const caller = 'integratedGradients';
  const opts = checkOptions(o, OPTIONS, caller);
  checkCallable(model, 'model', caller);
  const output = opts.output ?? 'logit';
  const { alphas, weights } = igNodes(opts.rule ?? 'riemann-middle', opts.steps ?? 32);
  const bs = opts.batchSize ?? 256;
  let sum = new Float64Array(0);
  let fDiff = new Float64Array(0);
  const out = tf.tidy(() => {
    const xt = imageInput(x, caller);
    const yv = targetsInput(model, xt, targets, caller);
    const base = tf.broadcastTo(fillInput(opts.baseline ?? 0, xt.shape, caller, 'baseline'), xt.shape) as tf.Tensor4D;
    const diff = tf.sub(xt, base);
    let acc: tf.Tensor = tf.zerosLike(xt);
    // One gradient batch per node; models run on at most `batchSize` images at a time.
    alphas.forEach((a, k) => {
      const next = tf.tidy(() => {
        const pt = tf.add(base, tf.mul(a, diff)) as tf.Tensor4D;
        const parts: tf.Tensor[] = [];
        for (let s = 0; s < pt.shape[0]; s += bs) {
          const e = Math.min(pt.shape[0], s + bs);
          const ys = tf.tensor1d(yv.subarray(s, e), 'int32');
          parts.push(
            tf.grad((v: tf.Tensor) => tf.sum(targetScores(model, v, ys, output)))(
              tf.slice(pt, [s, 0, 0, 0], [e - s, -1, -1, -1]),
            ),
          );
        }
        const g = parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
        return tf.add(acc, tf.mul(weights[k]!, g));
      });
      acc.dispose();
      acc = next;
    });
    const attributions = tf.mul(diff, acc) as tf.Tensor4D;
    sum = Float64Array.from(tf.sum(attributions, [1, 2, 3]).dataSync());
    const fx = scoresInChunks(model, xt, yv, output, bs);
    const fb = scoresInChunks(model, base, yv, output, bs);
    fDiff = Float64Array.from(fx, (v, i) => v - fb[i]!);
    return [attributions, reduceChannels(attributions, opts.reduce ?? 'sum')];
  });
  const delta = Float64Array.from(sum, (v, i) => v - fDiff[i]!);
  return { attributions: out[0] as tf.Tensor4D, map: out[1] as tf.Tensor3D, sum, fDiff, delta, alphas, weights };
}
