import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import * as api from './index.js';

type AnyLoss = (logits: tf.Tensor, labels: api.LabelsLike) => tf.Tensor;

const stateless: [string, AnyLoss][] = [
  ['ldrKlLoss', (l, y) => api.ldrKlLoss(l, y, api.LDR_NOISY_LABEL_PRESET)],
  ['ldrKlLimitInfLoss', (l, y) => api.ldrKlLimitInfLoss(l, y)],
  ['csHingeLoss', (l, y) => api.csHingeLoss(l, y)],
  ['wwHingeLoss', (l, y) => api.wwHingeLoss(l, y)],
  ['ldrTopKHingeLoss', (l, y) => api.ldrTopKHingeLoss(l, y, { k: 2 })],
  ['crossEntropyLoss', (l, y) => api.crossEntropyLoss(l, y)],
  ['maeLoss', (l, y) => api.maeLoss(l, y)],
  ['mseLoss', (l, y) => api.mseLoss(l, y)],
  ['gceLoss', (l, y) => api.gceLoss(l, y)],
  ['truncatedGceLoss', (l, y) => api.truncatedGceLoss(l, y, { keep: [1, 1, 0] })],
  ['sceLoss', (l, y) => api.sceLoss(l, y)],
  ['nceLoss', (l, y) => api.nceLoss(l, y)],
  ['rceLoss', (l, y) => api.rceLoss(l, y)],
  ['agceLoss', (l, y) => api.agceLoss(l, y)],
  ['aulLoss', (l, y) => api.aulLoss(l, y)],
  ['nceRceLoss', (l, y) => api.nceRceLoss(l, y)],
  ['nceAgceLoss', (l, y) => api.nceAgceLoss(l, y)],
  ['nceAulLoss', (l, y) => api.nceAulLoss(l, y)],
  ['jsLoss', (l, y) => api.jsLoss(l, y)],
  ['rllReferenceLoss', (l, y) => api.rllReferenceLoss(l, y)],
  ['focalLoss', (l, y) => api.focalLoss(l, y)],
  ['taylorCeLoss', (l, y) => api.taylorCeLoss(l, y)],
];

const factories: [string, api.CompileLoss][] = [
  ['ldrKl', api.ldrKl()],
  ['ldrKlLimitInf', api.ldrKlLimitInf()],
  ['csHinge', api.csHinge()],
  ['wwHinge', api.wwHinge()],
  ['ldrTopKHinge', api.ldrTopKHinge({ k: 2 })],
  ['crossEntropy', api.crossEntropy()],
  ['mae', api.mae()],
  ['mse', api.mse()],
  ['gce', api.gce()],
  ['sce', api.sce()],
  ['nce', api.nce()],
  ['rce', api.rce()],
  ['agce', api.agce()],
  ['aul', api.aul()],
  ['nceRce', api.nceRce()],
  ['nceAgce', api.nceAgce()],
  ['nceAul', api.nceAul()],
  ['js', api.js()],
  ['rllReference', api.rllReference()],
  ['focal', api.focal()],
  ['taylorCe', api.taylorCe()],
];

// Out of range → E_LABEL_RANGE; not a whole number → E_DTYPE (dro-core's toLabels: one fault, one code).
const badSparse: [string, number[], 'E_LABEL_RANGE' | 'E_DTYPE'][] = [
  ['out of range', [0, 4, 1], 'E_LABEL_RANGE'],
  ['negative', [0, -1, 1], 'E_LABEL_RANGE'],
  ['fractional', [0, 1.5, 1], 'E_DTYPE'],
  ['NaN', [0, Number.NaN, 1], 'E_DTYPE'],
];

