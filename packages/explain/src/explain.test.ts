import { describeBackends, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { explain } from './explain.js';
import { fitClassifier } from './fitClassifier.js';
import { tinyClassifier, tinySelector, uniformData } from './nets.fixture.js';

const H = 4;
const K = 3;

describeBackends('explain and fitClassifier', ['cpu', 'wasm'], () => {
  it('explain: hard by default after straight-through, soft otherwise; fields consistent', () => {
    const s = tinySelector('es', 1, 2);
    const p = tinyClassifier('ep', H, H, 1, K);
    const d = tinyClassifier('ed', H, H, 1, K);
    const x = uniformData('ex', [3, H, H, 1]) as tf.Tensor4D;
    const base = { selector: s, predictor: p, detector: d, upsample: 'bilinear' as const, fill: 0 };
    const hard = explain({ ...base, maskMode: 'straight-through' }, x);
    for (const v of hard.mask.dataSync()) expect(v === 0 || v === 1).toBe(true);
    const soft = explain({ ...base, maskMode: 'soft' }, x);
    const u = soft.mask.dataSync();
    const hm = hard.mask.dataSync();
    u.forEach((v, i) => expect(hm[i]).toBe(v > 0.5 ? 1 : 0));
    const probs = soft.probabilities.dataSync();
    soft.predictions.forEach((c, i) => {
      expect(soft.selectedConfidence[i]).toBe(probs[i * K + c]);
      expect(soft.complementConfidence![i]).toBe(soft.complementProbabilities!.dataSync()[i * K + c]);
    });
    const noDet = explain({ selector: s, predictor: p, upsample: 'bilinear', maskMode: 'soft', fill: 0 }, x);
    expect(noDet.complementProbabilities).toBeUndefined();
    for (const e of [hard, soft, noDet]) e.dispose();
    expectNoLeak(() => explain({ ...base, maskMode: 'soft' }, x).dispose(), { repeats: 3 });
    expectDroError(() => explain({ ...base, maskMode: 'soft' }, x, { mask: 'fuzzy' as never }), 'E_SPEC', 'mask');
    expectDroError(() => explain({ ...base, maskMode: 'soft' }, x, { fill: [1, 2] }), 'E_SHAPE', 'fill');
    expectDroError(
      () => explain({ ...base, selector: (v: tf.Tensor) => tf.zeros([v.shape[0]!, 2, 2, 3]), maskMode: 'soft' }, x),
      'E_SHAPE',
      'selector',
    );
    for (const n of [s, p, d]) n.dispose();
    x.dispose();
  });

  it('fitClassifier lowers the loss, is seeded and abortable', async () => {
    const x = uniformData('fx', [12, H, H, 1]) as tf.Tensor4D;
    const y = Int32Array.from({ length: 12 }, (_, i) => (x.dataSync()[i * 16]! > 0.5 ? 1 : 0));
    const run = async () => {
      const net = tinyClassifier('fc', H, H, 1, 2);
      const r = await fitClassifier(net, x, y, {
        epochs: 8,
        batchSize: 4,
        seed: 1,
        optimizer: { name: 'adam', learningRate: 0.05 },
      });
      const w = Array.from(net.variables[2]!.dataSync());
      net.dispose();
      return { r, w };
    };
    const a = await run();
    const b = await run();
    expect(a.r.loss[7]!).toBeLessThan(a.r.loss[0]!);
    expect(b.w).toEqual(a.w);
    const net = tinyClassifier('fa', H, H, 1, 2);
    const ctl = new AbortController();
    ctl.abort();
    await expect(fitClassifier(net, x, y, { epochs: 1, signal: ctl.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
    await expect(fitClassifier(net, x, y, { epochs: 0 })).rejects.toMatchObject({ code: 'E_SPEC' });
    await expect(fitClassifier(net, x, [0, 1], { epochs: 1 })).rejects.toMatchObject({ code: 'E_SHAPE' });
    net.dispose();
    x.dispose();
  });
});
