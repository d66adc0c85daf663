// Benchmark: time per fitSteer step on a digits-sized network (64 → 32 → 32 → 10, 32 + 32 rows, maps on both
// hidden layers), per backend. Timing lives here, never in tests.
import { initBackend } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { mlpFromWeights } from '../src/conformance/mlp.js';
import { fitSteer } from '../src/index.js';
import { randomNet, randomRows } from '../src/test/fixtures.js';

tf.env().set('PROD', true); // no tfjs-node banner
const rows = [];
for (const backend of ['cpu', 'wasm'] as const) {
  await initBackend({ backend });
  const net = randomNet('bench', [64, 32, 32, 10]);
  const model = mlpFromWeights(net.weights, net.biases);
  const xs = tf.tensor2d(randomRows('bench-xs', 32, 64));
  const xt = tf.tensor2d(randomRows('bench-xt', 32, 64, 0.5));
  (await fitSteer(model, xs, xt, { layers: [0, 1], steps: 5 })).maps.dispose();
  const steps = 200;
  const t0 = performance.now();
  (await fitSteer(model, xs, xt, { layers: [0, 1], steps, lambda1: 0.05, lambdaGroup: 0.1 })).maps.dispose();
  rows.push({ backend, 'ms per step (64-32-32-10, 32 + 32 rows)': (performance.now() - t0) / steps });
  for (const t of [xs, xt]) t.dispose();
  model.dispose();
}
console.table(rows);
