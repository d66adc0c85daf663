import { applyClassifier, type Classifier, checkNumber, checkOptions, DroError, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Runs a classifier over `x` in batches and returns its logits and one embedding per row. `embed` is a
 * function of the input batch, or — for a tf.LayersModel — the names of layers whose flattened outputs
 * are concatenated (e.g. both hidden layers of an MLP). The caller owns the two returned tensors.
 *
 * `normalize: 'l2'` scales each embedding row to unit Euclidean length (an all-zero row stays zero), so
 * SDM's neighbour distances become cosine distances. Why offer it: d is the minimum over classes of each
 * class's distance quantile, so when classes differ in the spread of their raw activations (ReLU layers
 * do) the tightest class deflates d for every input; on unit-length rows the per-class spreads are
 * comparable. Measured on 10-class Fashion-MNIST in examples/robust-pipeline (frozen mode, α′ = 0.95):
 * no region with raw [h1 ; h2] (largest α′ 0.920), a region with `'l2'` (see that README). Default `'none'`.
 */
export function classifierFeatures(
  model: Classifier,
  x: tf.Tensor,
  opts: { embed: ((x: tf.Tensor) => tf.Tensor2D) | string[]; batchSize?: number; normalize?: 'none' | 'l2' },
): { embeddings: tf.Tensor2D; logits: tf.Tensor2D } {
  checkOptions(
    opts,
    { embed: opt.any().require(), batchSize: opt.any(), normalize: opt.oneOf(['none', 'l2']) },
    'classifierFeatures',
  );
  const batchSize = checkNumber(opts.batchSize ?? 256, 'opts.batchSize', { min: 1, integer: true });
  const unitRows = opts.normalize === 'l2';
  let embedFn: (b: tf.Tensor) => tf.Tensor2D;
  let probe: tfl.LayersModel | undefined;
  if (typeof opts.embed === 'function') embedFn = opts.embed;
  else {
    const names = opts.embed;
    if (!(model instanceof tfl.LayersModel)) {
      throw new DroError('E_SPEC', 'layer names need a tf.LayersModel', {
        argument: 'opts.embed',
        expected: 'a function',
      });
    }
    if (!Array.isArray(names) || names.length === 0) {
      throw new DroError('E_SPEC', 'opts.embed must name at least one layer', { argument: 'opts.embed' });
    }
    const outputs = names.map((n) => {
      try {
        return model.getLayer(n).output as tfl.SymbolicTensor;
      } catch (e) {
        throw new DroError('E_SPEC', `no layer named ${n}`, { argument: 'opts.embed', cause: e });
      }
    });
    probe = tfl.model({ inputs: model.inputs, outputs });
    const m = probe;
    embedFn = (b) =>
      tf.tidy(() => {
        const out = m.predict(b);
        const parts = (Array.isArray(out) ? out : [out]).map((t) => tf.reshape(t, [t.shape[0]!, -1]) as tf.Tensor2D);
        return parts.length === 1 ? parts[0]! : (tf.concat(parts, 1) as tf.Tensor2D);
      });
  }
  const n = x.shape[0]!;
  const embParts: tf.Tensor2D[] = [];
  const logitParts: tf.Tensor2D[] = [];
  try {
    for (let s = 0; s < n; s += batchSize) {
      const r = Math.min(batchSize, n - s);
      const [e, l] = tf.tidy(() => {
        const b = tf.slice(x, s, r);
        const raw = tf.reshape(embedFn(b), [r, -1]) as tf.Tensor2D;
        const emb = unitRows ? unitLengthRows(raw) : raw;
        const lg = applyClassifier(model, b);
        return [emb, tf.reshape(lg, [r, -1]) as tf.Tensor2D];
      });
      embParts.push(e);
      logitParts.push(l);
    }
    const embeddings = embParts.length === 1 ? tf.clone(embParts[0]!) : (tf.concat(embParts, 0) as tf.Tensor2D);
    const logits = logitParts.length === 1 ? tf.clone(logitParts[0]!) : (tf.concat(logitParts, 0) as tf.Tensor2D);
    return { embeddings, logits };
  } finally {
    tf.dispose(embParts);
    tf.dispose(logitParts);
  }
}

/**
 * Each row divided by its Euclidean length. The row is first divided by its largest |entry| so that squaring
 * cannot overflow (entries ≳ 1e19) or underflow (≲ 1e-19) in float32; the floor of 1e-30 on both divisors
 * keeps an all-zero row (every ReLU unit off) at zero instead of 0/0 = NaN.
 */
function unitLengthRows(raw: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const scaled = tf.div(raw, tf.maximum(tf.max(tf.abs(raw), 1, true), 1e-30));
    return tf.div(scaled, tf.maximum(tf.norm(scaled, 'euclidean', 1, true), 1e-30)) as tf.Tensor2D;
  });
}
