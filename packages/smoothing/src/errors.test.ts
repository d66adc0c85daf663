import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { checkerboardSplit, splitInputs } from './dual/split.js';
import { addNoise } from './noise.js';
import { certify } from './randomizedSmoothing.js';
import { sampleCounts } from './sample.js';
import { constantModel } from './testModels.js';
import { noiseAugmentedLoss } from './train/noiseAugmentedLoss.js';

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'resolved';
}

describeBackends('smoothing: a non-tensor argument is E_DTYPE (as in dro-core)', () => {
  it('x, xs and labels that are not tensors (or are disposed) are E_DTYPE', async () => {
    const m = constantModel(0, 2);
    const opts = { numClasses: 2, noise: 0.5, n0: 5, n: 10, seed: 1 };
    expect(await code(certify(m, [0, 0] as never, opts))).toBe('E_DTYPE');
    expect(await code(sampleCounts(m, 'x' as never, 5, { numClasses: 2, noise: 0.5, seed: 1 }))).toBe('E_DTYPE');
    const gone = tf.zeros([2]);
    gone.dispose();
    expect(await code(certify(m, gone, opts))).toBe('E_DTYPE');
    expectDroError(() => addNoise([1, 2] as never, 0.5, createRng(1)), 'E_DTYPE', 'x');
    expectDroError(() => splitInputs(checkerboardSplit(2, 2), [[1, 2]] as never), 'E_DTYPE', 'x');
    const x = tf.zeros([2, 2]);
    expectDroError(
      () =>
        noiseAugmentedLoss((b: tf.Tensor) => tf.zeros([b.shape[0] as number, 2]), x, [0, 1] as never, {
          noise: 0.5,
          rng: createRng(1),
        }),
      'E_DTYPE',
      'labels',
    );
    x.dispose();
  });
});
