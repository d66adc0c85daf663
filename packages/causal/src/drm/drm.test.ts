import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, sequential } from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { accuracy, featurizer, sample } from '../test/drmSynthetic.js';
import { Drm } from './drm.js';
import { entropySelect } from './entropySelect.js';

describeBackends('Drm', ['cpu', 'wasm'], () => {
  it('leaks no tensors in trainStep, predict and adapt', () => {
    const rng = createRng(1);
    const drm = new Drm({ featurizer: featurizer(1), numDomains: 3, numClasses: 2, seed: 1 });
    const batches = [0, 1, 2].map((d) => sample(d, 16, rng));
    const tb = sample(2, 16, rng);
    expectNoLeak(() => drm.trainStep(batches.map((b) => ({ x: b.x, y: b.y }))), { repeats: 100 });
    expectNoLeak(() => drm.predict(tb.x, { select: 'weighted', gamma: 1 }), { repeats: 100 });
    expectNoLeak(() => drm.adapt(tb.x, { beta: 0.5, gamma: 1 }), { repeats: 100 });
    expectNoLeak(() => drm.adapt(tb.x, { beta: 0.5, gamma: 1, update: 'all', label: 'own', steps: 2 }), {
      repeats: 20,
    });
    drm.dispose();
    for (const b of [...batches, tb]) tf.dispose([b.x, b.y]);
  });

  it('state round trip continues training and adaptation bit-exactly', () => {
    const rng = createRng(2);
    const drm = new Drm({ featurizer: featurizer(2), numDomains: 3, numClasses: 2, seed: 2 });
    const batches = [0, 1, 2].map((d) => sample(d, 16, rng));
    const tb = sample(2, 16, rng);
    for (let k = 0; k < 3; k++) drm.trainStep(batches);
    drm.adapt(tb.x, { beta: 0.5, gamma: 1 });
    const copy = Drm.fromState(JSON.parse(JSON.stringify(drm.getState())));
    for (const m of [drm, copy]) {
      m.trainStep(batches);
      m.adapt(tb.x, { beta: 0.5, gamma: 1 }).probs.dispose();
    }
    const a = drm.predict(tb.x, { select: 'weighted' });
    const b = copy.predict(tb.x, { select: 'weighted' });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    expectDroError(() => Drm.fromState({ ...drm.getState(), version: 99 } as never), 'E_STATE_VERSION');
    expectDroError(() => Drm.fromState({ ...drm.getState(), kind: 'causal.Eacs' } as never), 'E_STATE_VERSION');
    drm.dispose();
    copy.dispose();
    for (const b of [...batches, tb]) tf.dispose([b.x, b.y]);
  });

  it('accepts pre-trained model heads; state round trip; entropySelect over the same heads agrees', () => {
    const rng = createRng(5);
    const feat = featurizer(5);
    const heads = [0, 1, 2, 3].map((h) =>
      sequential({
        layers: [
          layers.dense({ inputShape: [32], units: 2, kernelInitializer: initializers.glorotUniform({ seed: 50 + h }) }),
        ],
      }),
    );
    const drm = new Drm({ featurizer: feat, heads, numDomains: 3, numClasses: 2, seed: 5 });
    const batches = [0, 1, 2].map((d) => sample(d, 16, rng));
    for (let k = 0; k < 3; k++) drm.trainStep(batches);
    const copy = Drm.fromState(JSON.parse(JSON.stringify(drm.getState())));
    drm.trainStep(batches);
    copy.trainStep(batches);
    const tb = sample(2, 16, rng);
    const a = drm.predict(tb.x);
    const b = copy.predict(tb.x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    const classifiers = heads.map((h) => (x: tf.Tensor) => h.apply(feat.apply(x)) as tf.Tensor);
    const c = entropySelect(classifiers, tb.x);
    expect(Array.from(c.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, c, tb.x, tb.y]);
    for (const bt of batches) tf.dispose([bt.x, bt.y]);
    drm.dispose();
    copy.dispose();
  });

  it('bad input → DroError, and the model is unchanged', () => {
    const rng = createRng(3);
    const drm = new Drm({ featurizer: featurizer(3), numDomains: 3, numClasses: 2, seed: 3 });
    const batches = [0, 1, 2].map((d) => sample(d, 8, rng));
    const before = drm.getState();
    expectDroError(() => drm.trainStep(batches.slice(0, 2)), 'E_SHAPE', 'batches');
    const bad = tf.tensor1d([0, 1, 2, 0, 1, 0, 1, 0], 'int32');
    expectDroError(
      () => drm.trainStep([batches[0]!, batches[1]!, { x: batches[2]!.x, y: bad }]),
      'E_LABEL_RANGE',
      'batches[2].y',
    );
    const nan = tf.tensor2d([[0, Number.NaN, 0, 0]]);
    expectDroError(() => drm.predict(nan), 'E_NONFINITE', 'row 0, column 1');
    const fl = tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1]);
    expectDroError(
      () => drm.trainStep([batches[0]!, batches[1]!, { x: batches[2]!.x, y: fl as tf.Tensor1D }]),
      'E_DTYPE',
      'batches[2].y',
    );
    fl.dispose();
    expectDroError(() => drm.adapt(batches[0]!.x, { beta: 1.1, gamma: 1 }), 'E_SPEC', 'beta');
    expectDroError(() => drm.adapt(batches[0]!.x, { beta: 0.5, gamma: 1, steps: 0 }), 'E_SPEC', 'steps');
    expect(JSON.stringify(drm.getState())).toBe(JSON.stringify(before));
    tf.dispose([bad, nan]);
    drm.dispose();
    for (const b of batches) tf.dispose([b.x, b.y]);
  });
});