describeBackends('validation', ['cpu', 'wasm'], () => {
  it('every loss throws E_LABEL_RANGE for out-of-range and negative, E_DTYPE for fractional and NaN labels (arrays and tensors)', () => {
    const x = tf.zeros([3, 4]);
    const before = tf.memory().numTensors;
    for (const [name, loss] of stateless) {
      for (const [, labels, code] of badSparse) {
        expectDroError(() => loss(x, labels), code, 'labels');
        const t = tf.tensor1d(labels, 'float32');
        expectDroError(() => loss(x, t), code);
        t.dispose();
      }
      const badHot = tf.tensor2d([
        [1, 0, 0, 0],
        [0, 1, 1, 0],
        [0, 0, 0, 1],
      ]);
      expectDroError(() => loss(x, badHot), 'E_LABEL_RANGE');
      badHot.dispose();
      expect(tf.memory().numTensors, name).toBe(before);
    }
    x.dispose();
  });

  it('every factory throws E_LABEL_RANGE for malformed one-hot targets and out-of-range sparse targets', () => {
    const x = tf.zeros([3, 4]);
    const zeroRow = tf.tensor2d([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 1],
    ]);
    const twoHot = tf.tensor2d([
      [1, 0, 0, 0],
      [0, 0.5, 0.5, 0],
      [0, 0, 0, 1],
    ]);
    const sparse = tf.tensor2d([[0], [7], [1]]);
    for (const [, f] of factories) {
      expectDroError(() => f(zeroRow, x), 'E_LABEL_RANGE');
      expectDroError(() => f(twoHot, x), 'E_LABEL_RANGE');
      expectDroError(() => f(sparse, x), 'E_LABEL_RANGE');
    }
    tf.dispose([x, zeroRow, twoHot, sparse]);
  });

  it('shape, dtype, empty and option errors carry their codes', () => {
    const x = tf.zeros([3, 4]);
    expectDroError(() => api.ldrKlLoss(tf.zeros([4]), [0]), 'E_SHAPE', 'logits');
    expectDroError(() => api.ldrKlLoss(tf.zeros([3, 1]), [0, 0, 0]), 'E_SHAPE');
    expectDroError(() => api.ldrKlLoss(x, [0, 1]), 'E_SHAPE', 'labels');
    expectDroError(() => api.ldrKlLoss(x, tf.zeros([3, 5])), 'E_SHAPE', 'labels');
    expectDroError(() => api.ldrKlLoss(x, [0, 1, 2], { lambda: [1, 2] }), 'E_SHAPE', 'lambda');
    expectDroError(() => api.ldrKlLoss(x, [0, 1, 2], { margin: [0.1, 0.2] }), 'E_SHAPE', 'margin');
    expectDroError(() => api.truncatedGceLoss(x, [0, 1, 2], { keep: [1, 1] }), 'E_SHAPE', 'keep');
    expectDroError(() => api.ldrKlLoss(tf.zeros([3, 4], 'int32'), [0, 1, 2]), 'E_DTYPE', 'logits');
    expectDroError(() => api.ldrKlLoss(x, tf.tensor1d([true, false, true], 'bool')), 'E_DTYPE', 'labels');
    expectDroError(() => api.ldrKlLoss(tf.zeros([0, 4]), []), 'E_EMPTY');
    expectDroError(() => api.ldrKlLoss(x, [0, 1, 2], { lambda: 0 }), 'E_SPEC', 'lambda');
    expectDroError(() => api.ldrKlLoss(x, [0, 1, 2], { lambda: Number.NaN }), 'E_SPEC', 'lambda');
    expectDroError(
      () => api.ldrKlLoss(x, [0, 1, 2], { lambda: [1, Number.POSITIVE_INFINITY, 1] }),
      'E_NONFINITE',
      'lambda',
    );
    expectDroError(() => api.ldrKlLoss(x, [0, 1, 2], { margin: -0.1 }), 'E_SPEC', 'margin');
    expectDroError(() => api.ldrKlLoss(x, [0, 1, 2], { margin: [0, Number.NaN, 0, 0] }), 'E_NONFINITE', 'margin');
    expectDroError(() => api.ldrKlLoss(x, [0, 1, 2], { normEps: 0, normalize: 'l1Mean' }), 'E_SPEC', 'normEps');
    expectDroError(() => api.ldrKlLoss(x, [0, 1, 2], { ignoreIndex: 2 }), 'E_SPEC', 'ignoreIndex');
    expectDroError(
      () => api.ldrKlLoss(x, tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 4), { ignoreIndex: -1 }),
      'E_LABEL_RANGE',
    );
    expectDroError(() => api.ldrTopKHingeLoss(x, [0, 1, 2], { k: 5 }), 'E_SPEC', 'k');
    expectDroError(() => api.gceLoss(x, [0, 1, 2], { q: 1.5 }), 'E_SPEC', 'q');
    expectDroError(() => api.aulLoss(x, [0, 1, 2], { a: 1 }), 'E_SPEC', 'a');
    expectDroError(() => api.jsLoss(x, [0, 1, 2], { w0: 1 }), 'E_SPEC', 'w0');
    expectDroError(() => api.sceLoss(x, [0, 1, 2], { balance: 1.2 }), 'E_SPEC', 'balance');
    expectDroError(() => api.sceLoss(x, [0, 1, 2], { A: 0 }), 'E_SPEC', 'A');
    expectDroError(() => api.focalLoss(x, [0, 1, 2], { gamma: -1 }), 'E_SPEC', 'gamma');
    expectDroError(() => api.taylorCeLoss(x, [0, 1, 2], { order: 1.5 }), 'E_SPEC', 'order');
    expectDroError(() => api.ldrKlLoss(x, [0, 1, 2], { reduction: 'avg' as 'mean' }), 'E_SPEC', 'reduction');
    x.dispose();
  });

  it('error messages name the argument, the value and K', () => {
    const x = tf.zeros([4, 10]);
    try {
      api.ldrKlLoss(x, [0, 1, 2, 10]);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('labels[3] = 10 is outside [0, 10)');
    }
    x.dispose();
  });
});
