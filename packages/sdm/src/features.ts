import { applyClassifier, type Classifier, checkNumber, checkOptions, DroError, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Runs a classifier over `x` in batches and returns its logits and one embedding per row. `embed` is a
 * function of the input batch, or — for a tf.LayersModel — the names of layers whose flattened outputs
 * are concatenated (e.g. both hidden layers of an MLP). The caller owns the two returned tensors.
 */
export function classifierFeatures(
  model: Classifier,
  x: tf.Tensor,
  opts: { embed: ((x: tf.Tensor) => tf.Tensor2D) | string[]; batchSize?: number },
): { embeddings: tf.Tensor2D; logits: tf.Tensor2D } {
  checkOptions(opts, { embed: opt.any().require(), batchSize: opt.any() }, 'classifierFeatures');
  const batchSize = checkNumber(opts.batchSize ?? 256, 'opts.batchSize', { min: 1, integer: true });
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
        const emb = embedFn(b);
        const lg = applyClassifier(model, b);
        return [tf.reshape(emb, [r, -1]) as tf.Tensor2D, tf.reshape(lg, [r, -1]) as tf.Tensor2D];
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
