import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { inputAdversaryAsync } from '../adversary.js';
import { initBackend } from '../backend.js';
import { GroupDroWeights } from '../group.js';
import { createRng } from '../rng.js';
import { robustLoss } from '../robust.js';
import { robustStep } from '../robustAsync.js';
import type { RobustSpec } from '../spec.js';
import { expectClose, TOL_F32 } from '../testing/index.js';
import { registerWebGpu } from './index.js';

// Runs where VK_ICD_FILENAMES names an existing Vulkan ICD manifest (as the smoke test beside it): on this
// project's CI, SwiftShader from Debian's chromium package or Mesa ≥ 24 lavapipe (README, "WebGPU").
const haveIcd = !!process.env.VK_ICD_FILENAMES?.split(':').some((p) => p !== '' && existsSync(p));

const IN = 8;
const HIDDEN = 16;
const CLASSES = 3;
const BATCH = 32;
const STEPS = 6;

/** Host data and initial parameters, drawn once so that both backends start from the same floats. */
function problem() {
  const rng = createRng(11);
  const normal = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal() * s);
  const x = normal(BATCH * IN, 1);
  const labels = Int32Array.from({ length: BATCH }, (_, i) => (i * 7) % CLASSES);
  // Make the classes learnable: shift the first features by the label.
  for (let i = 0; i < BATCH; i++) x[i * IN + labels[i]!]! += 1.5;
  return {
    x,
    labels,
    w1: normal(IN * HIDDEN, Math.sqrt(2 / IN)),
    w2: normal(HIDDEN * CLASSES, Math.sqrt(1 / HIDDEN)),
  };
}

/** A few robustStep SGD steps on the current backend; returns the robust values and the final parameters. */
async function train(
  spec: RobustSpec,
): Promise<{ values: number[]; params: number[][]; groupQ: number[]; adversarial: number[] }> {
  const p = problem();
  const x = tf.tensor2d(p.x, [BATCH, IN]);
  const y = tf.oneHot(tf.tensor1d(p.labels, 'int32'), CLASSES);
  const w1 = tf.variable(tf.tensor2d(p.w1, [IN, HIDDEN]));
  const b1 = tf.variable(tf.zeros([HIDDEN]));
  const w2 = tf.variable(tf.tensor2d(p.w2, [HIDDEN, CLASSES]));
  const perSample = () =>
    tf.tidy(() => {
      const logits = tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2);
      return tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(y, logits), 1)) as tf.Tensor1D;
    });
  const opt = tf.train.sgd(0.1);
  const values: number[] = [];
  for (let k = 0; k < STEPS; k++) values.push((await robustStep(opt, perSample, spec)).value);
  // Group DRO's update reads the group losses asynchronously too (groups: label classes).
  const groups = new GroupDroWeights({ numGroups: CLASSES, etaQ: 0.5 });
  const groupLosses = tf.tidy(() => tf.div(tf.matMul(tf.reshape(perSample(), [1, BATCH]), y), tf.sum(y, 0)));
  const g = await groups.updateAsync(tf.reshape(groupLosses, [CLASSES]) as tf.Tensor1D);
  // The input adversary reads each step's input gradient asynchronously (L2 ball: no sign() of tiny gradients).
  const lossAt = (z: tf.Tensor) => {
    const logits = tf.matMul(tf.relu(tf.add(tf.matMul(z as tf.Tensor2D, w1), b1)), w2);
    return tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(y, logits), 1)) as tf.Tensor1D;
  };
  const adv = await inputAdversaryAsync(lossAt, x, { form: 'ball', norm: 'l2', eps: 0.5, steps: 3 });
  const params = [Array.from(await w1.data()), Array.from(await b1.data()), Array.from(await w2.data())];
  tf.dispose([x, y, w1, b1, w2, groupLosses, g.loss, adv.x]);
  opt.dispose();
  return { values, params, groupQ: Array.from(g.q), adversarial: Array.from(adv.losses) };
}

describe.runIf(haveIcd)('robust training on WebGPU (VK_ICD_FILENAMES set)', () => {
  it('robustStep trains on webgpu, decreases the robust loss and matches cpu; Group DRO and the adversary too', async () => {
    const specs: RobustSpec[] = [
      { kind: 'kl', lambda: 0.5 },
      { kind: 'chi2-constrained', rho: 0.5 },
    ];
    await initBackend({ backend: 'cpu' });
    const cpu = [];
    for (const spec of specs) cpu.push(await train(spec));

    const info = await registerWebGpu();
    console.log(`webgpu adapter: ${info.adapter}`);
    expect(tf.getBackend()).toBe('webgpu');
    // Why the async path exists: the synchronous read of a GPU-computed tensor throws on tfjs-backend-webgpu
    // in Node. (A tensor just uploaded from the host, or a small elementwise result that tfjs-webgpu forwards
    // to its CPU fallback, is still readable; a matmul result lives on the GPU only.)
    const l = tf.tidy(() => tf.reshape(tf.matMul(tf.ones([3, 2]), tf.ones([2, 1])), [3]) as tf.Tensor1D);
    expect(() => robustLoss(l, { kind: 'kl', lambda: 1 })).toThrow();
    l.dispose();

    for (const [i, spec] of specs.entries()) {
      const gpu = await train(spec);
      console.log(`webgpu ${spec.kind}: robust loss ${gpu.values.map((v) => v.toFixed(5)).join(' → ')}`);
      expect(gpu.values[STEPS - 1]!, spec.kind).toBeLessThan(gpu.values[0]!);
      expectClose(gpu.values, cpu[i]!.values, TOL_F32);
      for (const [j, p] of gpu.params.entries()) expectClose(p, cpu[i]!.params[j]!, TOL_F32);
      expectClose(gpu.groupQ, cpu[i]!.groupQ, TOL_F32);
      expectClose(gpu.adversarial, cpu[i]!.adversarial, TOL_F32);
    }
  });
});
