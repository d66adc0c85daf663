import { applyClassifier, type Classifier, DroError } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkArgs } from '../args.js';
import { drmRules } from './rules.js';

/**
 * DRM's selection rules over any classifiers (heads as dro-core `Classifier`s, the pooled one last):
 * the head of lowest mean batch entropy, per-sample lowest entropy, or the entropy-weighted
 * combination over all heads (a probability vector). No adaptation: a function has no weights.
 */
export function entropySelect(
  heads: Classifier[],
  x: tf.Tensor,
  o: { select?: 'batch-entropy' | 'sample-entropy' | 'weighted'; gamma?: number } = {},
): tf.Tensor2D {
  if (!Array.isArray(heads) || heads.length < 2)
    throw new DroError('E_SPEC', 'entropySelect needs at least 2 heads', { argument: 'heads' });
  const logits = heads.map((h) => tf.tidy(() => applyClassifier(h, x).arraySync() as number[][]));
  const P = drmRules.softmax(logits);
  const H = drmRules.entropy(logits);
  checkArgs(o, ['select', 'gamma'], 'entropySelect');
  const sel = o.select ?? 'batch-entropy';
  let R: number[][];
  if (sel === 'batch-entropy') R = P[drmRules.batchHead(H)]!;
  else if (sel === 'sample-entropy') R = drmRules.sampleHeads(H).map((h, b) => P[h]![b]!);
  else if (sel === 'weighted') R = drmRules.combine(P, drmRules.weights(H, o.gamma ?? 1), { form: 'all-heads' });
  else throw new DroError('E_SPEC', `unknown select ${String(sel)}`, { argument: 'select' });
  return tf.tensor2d(R);
}
