import { checkAborted, checkOptions, checkSeed, createRng, DroError, opt, Rng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { meanCrossEntropy } from './cometLoss.js';
import { imageInput, labelsInput } from './inputs.js';
import { checkTrainable, netVariables, runNet, type TrainableNet } from './nets.js';
import { type OptimizerSpec, resolveOptimizer, SlotOptimizer } from './optim.js';

/** Options of {@link fitClassifier}. */
export interface FitClassifierOptions {
  epochs: number;
  /** Default 64. */
  batchSize?: number;
  /** Default `{ name: 'adam', learningRate: 1e-3 }`. */
  optimizer?: OptimizerSpec;
  /** Seed of the batch order (default 0); give `seed` or `rng`, not both. */
  seed?: number | string;
  rng?: Rng;
  signal?: AbortSignal;
  onEpochEnd?: (epoch: number, loss: number) => void;
}

const OPTIONS = {
  epochs: opt.integer({ min: 1 }).require(),
  batchSize: opt.integer({ min: 1 }),
  optimizer: opt.object(),
  seed: opt.seed(),
  rng: opt.custom('an Rng', (v, argument) => {
    if (!(v instanceof Rng)) throw new DroError('E_SPEC', `${argument} must be an Rng`, { argument });
  }),
  signal: opt.signal(),
  onEpochEnd: opt.function(),
};

/**
 * Trains a classifier on full images with cross-entropy (seeded batches from `rng.fork('explain/epoch/<e>')`):
 * pre-trains a COMET detector or a black-box baseline. Returns the mean loss per epoch.
 */
export async function fitClassifier(
  net: TrainableNet,
  x: tf.Tensor4D,
  labels: tf.Tensor1D | Int32Array | ArrayLike<number>,
  o: FitClassifierOptions,
): Promise<{ loss: number[] }> {
  const caller = 'fitClassifier';
  const opts = checkOptions(o, OPTIONS, caller) as FitClassifierOptions;
  checkTrainable(net, 'net', caller);
  if (opts.seed !== undefined && opts.rng !== undefined) {
    throw new DroError('E_SPEC', `${caller}: give seed or rng, not both`, { argument: 'rng' });
  }
  const spec = resolveOptimizer(opts.optimizer ?? { name: 'adam', learningRate: 1e-3 }, 'optimizer');
  const base = opts.rng !== undefined ? opts.rng.clone() : createRng(checkSeed(opts.seed ?? 0));
  const xt = imageInput(x, caller);
  const n = xt.shape[0];
  const y = labelsInput(labels, caller, n);
  const vars = netVariables(net);
  const optim = new SlotOptimizer(spec, vars);
  const bs = opts.batchSize ?? 64;
  const losses: number[] = [];
  try {
    for (let e = 0; e < opts.epochs; e++) {
      const perm = new Int32Array(n).map((_, i) => i);
      base.fork(`explain/epoch/${e}`).shuffle(perm);
      let sum = 0;
      let count = 0;
      for (let s = 0; s < n; s += bs) {
        checkAborted(opts.signal, caller);
        const idx = perm.slice(s, Math.min(n, s + bs));
        const lossValue = tf.tidy(() => {
          const xb = tf.gather(xt, tf.tensor1d(idx, 'int32'));
          const yv = Int32Array.from(idx, (i) => y[i]!);
          const yb = tf.tensor1d(yv, 'int32');
          let numClasses = 0;
          const { value, grads } = tf.variableGrads(() => {
            const logits = runNet(net, xb, true);
            numClasses = logits.shape[1]!;
            labelsInput(yv, caller, yv.length, numClasses);
            return meanCrossEntropy(logits, yb);
          }, vars);
          const v = value.dataSync()[0]!;
          if (!Number.isFinite(v)) {
            throw new DroError('E_NONFINITE', `${caller}: non-finite loss at epoch ${e}`, { argument: 'loss' });
          }
          optim.apply(vars.map((w) => grads[w.name] ?? tf.zerosLike(w)));
          return v;
        });
        sum += lossValue;
        count += 1;
        await new Promise((r) => setTimeout(r, 0));
      }
      losses.push(sum / count);
      opts.onEpochEnd?.(e, sum / count);
    }
  } finally {
    optim.dispose();
    if (xt !== x) xt.dispose();
  }
  return { loss: losses };
}
