/**
 * The workloads of `pnpm bench`, shared by the tfjs child processes, the PyTorch peer (same ids) and the
 * report, with the sizes of each mode.
 */

import type { EngineFigures, Sample, Unit, WorkloadSpec } from './schema.js';

const ALL = ['wasm', 'native', 'torch'] as const;

export const WORKLOADS: readonly WorkloadSpec[] = [
  { id: 'mlp-step-256', label: 'MLP 784-256-256-10 SGD step, batch 256', unit: 'ms', engines: ALL },
  { id: 'mlp-step-1024', label: 'MLP 784-256-256-10 SGD step, batch 1024', unit: 'ms', engines: ALL },
  { id: 'conv-step', label: 'conv 3×3×32 train step (64×28×28)', unit: 'ms', engines: ALL },
  { id: 'rs-forward', label: 'RS-MLP forward, batch 1000', unit: 'samples/s', engines: ALL },
  { id: 'certify', label: 'certification sampling (smoothing sampleCounts, RS-MLP)', unit: 'samples/s', engines: ALL },
  {
    id: 'certify-polar',
    label: "certification sampling, noise: { sampler: 'polar' } (opt-in stream)",
    unit: 'samples/s',
    engines: ALL,
  },
  {
    id: 'certify-before',
    label: 'certification as filed in #14 (predict in pieces of 32, Rng.normal per value)',
    unit: 'samples/s',
    engines: ['wasm'],
  },
  { id: 'knn', label: 'SDM kNN (k = 10, 256-d, exact squared L2)', unit: 'queries/s', engines: ALL },
];

/** Sizes per mode; the PyTorch peer receives the same object. */
export interface Sizes {
  warmup: number;
  mlpSteps: number;
  mlp1024Steps: number;
  convSteps: number;
  forwardReps: number;
  certifySamples: number;
  certifyBeforeSamples: number;
  knnSupport: number;
  knnQueries: number;
  knnK: number;
}

export function sizesFor(quick: boolean): Sizes {
  return quick
    ? {
        warmup: 1,
        mlpSteps: 4,
        mlp1024Steps: 2,
        convSteps: 2,
        forwardReps: 2,
        certifySamples: 2000,
        certifyBeforeSamples: 1000,
        knnSupport: 5000,
        knnQueries: 128,
        knnK: 10,
      }
    : {
        warmup: 3,
        mlpSteps: 20,
        mlp1024Steps: 8,
        convSteps: 10,
        forwardReps: 10,
        certifySamples: 10_000,
        certifyBeforeSamples: 4000,
        knnSupport: 20_000,
        knnQueries: 512,
        knnK: 10,
      };
}

export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function summarise(rounds: Sample[]): EngineFigures {
  return { rounds, median: median(rounds.map((r) => r.cpu)), medianWall: median(rounds.map((r) => r.wall)) };
}

/** Time per unit of work of `engine` over PyTorch's: ms divide directly, throughputs invert. */
export function timeRatio(unit: Unit, engine: number, torch: number): number {
  return unit === 'ms' ? engine / torch : torch / engine;
}

/** A figure in a unit, from an amount of work and the seconds it took. */
export function toUnit(unit: Unit, units: number, seconds: number): number {
  return unit === 'ms' ? (1000 * seconds) / units : units / seconds;
}
