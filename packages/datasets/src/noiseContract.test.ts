import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { toOneHot } from './labels.js';
import { injectLabelNoise } from './noise.js';

const K = 5;
const clean = Int32Array.from({ length: 500 }, (_, i) => (i * 7) % K);

describe('injectLabelNoise options (platform contract)', () => {
  it('rejects an unknown option key by name, before drawing', () => {
    const rng = createRng(3);
    const before = rng.getState();
    const bad = { type: 'symmetric', rate: 0.2, numClases: K, rng } as unknown as Parameters<
      typeof injectLabelNoise
    >[1];
    expectDroError(() => injectLabelNoise(clean, bad), 'E_SPEC', 'numClases');
    expect(rng.getState()).toEqual(before);
  });

  it('numClasses and its deprecated alias nClasses give the same labels; disagreeing values are rejected', () => {
    const a = injectLabelNoise(clean, { type: 'symmetric', rate: 0.5, numClasses: K, seed: 9 });
    const b = injectLabelNoise(clean, { type: 'symmetric', rate: 0.5, nClasses: K, seed: 9 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.actualRate).toBeGreaterThan(0);
    expectDroError(
      () => injectLabelNoise(clean, { type: 'symmetric', rate: 0.5, numClasses: K, nClasses: K + 1, seed: 9 }),
      'E_SPEC',
      'numClasses',
    );
    expectDroError(() => injectLabelNoise(clean, { type: 'symmetric', rate: 0.5, seed: 9 }), 'E_SPEC', 'numClasses');
  });

  it('hit marks every fired draw: a superset of flipped for symmetric noise, equal to it for pair-flip', () => {
    const s = injectLabelNoise(clean, { type: 'symmetric', rate: 0.6, numClasses: K, seed: 'h' });
    let sameClassRedraws = 0;
    for (let i = 0; i < clean.length; i++) {
      if (s.flipped[i]) expect(s.hit[i]).toBe(1);
      if (s.hit[i] && !s.flipped[i]) sameClassRedraws++;
    }
    // P(redraw of the clean class | fired) = 1/K, so some of 500·0.6 fired draws land there.
    expect(sameClassRedraws).toBeGreaterThan(0);
    const p = injectLabelNoise(clean, { type: 'pair-flip', rate: 0.6, numClasses: K, seed: 'h' });
    expect(Array.from(p.hit)).toEqual(Array.from(p.flipped));
  });

  it('pair-flip follows a given map (an entry equal to its class keeps that class clean)', () => {
    const map = [0, 0, 1, 2, 3];
    const r = injectLabelNoise(clean, { type: 'pair-flip', rate: 1, numClasses: K, seed: 0, map });
    for (let i = 0; i < clean.length; i++) expect(r.labels[i]).toBe(map[clean[i]!]);
    expectDroError(
      () => injectLabelNoise(clean, { type: 'pair-flip', rate: 1, numClasses: K, seed: 0, map: [1, 2] }),
      'E_SHAPE',
      'opts.map',
    );
    expectDroError(
      () => injectLabelNoise(clean, { type: 'pair-flip', rate: 1, numClasses: K, seed: 0, map: [1, 2, 3, 4, 5] }),
      'E_LABEL_RANGE',
      'opts.map',
    );
    expectDroError(
      () => injectLabelNoise(clean, { type: 'symmetric', rate: 1, numClasses: K, seed: 0, map }),
      'E_SPEC',
      'opts.map',
    );
  });
});

describeBackends('label inputs as tensors', ['cpu'], () => {
  it('injectLabelNoise and toOneHot accept a Tensor1D of labels (int32 or whole-valued float32)', () => {
    const want = injectLabelNoise(clean, { type: 'symmetric', rate: 0.4, numClasses: K, seed: 11 });
    for (const dtype of ['int32', 'float32'] as const) {
      const t = tf.tensor1d(Array.from(clean), dtype);
      const got = injectLabelNoise(t, { type: 'symmetric', rate: 0.4, numClasses: K, seed: 11 });
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      expect(Array.from(toOneHot(t, K))).toEqual(Array.from(toOneHot(clean, K)));
      t.dispose();
    }
    const frac = tf.tensor1d([0, 1.5]);
    expectDroError(() => injectLabelNoise(frac, { type: 'symmetric', rate: 0.4, numClasses: K, seed: 1 }), 'E_DTYPE');
    frac.dispose();
  });
});
