import { createRng } from '@drojs/dro-core';
import {
  affineOtMaps,
  fitSteer,
  lineasLoss,
  meanShiftMaps,
  runWithMaps,
  type SteerMaps,
  steeringReport,
} from '@drojs/steer';
import * as tf from '@tensorflow/tfjs-core';
import type { Sequential } from '@tensorflow/tfjs-layers';
import { trainClassifier } from './classifier.js';
import { type Digits, rowsOf } from './digits.js';
import { offTargetAtSuccess } from './equalSuccess.js';

/** Strength grid of the baselines and the plots (spec §7.6): 0, 0.05, …, 1. */
export const STRENGTHS = Array.from({ length: 21 }, (_, i) => i / 20);
/** Maps after both hidden ReLUs: layers 0 and 1 of the Sequential. */
const LAYERS = [0, 1];

export interface Point {
  strength: number;
  success: number;
  offTarget: number;
}

export interface LineasRun {
  lambda: number;
  success: number;
  offTarget: number;
  touched: number;
  perLayer: number[];
  finalLoss: number;
  /** Off-target accuracy of each baseline with its strength tuned to this run's success (null: never reached). */
  equal: { meanShift: number | null; affineOt: number | null };
  sweep?: Point[];
}

export interface PairResult {
  seed: number;
  source: number;
  target: number;
  noMaps: { success: number; offTarget: number };
  meanShift: { sweep: Point[]; touched: number };
  affineOt: { sweep: Point[]; touched: number };
  lineas: LineasRun[];
}

export interface SeedSetup {
  seed: number;
  model: Sequential;
  train: number[];
  test: number[];
  testAcc: number;
}

/** Split (§7.1) and classifier (§7.2–7.3) of one seed. */
export function setupSeed(data: Digits, seed: number): SeedSetup {
  const prefix = `lineas-digits/${seed}`;
  const order = createRng(`${prefix}/split`).shuffle(Array.from({ length: data.rows }, (_, i) => i));
  const train = order.slice(0, 1200);
  const test = order.slice(1200);
  const model = trainClassifier(data, train, prefix);
  let hit = 0;
  tf.tidy(() => {
    const pred = tf.argMax(runWithMaps(model, tf.tensor2d(rowsOf(data, test), [test.length, 64]), null), 1);
    Array.from(pred.dataSync()).forEach((p, i) => {
      if (p === data.labels[test[i]!]) hit++;
    });
  });
  const testAcc = hit / test.length;
  return { seed, model, train, test, testAcc };
}

function sweep(
  model: Sequential,
  maps: SteerMaps,
  xTest: tf.Tensor2D,
  labels: number[],
  cls: { source: number; target: number },
): Point[] {
  const out = STRENGTHS.map((s) => {
    maps.setStrength(s);
    let r!: ReturnType<typeof steeringReport>;
    tf.tidy(() => {
      r = steeringReport(runWithMaps(model, xTest, maps) as tf.Tensor2D, labels, cls);
    });
    return { strength: s, success: r.success!, offTarget: r.offTargetAcc! };
  });
  maps.setStrength(1);
  return out;
}

/**
 * One (seed, pair): sets of the first 32 training images of each class (§7.4), the baselines swept over
 * the strength grid (§7.6), LinEAS at each λ (§7.5: SGD lr 0.05, 600 steps, λ₁ = λ, λ_G = 2λ), metrics on
 * the test rows (§7.7) and the equal-success comparison.
 */
export async function runPair(
  data: Digits,
  setup: SeedSetup,
  source: number,
  target: number,
  lambdas: number[],
  sweepLambda: number,
  steps = 600,
): Promise<PairResult> {
  const { model, train, test } = setup;
  const firstOf = (c: number) => train.filter((r) => data.labels[r] === c).slice(0, 32);
  const xs = tf.tensor2d(rowsOf(data, firstOf(source)), [32, 64]);
  const xt = tf.tensor2d(rowsOf(data, firstOf(target)), [32, 64]);
  const xTest = tf.tensor2d(rowsOf(data, test), [test.length, 64]);
  const labels = test.map((r) => data.labels[r]!);
  const cls = { source, target };
  try {
    let none!: ReturnType<typeof steeringReport>;
    tf.tidy(() => {
      none = steeringReport(runWithMaps(model, xTest, null) as tf.Tensor2D, labels, cls);
    });
    const baseline = (fit: typeof meanShiftMaps) => {
      const maps = fit(model, xs, xt, LAYERS);
      const res = { sweep: sweep(model, maps, xTest, labels, cls), touched: maps.touched().total };
      maps.dispose();
      return res;
    };
    const meanShift = baseline(meanShiftMaps);
    const affineOt = baseline(affineOtMaps);
    const lineas: LineasRun[] = [];
    for (const lambda of lambdas) {
      const { maps } = await fitSteer(model, xs, xt, {
        layers: LAYERS,
        optimizer: 'sgd',
        lr: 0.05,
        steps,
        lambda1: lambda,
        lambdaGroup: 2 * lambda,
      });
      let r!: ReturnType<typeof steeringReport>;
      let finalLoss = 0;
      tf.tidy(() => {
        r = steeringReport(runWithMaps(model, xTest, maps) as tf.Tensor2D, labels, cls);
        finalLoss = lineasLoss(model, xs, xt, maps).value.dataSync()[0]!;
      });
      const t = maps.touched();
      lineas.push({
        lambda,
        success: r.success!,
        offTarget: r.offTargetAcc!,
        touched: t.total,
        perLayer: t.perLayer,
        finalLoss,
        equal: {
          meanShift: offTargetAtSuccess(meanShift.sweep, r.success!),
          affineOt: offTargetAtSuccess(affineOt.sweep, r.success!),
        },
        ...(lambda === sweepLambda ? { sweep: sweep(model, maps, xTest, labels, cls) } : {}),
      });
      maps.dispose();
    }
    return {
      seed: setup.seed,
      source,
      target,
      noMaps: { success: none.success!, offTarget: none.offTargetAcc! },
      meanShift,
      affineOt,
      lineas,
    };
  } finally {
    for (const t of [xs, xt, xTest]) t.dispose();
  }
}
