import { createRng } from '@drojs/dro-core/host';
import { gridBound, kdeGrid, kernelRows, miFromKernels } from './screen/miKde.js';
import { normalScoresOf } from './screen/normalScores.js';

const rng = createRng(1);
const n = 200,
  G = 64,
  h = 1.06 * n ** -0.2;
const grid = kdeGrid(gridBound(n, h), G);
const y = Array.from({ length: n }, () => rng.normal());
const ky = kernelRows(normalScoresOf(y), grid, h);
const xs = Array.from({ length: 300 }, () => Array.from({ length: n }, () => rng.normal()));
let t = performance.now();
for (const x of xs) normalScoresOf(x);
console.log('scores', (performance.now() - t) / 300);
const us = xs.map((x) => normalScoresOf(x));
t = performance.now();
for (const u of us) kernelRows(u, grid, h);
console.log('kernel', (performance.now() - t) / 300);
const ks = us.map((u) => kernelRows(u, grid, h));
t = performance.now();
for (const k of ks) miFromKernels(k, ky, G, n);
console.log('mi', (performance.now() - t) / 300);
