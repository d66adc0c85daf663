import { describeBackends, expectClose, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel, input, layers, sequential } from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { activations, runWithMaps } from './activations.js';
import { resolveLayers } from './intercept.js';
import { SteerMaps } from './maps.js';

describeBackends('intercept', ['cpu'], () => {
  it('resolves layers by index and by name, and captures after separate activation and dropout layers', () => {
    const m = sequential({
      layers: [
        layers.dense({ units: 4, inputShape: [3], name: 'd1', kernelInitializer: 'ones' }),
        layers.activation({ activation: 'relu', name: 'act1' }),
        layers.dropout({ rate: 0.9, name: 'drop' }),
        layers.dense({ units: 2, name: 'out' }),
      ],
    });
    expect(resolveLayers(m, ['act1', 3], 'test')).toEqual([1, 3]);
    const x = tf.tensor2d([
      [1, 2, 0.5],
      [-1, -1, -1],
    ]);
    // Dropout is applied in inference mode: the captured activation after it equals the ReLU output.
    const [h1, h2] = activations(m, x, [1, 2]);
    expectClose(h2!.arraySync(), h1!.arraySync(), { abs: 0 });
    expectClose(
      h1!.arraySync(),
      [
        [3.5, 3.5, 3.5, 3.5],
        [0, 0, 0, 0],
      ],
      { abs: 1e-6 },
    );
    for (const t of [x, h1!, h2!]) t.dispose();
    m.dispose();
  });

  it('walks a chain-shaped functional model (input layer included) and refuses a branching one', () => {
    const inp = input({ shape: [3] });
    const hidden = layers.dense({ units: 4, activation: 'relu', name: 'h' }).apply(inp) as never;
    const out = layers.dense({ units: 2, name: 'o' }).apply(hidden) as never;
    const chain = functionalModel({ inputs: inp, outputs: out });
    const x = tf.tensor2d([[0.5, -1, 2]]);
    const maps = new SteerMaps({ layers: resolveLayers(chain, ['h'], 'test'), widths: [4] });
    maps.setMap(1, [2, 2, 2, 2], [0, 0, 0, 0]);
    const viaModel = tf.tidy(() => (chain.predict(x) as tf.Tensor).arraySync());
    maps.setStrength(0);
    expectClose(
      tf.tidy(() => runWithMaps(chain, x, maps).arraySync()),
      viaModel,
      { abs: 1e-6 },
    );
    const a = input({ shape: [3] });
    const b1 = layers.dense({ units: 2 }).apply(a) as never;
    const b2 = layers.dense({ units: 2 }).apply(a) as never;
    const branching = functionalModel({ inputs: a, outputs: layers.add().apply([b1, b2]) as never });
    expectDroError(() => resolveLayers(branching, [1], 'test'), 'E_SPEC', 'model');
    x.dispose();
    maps.dispose();
  });

  it('a map at a layer the hooked function never reaches is E_INDEX_RANGE', () => {
    const f = (x: tf.Tensor, hook: (l: number, h: tf.Tensor) => tf.Tensor) => hook(0, tf.relu(x));
    const maps = new SteerMaps({ layers: [3], widths: [2] });
    const x = tf.tensor2d([[1, 2]]);
    expectDroError(() => runWithMaps(f, x, maps), 'E_INDEX_RANGE', 'layers');
    expectDroError(() => activations(f, x, [0], maps), 'E_INDEX_RANGE', 'layers');
    const before = tf.memory().numTensors;
    expectDroError(() => activations(f, x, [1]), 'E_INDEX_RANGE', 'layers');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    maps.dispose();
  });
});
