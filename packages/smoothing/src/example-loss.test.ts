import * as tf from '@tensorflow/tfjs-core';
import { describeBackends, expectNoLeak } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { exampleLoss } from './example-loss.js';

describeBackends('exampleLoss', ['cpu', 'wasm'], () => {
  it('is the mean of squares for ERM and the max for CVaR with tiny alpha', () => {
    const e = tf.tensor1d([1, -2, 3]);
    expect(exampleLoss(e, { kind: 'erm' }).arraySync()).toBeCloseTo(14 / 3, 5);
    expect(exampleLoss(e, { kind: 'cvar', alpha: 0.01 }).arraySync()).toBeCloseTo(9, 5);
    e.dispose();
  });
  it('leaks no tensors', () => {
    const e = tf.tensor1d([1, -2, 3]);
    expectNoLeak(() => exampleLoss(e, { kind: 'cvar', alpha: 0.5 }));
    e.dispose();
  });
});
