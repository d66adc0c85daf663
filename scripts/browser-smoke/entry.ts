import { injectLabelNoise } from '@drojs/datasets';
import { createRng, initBackend, robustLoss, solveWeights } from '@drojs/dro-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

async function main() {
  setWasmPaths('./');
  const out: Record<string, unknown> = {};
  for (const b of ['cpu', 'wasm'] as const) {
    const info = await initBackend({ backend: b });
    const l = tf.tensor1d([0.25, 1.5, 0.75, 3.0, 2.125, 0.875, 1.125, 0.0625]);
    const g = tf.grad((x: tf.Tensor) => robustLoss(x as tf.Tensor1D, { kind: 'cvar', alpha: 0.3 }))(l);
    out[b] = {
      name: info.name,
      fixes: info.fixesApplied,
      value: robustLoss(l, { kind: 'cvar', alpha: 0.3 }).dataSync()[0],
      grad: Array.from(g.dataSync()),
    };
  }
  out.host = solveWeights([1, 2, 3], { kind: 'kl-constrained', rho: 0.1 }).value;
  out.noise = injectLabelNoise(
    Int32Array.from({ length: 100 }, (_, i) => i % 10),
    { type: 'symmetric', rate: 0.4, nClasses: 10, rng: createRng(1) },
  ).actualRate;
  document.body.textContent = `RESULT ${JSON.stringify(out)}`;
}
main().catch((e) => {
  document.body.textContent = `ERROR ${e?.stack ?? e}`;
});
