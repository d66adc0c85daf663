import * as tf from '@tensorflow/tfjs-core';
import { type CometLossOptions, cometLoss, cometLossTerms } from '../index.js';
import { buildNets, plain } from './networks.js';

/** `comet_loss`: every term, the mask, ∂/∂z of each weighted term, ∂total/∂x and ∂ℓ_P/∂θ. */
export function evalCometLoss(input: Record<string, unknown>): Record<string, unknown> {
  const built = buildNets(input, ['predictor', 'detector']);
  const predictor = built.nets.predictor!;
  const nets = { predictor, detector: built.nets.detector! };
  const o = (input.options ?? {}) as CometLossOptions;
  const wP = o.predictorWeight ?? 1;
  try {
    return tf.tidy((): never => {
      const x = tf.tensor(input.x as number[]) as tf.Tensor4D;
      const z = tf.tensor(input.maskLogits as number[]);
      const labels = input.labels as number[];
      const terms = cometLossTerms(nets, x, labels, z, o);
      const r = cometLoss(nets, x, labels, z, o);
      const termOf = (k: string) => (v: tf.Tensor) => {
        const t = cometLoss(nets, x, labels, v, o);
        if (k === 'sufficiency') return tf.mul(wP, t.sufficiency);
        if (k === 'completeness') return t.completenessTerm;
        if (k === 'area') return t.areaTerm;
        if (k === 'tv') return t.tvTerm;
        return t.total;
      };
      const gradMaskLogits: Record<string, unknown> = {};
      for (const k of ['sufficiency', 'completeness', 'area', 'tv', 'total']) {
        gradMaskLogits[k] = tf.grad(termOf(k) as (v: tf.Tensor) => tf.Scalar)(z);
      }
      const gradInput = tf.grad((v: tf.Tensor) => cometLoss(nets, v as tf.Tensor4D, labels, z, o).total)(x);
      const vars = predictor.trainableWeights.map((w) => w.read() as tf.Variable);
      const pg = tf.variableGrads(() => cometLoss(nets, x, labels, z, o).sufficiency, vars);
      return plain({
        ...terms,
        mask: r.mask,
        gradMaskLogits,
        gradInput,
        predictorGrads: vars.map((v) => pg.grads[v.name] ?? tf.zerosLike(v)),
      }) as never;
    }) as Record<string, unknown>;
  } finally {
    built.dispose();
  }
}