describeBackends('Drm synthetic check (reduced §15.5)', ['cpu'], () => {
  it('own heads beat the pooled head on the flipped domain; entropy selection finds it; quirks keep nothing; steps are exact', () => {
    const rng = createRng('drm-synth');
    const drm = new Drm({ featurizer: featurizer(7), numDomains: 3, numClasses: 2, seed: 7 });
    for (let step = 0; step < 600; step++) {
      const batches = [0, 1, 2].map((d) => sample(d, 64, rng));
      drm.trainStep(batches);
      for (const b of batches) tf.dispose([b.x, b.y]);
    }
    // (a) on domain 2 (nuisance sign flipped) the own head beats the pooled head.
    const t2 = sample(2, 4000, rng);
    const own = drm.predict(t2.x, { select: 2 });
    const pooled = drm.predict(t2.x, { select: 'pooled' });
    expect(accuracy(own, t2.labels)).toBeGreaterThanOrEqual(accuracy(pooled, t2.labels) + 0.03);
    // (b) batch entropy picks head 2 on most target batches.
    let picks = 0;
    for (let b = 0; b < 40; b++) {
      const tb = sample(2, 32, rng);
      const p = drm.predict(tb.x, { select: 'batch-entropy' });
      const p2 = drm.predict(tb.x, { select: 2 });
      if (Array.from(p.dataSync()).every((v, i) => v === p2.dataSync()[i])) picks++;
      tf.dispose([p, p2, tb.x, tb.y]);
    }
    expect(picks).toBeGreaterThanOrEqual(30);
    // (d) reference quirks with β = 0.75 > e/(e + 1): nothing is kept, weights bit-identical.
    const tb = sample(2, 32, rng);
    const before = JSON.stringify(drm.getState().heads);
    const r = drm.adapt(tb.x, { beta: 0.75, gamma: 1, referenceQuirks: true });
    expect(r.kept).toBe(0);
    expect(JSON.stringify(drm.getState().heads)).toBe(before);
    r.probs.dispose();
    // (e) steps: 3 → exactly 3 optimiser rounds per batch when samples are kept.
    const s0 = drm.adaptationSteps;
    const r3 = drm.adapt(tb.x, { beta: 0, gamma: 1, steps: 3, lrScale: 10 });
    expect(drm.adaptationSteps - s0).toBe(3);
    r3.probs.dispose();
    drm.reset();
    expect(JSON.stringify(drm.getState().heads)).toBe(before);
    tf.dispose([own, pooled, t2.x, t2.y, tb.x, tb.y]);
    drm.dispose();
  });
});
