// One seed of the protocol: black box, COMET variants, baselines and their metrics.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Classifier } from '@drojs/dro-core';
import {
  CometTrainer,
  type CometTrainerOptions,
  type CometTrainerState,
  explain,
  fitClassifier,
  gradientSaliency,
  integratedGradients,
  occlusion,
  type ShortcutData,
} from '@drojs/explain';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SeedResult } from './acceptance.js';
import { type ExplanationRow, explanationRow, type TestSet, topKMasks } from './metrics.js';
import { buildClassifier, buildSelector } from './nets.js';
import { maskGrid } from './png.js';

type Tests = { aligned: ShortcutData; random: ShortcutData; none: ShortcutData };

export interface RunOptions {
  quick: boolean;
  outDir: string;
  checkpoint: {
    path: (name: string) => string;
    save: (path: string, obj: { getState(): unknown }) => Promise<void> | void;
    load: <T>(path: string, fromState: (s: never) => T) => Promise<T> | T;
    resume: boolean;
  };
}

const toX = (d: ShortcutData) => tf.tensor4d(d.x, [d.labels.length, 28, 28, 1]);

function accuracyOf(pred: Int32Array, labels: Int32Array): number {
  let c = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) c++;
  return c / labels.length;
}

function classifierAccuracy(model: Classifier, x: tf.Tensor4D, labels: Int32Array): number {
  const pred = tf.tidy(() => tf.argMax((model as tfl.Sequential).apply(x) as tf.Tensor, 1).dataSync());
  return accuracyOf(Int32Array.from(pred), labels);
}

/** Trains one COMET variant (with an epoch checkpoint); returns the trainer. */
async function trainComet(
  name: string,
  seed: number,
  blackBox: tfl.Sequential,
  x: tf.Tensor4D,
  labels: Int32Array,
  extra: CometTrainerOptions,
  ro: RunOptions,
): Promise<CometTrainer> {
  const nets = {
    selector: buildSelector(`sel/${seed}`),
    predictor: buildClassifier(`pred/${seed}`),
    detector: blackBox,
  };
  const opts: CometTrainerOptions = {
    completenessWeight: 4,
    gap: 2,
    areaWeight: 10,
    areaThreshold: 0.3,
    fill: 0,
    maskMode: 'straight-through',
    upsample: 'bilinear',
    optimizer: { name: 'adam', learningRate: 1e-3 },
    batchSize: 64,
    seed,
    ...extra,
  };
  const path = ro.checkpoint.path(name);
  const trainer =
    ro.checkpoint.resume && name === 'comet'
      ? await ro.checkpoint.load(path, (s: CometTrainerState) => CometTrainer.fromState(s, nets))
      : new CometTrainer(nets, opts);
  const stepsPerEpoch = Math.ceil(labels.length / 64);
  await trainer.fit(x, labels, {
    epochs: 3,
    checkpointEvery: stepsPerEpoch,
    onCheckpoint: (s) => ro.checkpoint.save(path, { getState: () => s }),
    onEpochEnd: (e, m) =>
      console.log(
        `  ${name} epoch ${e}: ℓ_P ${m.sufficiency.toFixed(3)}, ℓ_D ${m.complement.toFixed(3)}, ` +
          `completeness arg ${m.completenessArg?.toFixed(3)}, area ${m.areaMean.toFixed(3)}`,
      ),
  });
  return trainer;
}

function mapData(t: tf.Tensor): Float32Array {
  const d = t.dataSync() as Float32Array;
  t.dispose();
  return Float32Array.from(d);
}

