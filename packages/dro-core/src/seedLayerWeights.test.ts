import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { seededWeights } from './seededWeights.js';
import { seedLayerWeights } from './seedLayerWeights.js';
import { describeBackends, expectDroError } from './testing/index.js';

function convNet(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 5, activation: 'relu' }),
      tfl.layers.dense({ units: 2 }),
    ],
  });
}

const valuesOf = (m: tfl.Sequential) => m.getWeights().map((w) => Array.from(w.dataSync()));

describeBackends('seedLayerWeights', ['cpu', 'wasm'], () => {
  it('same seed → identical weights and outputs; different seeds differ; values are the host draw', () => {
    const [a, b, c] = [convNet(), convNet(), convNet()];
    const nt = tf.memory().numTensors;
    expect(seedLayerWeights(a, 42)).toBe(a);
    seedLayerWeights(b, 42);
    seedLayerWeights(c, 43);
    expect(tf.memory().numTensors).toBe(nt);
    expect(valuesOf(a)).toEqual(valuesOf(b));
    const host = seededWeights(
      a.getWeights().map((w) => w.shape),
      42,
    );
    expect(valuesOf(a)).toEqual(host.map((w) => Array.from(w)));
    valuesOf(a).forEach((w, i) => expect(valuesOf(c)[i]).not.toEqual(w));
    const x = tf.randomUniform([4, 6, 6, 1], 0, 1, 'float32', 5);
    const [ya, yb] = [a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor];
    expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
    tf.dispose([x, ya, yb]);
    for (const m of [a, b, c]) m.dispose();
  });

  it('Glorot scheme: zero biases; a model without weights methods → E_SPEC naming model', () => {
    const m = seedLayerWeights(convNet(), 'init', { scheme: 'glorot-uniform' });
    const w = valuesOf(m);
    for (const i of [1, 3, 5]) expect((w[i] as number[]).every((v) => v === 0)).toBe(true);
    expectDroError(() => seedLayerWeights({} as never, 0), 'E_SPEC', 'model');
    const bn = tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [3] })] });
    const before = valuesOf(bn);
    expectDroError(() => seedLayerWeights(bn, 0), 'E_SHAPE', 'shapes[0]');
    expect(valuesOf(bn)).toEqual(before);
    m.dispose();
    bn.dispose();
  });
});
