import { createRng, GroupDroWeights, initBackend } from '@drojs/dro-core';
import { expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMlp } from './mlp.js';
import { makeGroupedSplit, N_GROUPS, PIXELS } from './spuriousData.js';
import { evaluate, makeTrainStep, uploadSplit } from './train.js';

describe('group-dro training step', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it('leaks no tensors over 100 steps (ERM and Group DRO) and lowers the training loss', () => {
    const rng = createRng(0);
    const n = 64;
    const images = Float32Array.from({ length: n * PIXELS }, () => rng.uniform());
    const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const train = uploadSplit(makeGroupedSplit(images, labels, rows, 0.95, rng.fork('attr')));
    const idx = Int32Array.from({ length: 32 }, (_, i) => i);
    for (const gdro of [undefined, new GroupDroWeights({ nGroups: N_GROUPS, etaQ: 0.1 })]) {
      const model = createMlp({ input: PIXELS, hidden: 8, output: 2 }, rng.fork('init'));
      const optimizer = tf.train.adam(1e-2);
      const step = makeTrainStep(model, optimizer, train, { weightDecay: 1e-3 }, gdro);
      const first = step(idx);
      expectNoLeak(() => step(idx), { repeats: 100, warmup: 2 });
      expect(step(idx)).toBeLessThan(first);
      const e = evaluate(model.apply, train);
      expect(e.perGroup.length).toBe(N_GROUPS);
      expect(e.worst).toBeLessThanOrEqual(e.avg);
      model.dispose();
      optimizer.dispose();
    }
    tf.dispose([train.x, train.oneHot]);
  });
});