/** Runs the protocol for one seed. */
export async function runSeed(seed: number, train: ShortcutData, tests: Tests, ro: RunOptions): Promise<SeedResult> {
  const xTrain = toX(train);
  const xs = { aligned: toX(tests.aligned), random: toX(tests.random), none: toX(tests.none) };
  const n = tests.aligned.labels.length;
  const result: SeedResult = { seed, accuracy: {}, explanations: {}, seconds: {} };
  const clock = (k: string, t0: number) => {
    result.seconds[k] = (performance.now() - t0) / 1000;
  };
  try {
    let t0 = performance.now();
    const blackBox = buildClassifier(`bb/${seed}`);
    await fitClassifier(blackBox, xTrain, train.labels, {
      epochs: 3,
      batchSize: 64,
      optimizer: { name: 'adam', learningRate: 2e-3 },
      seed,
    });
    clock('blackBox', t0);
    const accOf = (f: (x: tf.Tensor4D, y: Int32Array) => number) => ({
      aligned: f(xs.aligned, tests.aligned.labels),
      random: f(xs.random, tests.random.labels),
      none: f(xs.none, tests.none.labels),
    });
    result.accuracy.blackBox = accOf((x, y) => classifierAccuracy(blackBox, x, y));
    if (!ro.quick) {
      t0 = performance.now();
      const clean = buildClassifier(`clean/${seed}`);
      const plain = shortcutFashionMnistWithoutPatch(train);
      await fitClassifier(clean, plain, train.labels, {
        epochs: 3,
        optimizer: { name: 'adam', learningRate: 2e-3 },
        seed,
      });
      plain.dispose();
      result.accuracy.cleanBlackBox = accOf((x, y) => classifierAccuracy(clean, x, y));
      clean.dispose();
      clock('cleanBlackBox', t0);
    }
    const test: TestSet = {
      x: xs.aligned,
      labels: tests.aligned.labels,
      objectMask: Float32Array.from(tests.aligned.objectMask),
      patchMask: Float32Array.from(tests.aligned.patchMask),
      n,
    };
    const variants: [string, CometTrainerOptions][] = [
      ['comet', {}],
      ['noDetector', { completenessWeight: 0 }],
    ];
    if (!ro.quick) variants.push(['cometSoft', { maskMode: 'soft' }]);
    const cometMasks: Record<string, { hard: Float32Array; rank: Float32Array }> = {};
    for (const [name, extra] of variants) {
      t0 = performance.now();
      const trainer = await trainComet(name, seed, blackBox, xTrain, train.labels, extra, ro);
      clock(name, t0);
      const hardMode = name === 'cometSoft' ? 'soft' : 'hard';
      result.accuracy[name] = accOf((x, y) => {
        const e = explain(trainer.model, x, { mask: hardMode });
        const a = accuracyOf(e.predictions, y);
        e.dispose();
        return a;
      });
      const eh = explain(trainer.model, xs.aligned, { mask: 'hard' });
      const es = explain(trainer.model, xs.aligned, { mask: 'soft' });
      const hard = mapData(eh.mask);
      const rank = mapData(es.mask);
      eh.dispose();
      es.dispose();
      // The soft variant's own mask is σ(U); its binary version for IoU and completeness is σ(U) > ½ = 1[U > 0].
      cometMasks[name] = { hard, rank };
      const own = name === 'cometSoft' ? rank : hard;
      result.explanations[name] = explanationRow(blackBox, test, rank, hard, own);
      trainer.model.selector && (trainer.model.selector as tfl.Sequential).dispose();
      (trainer.model.predictor as tfl.Sequential).dispose();
      trainer.dispose();
    }
    // Baselines on the black box, target = label; binary masks of the object's size, equal-area masks of COMET's.
    const objSizes = Int32Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let p = 0; p < 784; p++) s += tests.aligned.objectMask[i * 784 + p]!;
      return s;
    });
    const cometSizes = Int32Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let p = 0; p < 784; p++) s += cometMasks.comet!.hard[i * 784 + p]!;
      return s;
    });
    const baselineMaps: Record<string, Float32Array> = {};
    t0 = performance.now();
    const sal = gradientSaliency(blackBox, xs.aligned, tests.aligned.labels);
    sal.gradients.dispose();
    baselineMaps.saliency = mapData(sal.map);
    clock('saliency', t0);
    if (!ro.quick) {
      t0 = performance.now();
      const ig = integratedGradients(blackBox, xs.aligned, tests.aligned.labels, { steps: 16 });
      ig.attributions.dispose();
      baselineMaps.integratedGradients = mapData(ig.map);
      clock('integratedGradients', t0);
      t0 = performance.now();
      baselineMaps.occlusion = mapData(occlusion(blackBox, xs.aligned, tests.aligned.labels).map);
      clock('occlusion', t0);
    }
    for (const [name, map] of Object.entries(baselineMaps)) {
      result.explanations[name] = explanationRow(
        blackBox,
        test,
        map,
        topKMasks(map, objSizes, n),
        topKMasks(map, cometSizes, n),
      );
    }
    if (seed === 0) writeGrid(ro.outDir, tests.aligned, cometMasks, baselineMaps, objSizes);
    blackBox.dispose();
  } finally {
    xTrain.dispose();
    for (const x of Object.values(xs)) x.dispose();
  }
  return result;
}

function shortcutFashionMnistWithoutPatch(train: ShortcutData): tf.Tensor4D {
  const x = Float32Array.from(train.x);
  for (let i = 0; i < x.length; i++) if (train.patchMask[i]) x[i] = 0;
  return tf.tensor4d(x, [train.labels.length, 28, 28, 1]);
}

function writeGrid(
  outDir: string,
  t: ShortcutData,
  comet: Record<string, { hard: Float32Array; rank: Float32Array }>,
  maps: Record<string, Float32Array>,
  objSizes: Int32Array,
): void {
  const rows: Float32Array[][] = [];
  const objs: Float32Array[] = [];
  const patches: Float32Array[] = [];
  const tile = (a: Float32Array, i: number) => a.slice(i * 784, (i + 1) * 784);
  for (let i = 0; i < 8; i++) {
    const row = [tile(t.x, i), tile(comet.comet!.hard, i), tile(comet.noDetector!.hard, i)];
    for (const k of ['saliency', 'integratedGradients', 'occlusion']) {
      if (maps[k]) row.push(tile(topKMasks(maps[k]!, objSizes, t.labels.length), i));
    }
    rows.push(row);
    objs.push(Float32Array.from(t.objectMask.subarray(i * 784, (i + 1) * 784)));
    patches.push(Float32Array.from(t.patchMask.subarray(i * 784, (i + 1) * 784)));
  }
  writeFileSync(join(outDir, 'masks-seed-0.png'), maskGrid(rows, objs, patches));
  const plain = (list: Float32Array[]) => list.map((t) => Array.from(t));
  writeFileSync(
    join(outDir, 'masks-seed-0.json'),
    JSON.stringify({ rows: rows.map(plain), objectMasks: plain(objs), patchMasks: plain(patches) }),
  );
}

export type { ExplanationRow };
