import { describeBackends, expectDroError, loadVectors } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { sdmActivation, sdmLogProbs } from './activation.js';
import { conformalSingletonAdmit } from './baselines.js';
import { SdmEstimator } from './estimator.js';
import { knnSquaredL2 } from './knn.js';
import { sdmLoss } from './loss.js';

// biome-ignore lint/suspicious/noExplicitAny: untyped JSON
const V = loadVectors<any>(new URL('../vectors/sdm.json', import.meta.url)).end_to_end;
const DATA = {
  embeddings: V.support.exemplars,
  labels: V.support.labels,
  logits: V.support.logits,
  calibration: { embeddings: V.calibration.exemplars, labels: V.calibration.labels, logits: V.calibration.logits },
};
const OPTS = { numClasses: 2, adaptor: 'frozen', normalize: 'none', split: 'fixed', maxQ: 10, alpha: 0.9 } as const;

async function rejection(p: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message?: string };
  }
  throw new Error('expected a rejection');
}

describeBackends('sdm: dro-core error codes and option checks', () => {
  it('a non-tensor or a non-numeric input to the tensor functions is E_DTYPE; a wrong rank E_SHAPE', async () => {
    const q = tf.tensor1d([1, 2]);
    const z = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const n = tf.memory().numTensors;
    expectDroError(() => sdmActivation('logits' as never, q), 'E_DTYPE', 'logits');
    expectDroError(() => sdmLogProbs(z, { q: 1 } as never), 'E_DTYPE', 'q');
    expectDroError(() => sdmActivation(z, tf.tensor2d([[1, 2]]) as never), 'E_SHAPE', 'q');
    expectDroError(() => sdmActivation(z, tf.tensor1d([1, 2, 3])), 'E_SHAPE', 'q');
    expectDroError(() => sdmLoss(z, 'y' as never, q), 'E_DTYPE', 'labels');
    expect((await rejection(knnSquaredL2([[1, 2]] as never, z, 1))).code).toBe('E_DTYPE');
    // Arrays are accepted as TensorLike and made into tensors inside the call; nothing leaks (the +2 are
    // the two bad-rank tensors made above for the E_SHAPE cases).
    const a = sdmActivation([[1, 0]] as never, [1] as never);
    expect(a.shape).toEqual([1, 2]);
    a.dispose();
    expect(tf.memory().numTensors).toBe(n + 2);
    tf.dispose([q, z]);
  });

  it('an unknown option is E_SPEC naming it, in every options object', async () => {
    const z = tf.tensor2d([[1, 0]]);
    const q = tf.tensor1d([1]);
    const y = tf.tensor1d([0], 'int32');
    expectDroError(() => sdmLoss(z, y, q, undefined, { reduktion: 'none' } as never), 'E_SPEC', 'reduktion');
    expect((await rejection(knnSquaredL2(z, z, 1, { chunk: 2 } as never))).message).toContain('chunk');
    expectDroError(
      () => conformalSingletonAdmit([[0.9, 0.1]], [0], [[0.8, 0.2]], 0.9, { score: 'lac', mondrain: true } as never),
      'E_SPEC',
      'mondrain',
    );
    const fitOpt = await rejection(SdmEstimator.fit(DATA, { ...OPTS, alhpa: 0.9 } as never));
    expect([fitOpt.code, fitOpt.message?.includes('alhpa')]).toEqual(['E_SPEC', true]);
    const warnOpt = await rejection(SdmEstimator.fit(DATA, { ...OPTS, onWarning: 'console' } as never));
    expect([warnOpt.code, warnOpt.message?.includes('onWarning')]).toEqual(['E_SPEC', true]);
    const frozenOpt = await rejection(SdmEstimator.fitFrozen(DATA as never, { numClasses: 2, epochs: 3 } as never));
    expect([frozenOpt.code, frozenOpt.message?.includes('epochs')]).toEqual(['E_SPEC', true]);
    const dataKey = await rejection(SdmEstimator.fit({ ...DATA, logit: V.support.logits } as never, OPTS));
    expect([dataKey.code, dataKey.message?.includes('logit')]).toEqual(['E_SPEC', true]);
    const linear = { ...OPTS, adaptor: 'linear', appendLogits: false, epochs: 1, exemplarDim: 2 } as const;
    const ignored = await rejection(SdmEstimator.fit(DATA, linear));
    expect([ignored.code, ignored.message?.includes('data.logits')]).toEqual(['E_SPEC', true]);
    const { logits: _, ...noSupportLogits } = DATA;
    const ignoredCal = await rejection(SdmEstimator.fit(noSupportLogits, linear));
    expect([ignoredCal.code, ignoredCal.message?.includes('data.calibration.logits')]).toEqual(['E_SPEC', true]);
    const est = await SdmEstimator.fit(DATA, OPTS);
    const p = await rejection(est.predict(V.test.exemplars, V.test.logits, { rule: 'point' } as never));
    expect([p.code, p.message?.includes('rule')]).toEqual(['E_SPEC', true]);
    est.dispose();
    tf.dispose([z, q, y]);
  });

  it('labels may be a Tensor1D (int32, or whole-valued float32) with the same fit as an array', async () => {
    const lab = tf.tensor1d(V.support.labels, 'int32');
    const labF = tf.tensor1d(V.support.labels, 'float32');
    const a = await SdmEstimator.fit(DATA, OPTS);
    const b = await SdmEstimator.fit({ ...DATA, labels: lab }, OPTS);
    const c = await SdmEstimator.fit({ ...DATA, labels: labF }, OPTS);
    expect(b.getState()).toEqual(a.getState());
    expect(c.getState()).toEqual(a.getState());
    for (const e of [a, b, c]) e.dispose();
    tf.dispose([lab, labF]);
  });
});
