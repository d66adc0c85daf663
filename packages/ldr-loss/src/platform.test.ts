import { injectLabelNoise } from '@drojs/datasets';
import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

type Loss = (logits: unknown, labels: api.LabelsLike, opts?: Record<string, unknown>) => tf.Tensor;
const L = (f: unknown) => f as Loss;

// Every stateless loss with options it needs (ldrTopKHingeLoss: k; truncatedGceLoss: keep).
const losses: [string, Loss, Record<string, unknown>][] = [
  ['ldrKlLoss', L(api.ldrKlLoss), {}],
  ['ldrKlLimitInfLoss', L(api.ldrKlLimitInfLoss), {}],
  ['csHingeLoss', L(api.csHingeLoss), {}],
  ['wwHingeLoss', L(api.wwHingeLoss), {}],
  ['ldrTopKHingeLoss', L(api.ldrTopKHingeLoss), { k: 2 }],
  ['crossEntropyLoss', L(api.crossEntropyLoss), {}],
  ['focalLoss', L(api.focalLoss), {}],
  ['taylorCeLoss', L(api.taylorCeLoss), {}],
  ['maeLoss', L(api.maeLoss), {}],
  ['mseLoss', L(api.mseLoss), {}],
  ['gceLoss', L(api.gceLoss), {}],
  ['truncatedGceLoss', L(api.truncatedGceLoss), { keep: [1, 0, 1] }],
  ['sceLoss', L(api.sceLoss), {}],
  ['rceLoss', L(api.rceLoss), {}],
  ['nceLoss', L(api.nceLoss), {}],
  ['agceLoss', L(api.agceLoss), {}],
  ['aulLoss', L(api.aulLoss), {}],
  ['nceRceLoss', L(api.nceRceLoss), {}],
  ['nceAgceLoss', L(api.nceAgceLoss), {}],
  ['nceAulLoss', L(api.nceAulLoss), {}],
  ['jsLoss', L(api.jsLoss), {}],
  ['rllReferenceLoss', L(api.rllReferenceLoss), {}],
];

const factories: [string, (o: Record<string, unknown>) => api.CompileLoss, Record<string, unknown>][] = [
  ['ldrKl', api.ldrKl as never, {}],
  ['ldrKlLimitInf', api.ldrKlLimitInf as never, {}],
  ['csHinge', api.csHinge as never, {}],
  ['wwHinge', api.wwHinge as never, {}],
  ['ldrTopKHinge', api.ldrTopKHinge as never, { k: 2 }],
  ['crossEntropy', api.crossEntropy as never, {}],
  ['mae', api.mae as never, {}],
  ['mse', api.mse as never, {}],
  ['gce', api.gce as never, {}],
  ['sce', api.sce as never, {}],
  ['nce', api.nce as never, {}],
  ['rce', api.rce as never, {}],
  ['agce', api.agce as never, {}],
  ['aul', api.aul as never, {}],
  ['nceRce', api.nceRce as never, {}],
  ['nceAgce', api.nceAgce as never, {}],
  ['nceAul', api.nceAul as never, {}],
  ['js', api.js as never, {}],
  ['rllReference', api.rllReference as never, {}],
  ['focal', api.focal as never, {}],
  ['taylorCe', api.taylorCe as never, {}],
];

const logitsArray = [
  [0.3, -1.2, 2.0, 0.1],
  [1.5, 0.2, -0.4, -2.2],
  [-0.7, 0.9, 0.05, 1.1],
];
const labels = [2, 0, 3];

