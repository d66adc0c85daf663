import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { activations, runWithMaps } from './activations.js';
import { affineOtMaps, meanShiftMaps } from './baselines.js';
import { lineasLoss } from './loss.js';
import { SteerMaps } from './maps.js';
import { proxSparseGroup } from './prox.js';
import { modelOf, randomNet, randomRows } from './test/fixtures.js';

// Spec §4's error table through the public API (fitSteer's own cases are in fit.test.ts): code and argument.
describeBackends('steer errors', ['cpu'], () => {
  it('E_SHAPE, E_INDEX_RANGE, E_EMPTY, E_DTYPE, E_SPEC, E_NONFINITE, E_STATE_VERSION', () => {
    const model = modelOf(randomNet('err-net', [3, 4, 2]));
    const xs = tf.tensor2d(randomRows('err-xs', 5, 3));
    const xt = tf.tensor2d(randomRows('err-xt', 4, 3));
    const wide = tf.tensor2d(randomRows('err-wide', 4, 5));
    const empty = tf.zeros([0, 3]);
    const ints = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
    const maps = new SteerMaps({ layers: [0], widths: [4] });
    const wrongWidth = new SteerMaps({ layers: [0], widths: [3] });
    const outside = new SteerMaps({ layers: [4], widths: [4] });
    const state = maps.getState();
    // E_SHAPE: source and target differ; maps of the wrong width.
    expectDroError(() => lineasLoss(model, xs, wide, maps), 'E_SHAPE', 'target');
    expectDroError(() => lineasLoss(model, xs, xt, wrongWidth), 'E_SHAPE', 'h');
    expectDroError(() => meanShiftMaps(model, xs, wide, [0]), 'E_SHAPE', 'target');
    // E_INDEX_RANGE: a layer outside the model.
    expectDroError(() => affineOtMaps(model, xs, xt, [2]), 'E_INDEX_RANGE', 'layers[0]');
    expectDroError(() => runWithMaps(model, xs, outside), 'E_INDEX_RANGE', 'layers');
    // E_EMPTY: an empty batch, no layers.
    expectDroError(() => lineasLoss(model, empty, xt, maps), 'E_EMPTY', 'source');
    expectDroError(() => lineasLoss(model, xs, empty, maps), 'E_EMPTY', 'target');
    expectDroError(() => activations(model, xs, []), 'E_EMPTY', 'layers');
    expectDroError(() => meanShiftMaps(model, xs, xt, []), 'E_EMPTY', 'layers');
    expectDroError(() => new SteerMaps({ layers: [], widths: [] }), 'E_EMPTY', 'layers');
    // E_DTYPE: not a float32 tensor.
    expectDroError(() => runWithMaps(model, ints, null), 'E_DTYPE', 'x');
    expectDroError(() => lineasLoss(model, [[1, 2, 3]] as never, xt, maps), 'E_DTYPE', 'source');
    expectDroError(() => proxSparseGroup(null as never, 1, 0, 0), 'E_DTYPE', 'v');
    // E_SPEC: unknown or bad options, negative λ, bad model, bad maps.
    expectDroError(() => lineasLoss(model, xs, xt, maps, { layerReduce: 'sum' } as never), 'E_SPEC', 'layerReduce');
    expectDroError(
      () => lineasLoss(model, xs, xt, maps, { layerReduction: 'max' } as never),
      'E_SPEC',
      'layerReduction',
    );
    expectDroError(() => lineasLoss(model, xs, xt, {} as never), 'E_SPEC', 'maps');
    expectDroError(() => runWithMaps('model' as never, xs, null), 'E_SPEC', 'model');
    expectDroError(() => proxSparseGroup([1], 1, -0.1, 0), 'E_SPEC', 'lambda1');
    expectDroError(() => proxSparseGroup([1], -1, 0, 0), 'E_SPEC', 'tau');
    expectDroError(() => new SteerMaps({ layers: [0], widths: [2], extra: 1 } as never), 'E_SPEC', 'extra');
    expectDroError(() => new SteerMaps({ layers: [0, 0], widths: [2, 2] }), 'E_SPEC', 'layers');
    // E_NONFINITE: a non-finite entry.
    expectDroError(() => proxSparseGroup([1, Number.NaN], 1, 0, 0), 'E_NONFINITE', 'v[1]');
    expectDroError(() => maps.setMap(0, [1, 1, 1, Number.POSITIVE_INFINITY], [0, 0, 0, 0]), 'E_NONFINITE', 'omega');
    // E_STATE_VERSION: a foreign kind, an unsupported version, invalid values.
    expectDroError(() => SteerMaps.fromState({ ...state, kind: 'other' }), 'E_STATE_VERSION', 'kind');
    expectDroError(() => SteerMaps.fromState({ ...state, version: 2 as never }), 'E_STATE_VERSION', 'version');
    expectDroError(() => SteerMaps.fromState({ ...state, strength: null as never }), 'E_STATE_VERSION', 'strength');
    // A rejected call changed nothing.
    expect(maps.getState()).toEqual(state);
    for (const t of [xs, xt, wide, empty, ints]) t.dispose();
    for (const m of [maps, wrongWidth, outside]) m.dispose();
    model.dispose();
  });
});

describeBackends('steer errors from the model itself', ['cpu'], () => {
  it('inputs that do not fit the model are E_SHAPE naming the batch; a throwing hooked function is E_SPEC', async () => {
    const model = modelOf(randomNet('err-net2', [3, 4, 2]));
    const narrow = tf.tensor2d(randomRows('err-narrow', 4, 2));
    const maps = new SteerMaps({ layers: [0], widths: [4] });
    expectDroError(() => lineasLoss(model, narrow, narrow, maps), 'E_SHAPE', 'failed on target');
    expectDroError(() => runWithMaps(model, narrow, null), 'E_SHAPE', 'x');
    expectDroError(() => meanShiftMaps(model, narrow, narrow, [0]), 'E_SHAPE', 'source');
    const broken = () => {
      throw new TypeError('boom');
    };
    expectDroError(() => runWithMaps(broken as never, narrow, null), 'E_SPEC', 'model');
    narrow.dispose();
    maps.dispose();
    model.dispose();
  });
});
