// NaN/Inf through sdmLoss. It is a pure tensor op (nothing is read back to the host), so by design
// (README, "Contract") a non-finite logit, q or d propagates into the loss rather than costing a device
// sync per training step; this pins that it never comes out silently finite on either backend.
import { describeBackends } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { sdmLoss } from './loss.js';

describeBackends('sdmLoss with non-finite inputs', ['cpu', 'wasm'], () => {
  it('a NaN/±∞ logit, q or d gives a non-finite loss, for every reduction', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const where of ['logits', 'q', 'd'] as const) {
        for (const reduction of ['mean', 'balanced', 'none'] as const) {
          const out = tf.tidy(() => {
            const logits = tf.tensor2d([
              [1, where === 'logits' ? bad : 0.3, 0],
              [0.5, 0.2, -1],
            ]);
            const q = tf.tensor1d([where === 'q' ? bad : 1, 2]);
            const d = tf.tensor1d([where === 'd' ? bad : 0.5, 1]);
            const labels = tf.tensor1d([0, 2], 'int32');
            return sdmLoss(logits, labels, q, d, { reduction, numClasses: 3 }).dataSync();
          });
          expect(
            Array.from(out).some((v) => !Number.isFinite(v)),
            `${where} = ${bad}, ${reduction}`,
          ).toBe(true);
        }
      }
    }
  });
});
