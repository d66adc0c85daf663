import {
  AldrKlLoss,
  crossEntropyLoss,
  gceLoss,
  LDR_NOISY_LABEL_PRESET,
  ldrKlLoss,
  maeLoss,
  nceRceLoss,
  sceLoss,
} from '@drojs/ldr-loss';
import type * as tf from '@tensorflow/tfjs-core';

/** A batch loss `(logits, labels, dataset indices) → scalar`, plus stateful extras. */
export interface RunLoss {
  name: string;
  call(logits: tf.Tensor2D, labels: Int32Array, indices: Int32Array): tf.Scalar;
  aldr?: AldrKlLoss;
}

/** The losses of the protocol by name: CE, LDR:10, ALDR:10, LDR:1, GCE, SCE, MAE, NCE+RCE. */
export const LOSS_NAMES = ['CE', 'LDR:10', 'ALDR:10', 'LDR:1', 'GCE', 'SCE', 'MAE', 'NCE+RCE'] as const;

export function makeLoss(name: string, numInstances: number): RunLoss {
  const s = (t: tf.Tensor) => t as tf.Scalar;
  switch (name) {
    case 'CE':
      return { name, call: (l, y) => s(crossEntropyLoss(l, y)) };
    case 'LDR:10':
      return { name, call: (l, y) => s(ldrKlLoss(l, y, LDR_NOISY_LABEL_PRESET)) };
    case 'LDR:1':
      return { name, call: (l, y) => s(ldrKlLoss(l, y, { lambda: 1, margin: 0.1, normalize: 'none' })) };
    case 'ALDR:10': {
      const aldr = new AldrKlLoss({ numInstances, lambda0: 10, alpha: 2, margin: 0.1, normalize: 'l1-mean' });
      return { name, aldr, call: (l, y, i) => s(aldr.call(l, y, i)) };
    }
    case 'GCE':
      return { name, call: (l, y) => s(gceLoss(l, y, { q: 0.7 })) };
    case 'SCE':
      return { name, call: (l, y) => s(sceLoss(l, y, { balance: 0.5, A: 4 })) };
    case 'MAE':
      return { name, call: (l, y) => s(maeLoss(l, y)) };
    case 'NCE+RCE':
      return { name, call: (l, y) => s(nceRceLoss(l, y, { alpha: 5, beta: 5 })) };
    default:
      throw new Error(`unknown loss '${name}' (${LOSS_NAMES.join(', ')})`);
  }
}
