import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { steeringReport } from './metrics.js';

describeBackends('steeringReport', ['cpu'], () => {
  it('counts success, source and off-target accuracy; ties go to the lowest index; empty subsets are null', () => {
    const logits = tf.tensor2d([
      [0, 1, 0],
      [1, 1, 0],
      [0, 0, 5],
      [0, 2, 2],
    ]);
    expect(steeringReport(logits, [0, 0, 2, 1], { source: 0, target: 1 })).toEqual({
      success: 0.5,
      sourceAcc: 0.5,
      offTargetAcc: 1,
      nSource: 2,
      nOther: 2,
    });
    expect(steeringReport(logits, [1, 1, 1, 1], { source: 0, target: 2 })).toMatchObject({
      success: null,
      sourceAcc: null,
      offTargetAcc: 0.5,
    });
    expect(steeringReport(logits, [2, 2, 2, 2], { source: 2, target: 0 }).offTargetAcc).toBeNull();
    expectDroError(() => steeringReport(logits, [0, 1], { source: 0, target: 1 }), 'E_SHAPE', 'labels');
    expectDroError(() => steeringReport(logits, [0, 1, 2, 3], { source: 0, target: 1 }), 'E_LABEL_RANGE', 'labels');
    expectDroError(() => steeringReport(logits, [0, 1, 2, 1], { source: 0, target: 3 }), 'E_SPEC', 'target');
    expectDroError(() => steeringReport([[1]] as never, [0], { source: 0, target: 1 }), 'E_DTYPE', 'logits');
    logits.dispose();
  });
});
