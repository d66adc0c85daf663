import { checkStatefulContract, describeBackends, expectClose, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { runWithMaps } from './activations.js';
import { SteerMaps } from './maps.js';
import { modelOf, randomNet, randomRows } from './test/fixtures.js';

function fitted(): SteerMaps {
  const maps = new SteerMaps({ layers: [0, 1], widths: [3, 2] });
  maps.setMap(0, [1.5, 0.25, 1], [0.1, -0.3, 0]);
  maps.setMap(1, [0.7, 1], [0, 0.2]);
  return maps;
}

describeBackends('SteerMaps', () => {
  it('applies h + s((ω − 1)h + b) at any strength; s = 0 leaves the network bit-exact', () => {
    const maps = fitted();
    const h = tf.tensor2d([
      [1, 2, 3],
      [-1, 0.5, 4],
    ]);
    for (const s of [0, 0.5, 1, 1.5]) {
      maps.setStrength(s);
      const want = [
        [1, 2, 3].map((v, j) => v + s * ([0.5, -0.75, 0][j]! * v + [0.1, -0.3, 0][j]!)),
        [-1, 0.5, 4].map((v, j) => v + s * ([0.5, -0.75, 0][j]! * v + [0.1, -0.3, 0][j]!)),
      ];
      expectClose(
        tf.tidy(() => maps.apply(0, h).arraySync()),
        want,
        { abs: 1e-6, rel: 1e-6 },
      );
    }
    const net = randomNet('maps-net', [4, 3, 2, 3]);
    const model = modelOf(net);
    const x = tf.tensor2d(randomRows('maps-x', 5, 4));
    maps.setStrength(0);
    const plain = tf.tidy(() => Array.from(runWithMaps(model, x, null).dataSync()));
    const off = tf.tidy(() => Array.from(runWithMaps(model, x, maps).dataSync()));
    expect(off).toEqual(plain);
    maps.setStrength(1);
    const on = tf.tidy(() => Array.from(runWithMaps(model, x, maps).dataSync()));
    expect(on).not.toEqual(plain);
    for (const t of [h, x]) t.dispose();
    maps.dispose();
    model.dispose();
  });

  it('counts touched neurons and round-trips its state bit-exactly', () => {
    const maps = fitted();
    expect(maps.touched()).toEqual({ perLayer: [2, 2], total: 4 });
    expect(maps.support()).toEqual([
      { layer: 0, neurons: [0, 1] },
      { layer: 1, neurons: [0, 1] },
    ]);
    maps.setMap(1, [1, 1], [0, 0.5]);
    expect(maps.support()[1]!.neurons).toEqual([1]);
    maps.setMap(1, [0.7, 1], [0, 0.2]);
    maps.setStrength(0.3);
    const copy = SteerMaps.fromState(JSON.parse(JSON.stringify(maps.getState())));
    expect(copy.getState()).toEqual(maps.getState());
    expect(copy.strength).toBe(0.3);
    expect(Array.from(copy.omega(0))).toEqual(Array.from(maps.omega(0)));
    expect(maps.summary()).toContain('layer 0: 2 of 3 neurons touched');
    // The spec draft's kind still loads.
    const legacy = SteerMaps.fromState({ ...maps.getState(), kind: 'steer/maps' });
    expect(legacy.getState()).toEqual(maps.getState());
    legacy.dispose();
    copy.dispose();
    maps.dispose();
  });

  it('refuses tampered states and wrong widths', () => {
    const state = fitted().getState();
    expectDroError(
      () =>
        SteerMaps.fromState({
          ...state,
          omega: [
            [1, 2],
            [1, 1],
          ],
        }),
      'E_STATE_VERSION',
      'omega',
    );
    expectDroError(
      () =>
        SteerMaps.fromState({
          ...state,
          bias: [
            [0, 0, Number.NaN],
            [0, 0],
          ],
        }),
      'E_STATE_VERSION',
      'bias',
    );
    expectDroError(() => SteerMaps.fromState({ ...state, layers: [0, 0] }), 'E_STATE_VERSION', 'layers');
    const maps = fitted();
    const h = tf.zeros([2, 4]);
    expectDroError(() => maps.apply(0, h), 'E_SHAPE', 'h');
    expectDroError(() => maps.apply(5, h), 'E_INDEX_RANGE', 'layer');
    expectDroError(() => maps.setMap(0, [1, 1], [0, 0, 0]), 'E_SHAPE', 'omega');
    expectDroError(() => maps.setStrength(Number.NaN), 'E_SPEC', 'strength');
    h.dispose();
    maps.dispose();
  });
});

checkStatefulContract({
  name: 'SteerMaps',
  make: fitted,
  // One "batch": steer a fixed activation at a strength that depends on i, then nudge the maps.
  step: (maps, i) => {
    maps.setStrength(0.25 * (i + 1));
    const out = tf.tidy(() => maps.apply(1, tf.tensor2d([[i, 1 - i]])).arraySync());
    maps.setMap(1, [0.7 + 0.01 * i, 1], [0, 0.2 - 0.05 * i]);
    return out;
  },
  fromState: SteerMaps.fromState,
  badOptions: { key: 'width', make: () => new SteerMaps({ layers: [0], width: [3] } as never) },
  badStep: (maps) => maps.setMap(1, [0.7, Number.NaN], [0, 0]),
});
