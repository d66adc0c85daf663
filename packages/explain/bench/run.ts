// Benchmark: time per CometTrainer.trainStep (batch 64, 28×28 images, small CNNs) and per explain call.
// Prints a table; JSON results go to reports/bench/ (bench/results/ with --update). Never run in tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { initBackend } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CometTrainer, explain } from '../src/index.js';

function classifier(): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 10 }));
  return m;
}

function selector(): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 4 }));
  m.add(tfl.layers.conv2d({ filters: 1, kernelSize: 1 }));
  return m;
}

const info = await initBackend();
const x = tf.randomUniform([64, 28, 28, 1]) as tf.Tensor4D;
const y = Int32Array.from({ length: 64 }, (_, i) => i % 10);
const nets = { selector: selector(), predictor: classifier(), detector: classifier() };
const trainer = new CometTrainer(nets, { maskMode: 'straight-through', areaWeight: 10, areaThreshold: 0.3 });
trainer.trainStep(x, y);
const reps = 10;
let t0 = performance.now();
for (let i = 0; i < reps; i++) trainer.trainStep(x, y);
const stepMs = (performance.now() - t0) / reps;
t0 = performance.now();
for (let i = 0; i < reps; i++) explain(trainer.model, x).dispose();
const explainMs = (performance.now() - t0) / reps;
const rows = [{ backend: info.name, 'trainStep ms (B = 64)': stepMs, 'explain ms (B = 64)': explainMs }];
console.table(rows);
// Tracked bench/results/ only with --update; otherwise the git-ignored reports/bench/ (nothing tracked changes).
const outDir = new URL(process.argv.includes('--update') ? './results/' : '../reports/bench/', import.meta.url);
mkdirSync(outDir, { recursive: true });
writeFileSync(new URL(`comet-${info.name}.json`, outDir), JSON.stringify(rows, null, 1));
trainer.dispose();
