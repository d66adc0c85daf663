import { createRng } from '@drojs/dro-core';
import { describeBackends, expectClose, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

type Loss = (logits: tf.Tensor, labels: api.LabelsLike, opts: { reduction?: api.Reduction }) => tf.Tensor;

function randomCase(seed: number, N: number, K: number, scale = 5): { logits: number[][]; labels: number[] } {
  const rng = createRng(seed);
  const logits = Array.from({ length: N }, () => Array.from({ length: K }, () => (2 * rng.uniform() - 1) * scale));
  const labels = Array.from({ length: N }, () => rng.int(K));
  return { logits, labels };
}

/** Every stateless loss with a few option sets (smooth ones: the FD check applies everywhere). */
function smoothLosses(): [string, Loss][] {
  const out: [string, Loss][] = [];
  for (const lambda of [0.1, 1, 10]) {
    for (const normalize of ['none', 'softplusMean', 'l1Mean'] as const) {
      out.push([
        `ldrKl λ=${lambda} ${normalize}`,
        (l, y, o) => api.ldrKlLoss(l, y, { ...o, lambda, margin: 0.3, normalize }),
      ]);
    }
  }
  for (const normalize of ['none', 'softplusMean', 'l1Mean'] as const) {
    out.push([
      `ldrKlLimitInf ${normalize}`,
      (l, y, o) => api.ldrKlLimitInfLoss(l, y, { ...o, margin: 0.2, normalize }),
    ]);
  }
  out.push(
    ['crossEntropy', (l, y, o) => api.crossEntropyLoss(l, y, o)],
    ['mae', (l, y, o) => api.maeLoss(l, y, o)],
    ['mse', (l, y, o) => api.mseLoss(l, y, o)],
    ['gce', (l, y, o) => api.gceLoss(l, y, o)],
    ['gce q=0.05', (l, y, o) => api.gceLoss(l, y, { ...o, q: 0.05 })],
    ['sce', (l, y, o) => api.sceLoss(l, y, o)],
    ['nce', (l, y, o) => api.nceLoss(l, y, o)],
    ['agce', (l, y, o) => api.agceLoss(l, y, o)],
    ['aul', (l, y, o) => api.aulLoss(l, y, o)],
    ['nceRce', (l, y, o) => api.nceRceLoss(l, y, { ...o, alpha: 5, beta: 5 })],
    ['nceAgce', (l, y, o) => api.nceAgceLoss(l, y, o)],
    ['nceAul', (l, y, o) => api.nceAulLoss(l, y, o)],
    ['js', (l, y, o) => api.jsLoss(l, y, o)],
    ['rllReference', (l, y, o) => api.rllReferenceLoss(l, y, o)],
    ['focal', (l, y, o) => api.focalLoss(l, y, o)],
    ['focal γ=0.5', (l, y, o) => api.focalLoss(l, y, { ...o, gamma: 0.5 })],
    ['taylorCe', (l, y, o) => api.taylorCeLoss(l, y, { ...o, order: 3 })],
  );
  return out;
}

function meanAt(loss: Loss, logits: number[][], labels: number[]): number {
  return tf.tidy(() => loss(tf.tensor2d(logits), labels, { reduction: 'mean' }).dataSync()[0]!);
}

/** tf.grad vs central differences (step 1e-2), |Δ| ≤ 1e-3 + 1e-2·|g| (spec §15.2). */
function checkGradient(loss: Loss, logits: number[][], labels: number[]): string | null {
  const g = tf.tidy(
    () =>
      tf
        .grad((l: tf.Tensor) => loss(l, labels, {}) as tf.Scalar)(tf.tensor2d(logits))
        .arraySync() as number[][],
  );
  const h = 1e-2;
  for (let i = 0; i < logits.length; i++) {
    for (let k = 0; k < logits[i]!.length; k++) {
      const plus = logits.map((r) => r.slice());
      const minus = logits.map((r) => r.slice());
      plus[i]![k]! += h;
      minus[i]![k]! -= h;
      const fd = (meanAt(loss, plus, labels) - meanAt(loss, minus, labels)) / (2 * h);
      const a = g[i]![k]!;
      if (!(Math.abs(a - fd) <= 1e-3 + 1e-2 * Math.abs(fd))) return `[${i}][${k}]: grad ${a}, finite difference ${fd}`;
    }
  }
  return null;
}

describeBackends('stateless losses', ['cpu', 'wasm'], () => {
  it('tf.grad matches central finite differences for every smooth loss (K ∈ {2, 3, 10})', () => {
    const failures: string[] = [];
    for (const [name, loss] of smoothLosses()) {
      for (const [K, seed] of [
        [2, 1],
        [3, 2],
        [10, 3],
      ] as const) {
        const { logits, labels } = randomCase(seed, 3, K);
        const m = checkGradient(loss, logits, labels);
        if (m) failures.push(`${name} K=${K} ${m}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('hinges: gradients match finite differences away from kinks', () => {
    const { logits, labels } = randomCase(7, 4, 5);
    const losses: [string, Loss][] = [
      ['cs', (l, y, o) => api.csHingeLoss(l, y, { ...o, margin: 0.37 })],
      ['cs softplusMean', (l, y, o) => api.csHingeLoss(l, y, { ...o, margin: 0.37, normalize: 'softplusMean' })],
      ['ww classes', (l, y, o) => api.wwHingeLoss(l, y, { ...o, margin: 0.37 })],
      ['ww sum', (l, y, o) => api.wwHingeLoss(l, y, { ...o, margin: 0.37, average: 'sum' })],
      ['top-2', (l, y, o) => api.ldrTopKHingeLoss(l, y, { ...o, k: 2, margin: 0.37 })],
      ['top-3 l1Mean', (l, y, o) => api.ldrTopKHingeLoss(l, y, { ...o, k: 3, margin: 0.37, normalize: 'l1Mean' })],
    ];
    const failures = losses.map(([n, f]) => [n, checkGradient(f, logits, labels)]).filter(([, m]) => m !== null);
    expect(failures).toEqual([]);
  });

  it('λ = 1, c = 0 equals CE − log K; c = 0 any λ equals λ·CE(f/λ) − λ log K', () => {
    const { logits, labels } = randomCase(11, 6, 7);
    const x = tf.tensor2d(logits);
    const ce = api.crossEntropyLoss(x, labels, { reduction: 'none' });
    const ldr = api.ldrKlLoss(x, labels, { reduction: 'none' });
    expectClose(
      ldr.arraySync(),
      (ce.arraySync() as number[]).map((v) => v - Math.log(7)),
      { abs: 1e-5, rel: 1e-5 },
    );
    const lam = 3.5;
    const scaled = tf.div(x, lam);
    const ceS = api.crossEntropyLoss(scaled, labels, { reduction: 'none' });
    const ldrS = api.ldrKlLoss(x, labels, { reduction: 'none', lambda: lam });
    expectClose(
      ldrS.arraySync(),
      (ceS.arraySync() as number[]).map((v) => lam * v - lam * Math.log(7)),
      { abs: 1e-4, rel: 1e-5 },
    );
    tf.dispose([x, ce, ldr, scaled, ceS, ldrS]);
  });

  it('limits: λ → 0 gives the CS hinge, λ → ∞ the mean of z (and λ = 1e6 stays accurate)', () => {
    const { logits, labels } = randomCase(12, 5, 6);
    const x = tf.tensor2d(logits);
    const cs = api.csHingeLoss(x, labels, { margin: 0.5, reduction: 'none' }).arraySync() as number[];
    const small = api.ldrKlLoss(x, labels, { lambda: 1e-4, margin: 0.5, reduction: 'none' }).arraySync() as number[];
    expectClose(small, cs, { abs: 1e-3 });
    const inf = api.ldrKlLimitInfLoss(x, labels, { margin: 0.5, reduction: 'none' }).arraySync() as number[];
    const big = api.ldrKlLoss(x, labels, { lambda: 1e6, margin: 0.5, reduction: 'none' }).arraySync() as number[];
    expectClose(big, inf, { abs: 1e-4 });
    x.dispose();
  });

  it('the λ → ∞ limit is symmetric: Σ_y ψ_∞(f, y) = c(K − 1) for any f', () => {
    const { logits } = randomCase(13, 4, 5);
    const x = tf.tensor2d(logits);
    const sums = new Array(4).fill(0);
    for (let y = 0; y < 5; y++) {
      const v = api.ldrKlLimitInfLoss(x, [y, y, y, y], { margin: 0.7, reduction: 'none' }).arraySync() as number[];
      v.forEach((a, i) => (sums[i] += a));
    }
    expectClose(sums, new Array(4).fill(0.7 * 4), { abs: 1e-4 });
    x.dispose();
  });

  it('equal per-class margins reproduce the scalar margin; a larger margin on one class raises the loss', () => {
    const { logits, labels } = randomCase(14, 5, 4);
    const x = tf.tensor2d(logits);
    const a = api.ldrKlLoss(x, labels, { lambda: 2, margin: 0.4, reduction: 'none' }).arraySync();
    const b = api.ldrKlLoss(x, labels, { lambda: 2, margin: [0.4, 0.4, 0.4, 0.4], reduction: 'none' }).arraySync();
    expectClose(b, a, { abs: 1e-6 });
    const c = api
      .ldrKlLoss(x, labels, { lambda: 2, margin: [0.4, 0.4, 2, 0.4], reduction: 'none' })
      .arraySync() as number[];
    c.forEach((v, i) => {
      if (labels[i] !== 2) expect(v).toBeGreaterThan((a as number[])[i]!);
      else expect(v).toBeCloseTo((a as number[])[i]!, 5);
    });
    x.dispose();
  });

  it('l1Mean is scale invariant and its gradient uses sign(0) = 0 (Σ g·f = 0)', () => {
    const logits = [
      [0, 1.5, -2, 0.5],
      [3, 0, 0, -1],
    ];
    const f = (l: tf.Tensor) => api.ldrKlLoss(l, [1, 0], { lambda: 2, normalize: 'l1Mean' }) as tf.Scalar;
    const x = tf.tensor2d(logits);
    const v1 = f(x).dataSync()[0]!;
    const v2 = f(tf.mul(x, 7.5)).dataSync()[0]!;
    expect(v2).toBeCloseTo(v1, 5);
    const g = tf.grad(f)(x).arraySync() as number[][];
    g.forEach((row, i) => expect(Math.abs(row.reduce((s, gk, k) => s + gk * logits[i]![k]!, 0))).toBeLessThan(1e-6));
    // FD at the zero entries: the one-sided slopes differ, the sign(0) = 0 convention is their average.
    const h = 1e-3;
    const at = (d: number) => f(tf.tensor2d([[d, 1.5, -2, 0.5], logits[1]!])).dataSync()[0]!;
    expect(g[0]![0]!).toBeCloseTo((at(h) - at(-h)) / (2 * h), 3);
    x.dispose();
  });

  it('is finite at ±1e3 logits, λ ∈ {1e-4, 1e6}, and an all-zero row under l1Mean / underflowing softplusMean', () => {
    const x = tf.tensor2d([
      [1000, -1000, 0, 500],
      [-1000, -1000, -1000, -1000],
      [0, 0, 0, 0],
    ]);
    const y = [1, 2, 0];
    const checks: tf.Tensor[] = [];
    for (const lambda of [1e-4, 1, 1e6]) {
      for (const normalize of ['none', 'softplusMean', 'l1Mean'] as const) {
        checks.push(tf.grad((l: tf.Tensor) => api.ldrKlLoss(l, y, { lambda, margin: 0.1, normalize }) as tf.Scalar)(x));
        checks.push(api.ldrKlLoss(x, y, { lambda, margin: 0.1, normalize, reduction: 'none' }));
      }
    }
    for (const [, loss] of smoothLosses()) {
      checks.push(tf.grad((l: tf.Tensor) => loss(l, y, {}) as tf.Scalar)(x), loss(x, y, { reduction: 'none' }));
    }
    for (const t of checks) for (const v of t.dataSync()) expect(Number.isFinite(v)).toBe(true);
    tf.dispose([x, ...checks]);
  });

  it('dense [N, H, K] logits reduce over all leading axes; sparse [N,H,1] and one-hot labels agree', () => {
    const { logits, labels } = randomCase(15, 6, 3);
    const flat = tf.tensor2d(logits);
    const dense = tf.reshape(flat, [2, 3, 3]);
    const a = api.ldrKlLoss(flat, labels, { lambda: 2, reduction: 'none' });
    const b = api.ldrKlLoss(dense, tf.tensor2d(labels, [2, 3], 'int32'), { lambda: 2, reduction: 'none' });
    expect(b.shape).toEqual([2, 3]);
    expectClose(b.dataSync(), a.dataSync(), { abs: 1e-6 });
    const c = api.ldrKlLoss(dense, tf.tensor3d(labels, [2, 3, 1], 'float32'), { lambda: 2, reduction: 'none' });
    const oneHot = tf.reshape(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), [2, 3, 3]);
    const d = api.ldrKlLoss(dense, oneHot, { lambda: 2, reduction: 'none' });
    expectClose(c.dataSync(), a.dataSync(), { abs: 1e-6 });
    expectClose(d.dataSync(), a.dataSync(), { abs: 1e-6 });
    const s = api.ldrKlLoss(dense, oneHot, { lambda: 2, reduction: 'sum' }).dataSync()[0]!;
    expect(s).toBeCloseTo(
      (a.dataSync() as Float32Array).reduce((p, q) => p + q, 0),
      4,
    );
    tf.dispose([flat, dense, a, b, c, oneHot, d]);
  });

  it('ignoreIndex drops rows from sum, mean and gradient; all ignored gives 0 with zero gradient', () => {
    const { logits } = randomCase(16, 4, 3);
    const x = tf.tensor2d(logits);
    const labels = [0, -100, 2, -100];
    const none = api.crossEntropyLoss(x, labels, { ignoreIndex: -100, reduction: 'none' }).arraySync() as number[];
    expect(none[1]).toBe(0);
    expect(none[3]).toBe(0);
    const mean = api.crossEntropyLoss(x, labels, { ignoreIndex: -100 }).dataSync()[0]!;
    expect(mean).toBeCloseTo((none[0]! + none[2]!) / 2, 5);
    const g = tf
      .grad((l: tf.Tensor) => api.crossEntropyLoss(l, labels, { ignoreIndex: -100 }) as tf.Scalar)(x)
      .arraySync() as number[][];
    expect(g[1]!.every((v) => v === 0)).toBe(true);
    const allIgnored = [-100, -100, -100, -100];
    const vg = tf.valueAndGrad((l: tf.Tensor) => api.ldrKlLoss(l, allIgnored, { ignoreIndex: -100 }) as tf.Scalar)(x);
    expect(vg.value.dataSync()[0]).toBe(0);
    expect(Array.from(vg.grad.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose([x, vg.value, vg.grad]);
  });

  it('hinges: CS equals max(0, max_{k≠y} c + f_k − f_y); top-1 equals CS; WW sum = K × classes', () => {
    const { logits, labels } = randomCase(17, 5, 4);
    const x = tf.tensor2d(logits);
    const cs = api.csHingeLoss(x, labels, { reduction: 'none' }).arraySync() as number[];
    const ref = logits.map((r, i) => Math.max(0, ...r.map((f, k) => (k === labels[i] ? 0 : 1 + f - r[labels[i]!]!))));
    expectClose(cs, ref, { abs: 1e-5 });
    expectClose(api.ldrTopKHingeLoss(x, labels, { k: 1, reduction: 'none' }).arraySync(), cs, { abs: 1e-6 });
    const wc = api.wwHingeLoss(x, labels, { reduction: 'none' }).arraySync() as number[];
    const ws = api.wwHingeLoss(x, labels, { reduction: 'none', average: 'sum' }).arraySync() as number[];
    expectClose(
      ws,
      wc.map((v) => 4 * v),
      { abs: 1e-5 },
    );
    const topK = api.ldrTopKHingeLoss(x, labels, { k: 4, reduction: 'none', margin: 0.5 }).arraySync();
    expectClose(topK, api.ldrKlLimitInfLoss(x, labels, { margin: 0.5, reduction: 'none' }).arraySync(), { abs: 1e-5 });
    x.dispose();
  });

  it('baseline identities: MAE = 2(1 − p_y); SCE b = 0 is CE; NCE+RCE = NCE + RCE; tGCE keep=1 is GCE', () => {
    const { logits, labels } = randomCase(18, 5, 4);
    const x = tf.tensor2d(logits);
    const p = tf.softmax(x).arraySync() as number[][];
    expectClose(
      api.maeLoss(x, labels, { reduction: 'none' }).arraySync(),
      labels.map((y, i) => 2 * (1 - p[i]![y]!)),
      { abs: 1e-5 },
    );
    expectClose(
      api.sceLoss(x, labels, { balance: 0, reduction: 'none' }).arraySync(),
      api.crossEntropyLoss(x, labels, { reduction: 'none' }).arraySync(),
      { abs: 1e-5 },
    );
    const both = api.nceRceLoss(x, labels, { reduction: 'none' }).arraySync() as number[];
    const n = api.nceLoss(x, labels, { reduction: 'none' }).arraySync() as number[];
    const r = api.rceLoss(x, labels, { reduction: 'none' }).arraySync() as number[];
    expectClose(
      both,
      n.map((v, i) => v + r[i]!),
      { abs: 1e-5 },
    );
    expectClose(
      api.truncatedGceLoss(x, labels, { keep: [1, 1, 1, 1, 1], reduction: 'none' }).arraySync(),
      api.gceLoss(x, labels, { reduction: 'none' }).arraySync(),
      { abs: 1e-6 },
    );
    x.dispose();
  });

  it('leaves no tensors behind (every loss, value and gradient)', () => {
    const x = tf.tensor2d(randomCase(19, 4, 5).logits);
    const y = [0, 1, 2, 3];
    const all: [string, Loss][] = [
      ...smoothLosses(),
      ['cs', (l, yy, o) => api.csHingeLoss(l, yy, o)],
      ['ww', (l, yy, o) => api.wwHingeLoss(l, yy, o)],
      ['topk', (l, yy, o) => api.ldrTopKHingeLoss(l, yy, { ...o, k: 2 })],
      ['tgce', (l, yy, o) => api.truncatedGceLoss(l, yy, { ...o, keep: [1, 0, 1, 1] })],
    ];
    for (const [, loss] of all) {
      expectNoLeak(() => [loss(x, y, {}), tf.grad((l: tf.Tensor) => loss(l, y, {}) as tf.Scalar)(x)], { repeats: 3 });
    }
    x.dispose();
  });
});

describe('presets', () => {
  it('LDR_NOISY_LABEL_PRESET and ALDR_REFERENCE_PRESET hold the released settings', () => {
    expect(api.LDR_NOISY_LABEL_PRESET).toEqual({ lambda: 10, margin: 0.1, normalize: 'softplus-mean' });
    expect(api.ALDR_REFERENCE_PRESET).toEqual({ lambda0: 10, alpha: 2, margin: 0.1, normalize: 'l1-mean' });
  });
});
