import { describeBackends } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { anchorRegression } from './anchor.js';
import { tsls } from './iv/tsls.js';
import { ivlRegression } from './ivl/ivlRegression.js';
import { vectors } from './test/vectors.js';

describeBackends('host estimators accept tensors', ['cpu'], () => {
  it('number[][], row-major Float64Array and (float32-exact) tensors give identical results', () => {
    const I = vectors.cases.tsls_small.inputs;
    const f32 = (m: number[][]) => m.map((r) => r.map(Math.fround));
    const y = (I.y as number[]).map(Math.fround);
    const exog = f32(I.exog);
    const endog = f32(I.endog);
    const instr = f32(I.instr);
    const flat = (m: number[][]) => ({ data: Float64Array.from(m.flat()), rows: m.length, cols: m[0]!.length });
    const a = tsls({ y, exog, endog, instruments: instr, intercept: false });
    const b = tsls({
      y: Float64Array.from(y),
      exog: flat(exog),
      endog: flat(endog),
      instruments: flat(instr),
      intercept: false,
    });
    const T = [tf.tensor1d(y), tf.tensor2d(exog), tf.tensor2d(endog), tf.tensor2d(instr)];
    const c = tsls({
      y: T[0] as tf.Tensor1D,
      exog: T[1] as tf.Tensor2D,
      endog: T[2] as tf.Tensor2D,
      instruments: T[3] as tf.Tensor2D,
      intercept: false,
    });
    expect(b.params).toEqual(a.params);
    expect(c.params).toEqual(a.params);
    expect(c.stdErrors).toEqual(a.stdErrors);
    const GX = endog.map((r, i) => [r[0]!, exog[i]![1]!]);
    const t1 = ivlRegression({ GX, y, G: instr, alpha: 0.3 });
    const GXt = tf.tensor2d(GX);
    const t2 = ivlRegression({ GX: GXt, y: T[0] as tf.Tensor1D, G: T[3] as tf.Tensor2D, alpha: 0.3 });
    expect(t2.coef).toEqual(t1.coef);
    const a1 = anchorRegression({ X: GX, y, anchors: instr, gamma: 2 });
    const a2 = anchorRegression({ X: GXt, y: T[0] as tf.Tensor1D, anchors: T[3] as tf.Tensor2D, gamma: 2 });
    expect(a2.coef).toEqual(a1.coef);
    tf.dispose([...T, GXt]);
  });
});