describeBackends('platform contract', ['cpu', 'wasm'], () => {
  it('every loss and every compile factory rejects a misspelt option by name (E_SPEC)', () => {
    const x = tf.tensor2d(logitsArray);
    for (const [name, loss, base] of losses) {
      expectDroError(() => loss(x, labels, { ...base, reductoin: 'sum' }), 'E_SPEC', 'reductoin');
      // a valid call with the same base options succeeds, so the misspelling is what was rejected
      const ok = loss(x, labels, base);
      expect(Number.isFinite(ok.dataSync()[0] as number), name).toBe(true);
      ok.dispose();
    }
    for (const [, make, base] of factories) {
      expectDroError(() => make({ ...base, labelFormt: 'sparse' }), 'E_SPEC', 'labelFormt');
      expect(typeof make(base)).toBe('function');
    }
    x.dispose();
  });

  it("new AldrKlLoss({ numInstances: 3, lamda0: 5 }) throws E_SPEC naming 'lamda0'; so do misspelt call options", () => {
    expectDroError(() => new api.AldrKlLoss({ numInstances: 3, lamda0: 5 } as never), 'E_SPEC', 'lamda0');
    const a = new api.AldrKlLoss({ numInstances: 3 });
    expectDroError(() => a.call(logitsArray, labels, [0, 1, 2], { updat: false } as never), 'E_SPEC', 'updat');
    expectDroError(() => a.asCompileLoss({ reduce: 'sum' } as never), 'E_SPEC', 'reduce');
    expect(a.stats().visited).toBe(0);
    expectDroError(() => new api.KlDroReweighter({ r: 1, gamma: 0.5 } as never), 'E_SPEC', 'gamma');
    expectDroError(() => new api.GlobalContrastiveLoss({ numInstances: 3, temp: 0.1 } as never), 'E_SPEC', 'temp');
    expectDroError(
      () => new api.BimodalGlobalContrastiveLoss({ numInstances: 3, tauMaxx: 1 } as never),
      'E_SPEC',
      'tauMaxx',
    );
    const g = new api.GlobalContrastiveLoss({ numInstances: 4 });
    expectDroError(() => g.call(logitsArray, logitsArray, [0, 1, 2], { upd: true } as never), 'E_SPEC', 'upd');
  });

  it('a non-tensor, non-numeric argument is E_DTYPE (dro-core toTensor), as in dro-core', () => {
    for (const [, loss, base] of losses) {
      expectDroError(() => loss('logits', labels, base), 'E_DTYPE', 'logits');
      expectDroError(() => loss({ shape: [3, 4] }, labels, base), 'E_DTYPE', 'logits');
    }
    const a = new api.AldrKlLoss({ numInstances: 3 });
    expectDroError(() => a.call('x' as never, labels, [0, 1, 2]), 'E_DTYPE', 'logits');
    expectDroError(() => api.klDroLoss('x' as never, 1), 'E_DTYPE', 'perSampleLosses');
    expectDroError(() => api.klDroWeights({} as never, 1), 'E_DTYPE', 'perSampleLosses');
    expectDroError(() => new api.KlDroReweighter({ r: 1 }).call('x' as never), 'E_DTYPE', 'perSampleLosses');
    const g = new api.GlobalContrastiveLoss({ numInstances: 4 });
    expectDroError(() => g.call(logitsArray, 'v' as never, [0, 1, 2]), 'E_DTYPE', 'view2');
    const b = new api.BimodalGlobalContrastiveLoss({ numInstances: 4 });
    expectDroError(() => b.call(null as never, logitsArray, [0, 1, 2]), 'E_DTYPE', 'image');
    expect(g.diagnostics().visited).toBe(0);
  });

  it('arrays are accepted wherever a tensor is (same values, nothing leaked)', () => {
    const x = tf.tensor2d(logitsArray);
    const before = tf.memory().numTensors;
    for (const [name, loss, base] of losses) {
      const fromTensor = loss(x, labels, { ...base, reduction: 'none' });
      const fromArray = loss(logitsArray, labels, { ...base, reduction: 'none' });
      expect(Array.from(fromArray.dataSync()), name).toEqual(Array.from(fromTensor.dataSync()));
      tf.dispose([fromTensor, fromArray]);
    }
    const w = api.klDroWeights([1, 2, 3], 0.5);
    const wt = tf.tensor1d([1, 2, 3]);
    const w2 = api.klDroWeights(wt, 0.5);
    expect(Array.from(w.dataSync())).toEqual(Array.from(w2.dataSync()));
    tf.dispose([w, wt, w2]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('kebab-case literals and their deprecated camelCase aliases give identical results', () => {
    const x = tf.tensor2d(logitsArray);
    const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), 4);
    for (const [kebab, camel] of [
      ['softplus-mean', 'softplusMean'],
      ['l1-mean', 'l1Mean'],
    ] as const) {
      const a = api.ldrKlLoss(x, labels, { normalize: kebab, lambda: 3, reduction: 'none' });
      const b = api.ldrKlLoss(x, labels, { normalize: camel, lambda: 3, reduction: 'none' });
      const plain = api.ldrKlLoss(x, labels, { lambda: 3, reduction: 'none' });
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(plain.dataSync()));
      tf.dispose([a, b, plain]);
    }
    const h1 = api.crossEntropyLoss(x, oneHot, { labelFormat: 'one-hot' });
    const h2 = api.crossEntropyLoss(x, oneHot, { labelFormat: 'oneHot' });
    expect(h1.dataSync()[0]).toBe(h2.dataSync()[0]);
    expectDroError(() => api.crossEntropyLoss(x, labels, { labelFormat: 'one-hot' }), 'E_SHAPE', 'labels');
    expectDroError(() => api.ldrKlLoss(x, labels, { normalize: 'softplus_mean' as never }), 'E_SPEC', 'normalize');
    const kebabAldr = new api.AldrKlLoss({ numInstances: 3, onDuplicateIndex: 'last-wins', normalize: 'l1-mean' });
    const camelAldr = new api.AldrKlLoss({ numInstances: 3, onDuplicateIndex: 'lastWins', normalize: 'l1Mean' });
    expect(camelAldr.options).toEqual(kebabAldr.options);
    expect(kebabAldr.options.normalize).toBe('l1-mean');
    const g = new api.GlobalContrastiveLoss({ numInstances: 3, onDuplicateIndex: 'lastWins' });
    expect(g.getState().options.onDuplicateIndex).toBe('last-wins');
    tf.dispose([x, oneHot, h1, h2]);
  });

  it('states written under the old kind strings and camelCase literals still load and continue identically', () => {
    const a = new api.AldrKlLoss({ numInstances: 4, lambda0: 2, normalize: 'l1-mean' });
    a.call(logitsArray, labels, [0, 1, 2]).dispose();
    const old = { ...a.getState(), kind: 'ldr-loss.AldrKlLoss', options: { ...a.getState().options } };
    (old.options as Record<string, unknown>).normalize = 'l1Mean';
    (old.options as Record<string, unknown>).onDuplicateIndex = 'lastWins';
    const b = api.AldrKlLoss.fromState(old as never);
    expect(b.getState()).toEqual(a.getState());
    const la = a.call(logitsArray, [1, 1, 1], [3, 0, 1]);
    const lb = b.call(logitsArray, [1, 1, 1], [3, 0, 1]);
    expect(lb.dataSync()[0]).toBe(la.dataSync()[0]);
    tf.dispose([la, lb]);

    const w = new api.KlDroReweighter({ r: 0.5 });
    w.call([1, 2, 3]).dispose();
    const wOld = api.KlDroReweighter.fromState({ ...w.getState(), kind: 'ldr-loss.KlDroReweighter' });
    expect(wOld.getState()).toEqual(w.getState());
    expect(w.getState().kind).toBe('@drojs/ldr-loss/KlDroReweighter');
    for (const [cls, kind] of [
      [api.GlobalContrastiveLoss, 'GlobalContrastiveLoss'],
      [api.BimodalGlobalContrastiveLoss, 'BimodalGlobalContrastiveLoss'],
    ] as const) {
      const g = new cls({ numInstances: 4 });
      const s = g.getState();
      expect(s.kind).toBe(`@drojs/ldr-loss/${kind}`);
      const restored = (cls.fromState as (x: unknown) => { getState(): unknown })({ ...s, kind: `ldr-loss.${kind}` });
      expect(restored.getState()).toEqual(s);
    }
  });

  it('invalid values inside a state are E_STATE_VERSION', () => {
    const a = new api.AldrKlLoss({ numInstances: 3 });
    const s = a.getState();
    expectDroError(() => api.AldrKlLoss.fromState({ ...s, lambda: [1, -1, 1] }), 'E_STATE_VERSION', 'lambda');
    expectDroError(() => api.AldrKlLoss.fromState({ ...s, visited: [0, 2, 0] }), 'E_STATE_VERSION', 'visited');
    expectDroError(
      () => api.AldrKlLoss.fromState({ ...s, options: { ...s.options, alpha: 0.5 } }),
      'E_STATE_VERSION',
      'options',
    );
    const w = new api.KlDroReweighter({ r: 1 }).getState();
    expectDroError(() => api.KlDroReweighter.fromState({ ...w, logU: Number.NaN }), 'E_STATE_VERSION', 'logU');
    const g = new api.GlobalContrastiveLoss({ numInstances: 2 }).getState();
    expectDroError(() => api.GlobalContrastiveLoss.fromState({ ...g, tau: [0.1, null as never] }), 'E_STATE_VERSION');
    expectDroError(() => api.GlobalContrastiveLoss.fromState({ ...g, epoch: -1 }), 'E_STATE_VERSION', 'epoch');
  });
});

describe('label noise: one API', () => {
  const clean = Int32Array.from({ length: 3000 }, (_, i) => (i * 7) % 10);
  it('the deprecated ldr-loss wrappers return what @drojs/datasets injectLabelNoise returns for the same seed', () => {
    for (const seed of [0, 7, 123]) {
      const u = api.uniformLabelNoise(clean, 10, 0.4, seed);
      const d = injectLabelNoise(clean, { type: 'symmetric', rate: 0.4, numClasses: 10, seed });
      expect(Array.from(u.labels)).toEqual(Array.from(d.labels));
      expect(Array.from(u.hit)).toEqual(Array.from(d.hit));
      const c = api.classDependentLabelNoise(clean, 10, 0.3, seed);
      const p = injectLabelNoise(clean, { type: 'pair-flip', rate: 0.3, numClasses: 10, seed });
      expect(Array.from(c.labels)).toEqual(Array.from(p.labels));
      expect(Array.from(c.hit)).toEqual(Array.from(p.hit));
    }
    const map = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    const r1 = createRng(5);
    const r2 = createRng(5);
    const m1 = api.classDependentLabelNoise(clean, 10, 0.5, r1, map);
    const m2 = injectLabelNoise(clean, { type: 'pair-flip', rate: 0.5, numClasses: 10, rng: r2, map });
    expect(Array.from(m1.labels)).toEqual(Array.from(m2.labels));
    expect(r1.getState()).toEqual(r2.getState());
  });
});
