import { checkStatefulContract, describeBackends } from '@drojs/dro-core/testing';
import * as api from './index.js';

/** Deterministic pseudo-random numbers in [−1, 1) from a step number (no RNG state shared across tests). */
function values(seed: number, n: number): number[] {
  let s = (seed * 2654435761 + 12345) >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

function rows(seed: number, r: number, c: number): number[][] {
  const v = values(seed, r * c);
  return Array.from({ length: r }, (_, i) => v.slice(i * c, (i + 1) * c).map((x) => 3 * x));
}

const N = 8;
const batchIndices = (i: number) => [(3 * i) % N, (3 * i + 1) % N, (3 * i + 5) % N];

// Arrays as inputs: each step's tensors are made and disposed inside the call (the leak check covers it).
describeBackends('ldr-loss stateful classes', ['cpu', 'wasm'], () => {
  checkStatefulContract({
    name: 'AldrKlLoss',
    make: () => new api.AldrKlLoss({ numInstances: N, lambda0: 1.5, alpha: 2, margin: 0.1, normalize: 'l1-mean' }),
    step: (a, i) => ({
      loss: a.call(rows(i, 3, 4), [i % 4, (i + 1) % 4, (i + 3) % 4], batchIndices(i), { reduction: 'none' }),
      lambdas: a.lambdas(),
    }),
    fromState: api.AldrKlLoss.fromState,
    badOptions: { key: 'lamda0', make: () => new api.AldrKlLoss({ numInstances: 3, lamda0: 5 } as never) },
    badStep: (a) => a.call(rows(99, 3, 4), [0, 4, 1], [0, 1, 2]),
  });

  checkStatefulContract({
    name: 'KlDroReweighter',
    make: () => new api.KlDroReweighter({ r: 0.5, beta: 0.7 }),
    step: (w, i) => ({ surrogate: w.call(values(i, 5).map((x) => 2 + x)), u: w.u, weights: w.lastWeights() }),
    fromState: api.KlDroReweighter.fromState,
    badOptions: { key: 'bta', make: () => new api.KlDroReweighter({ r: 1, bta: 0.5 } as never) },
    badStep: (w) => w.call([1, Number.NaN, 2]),
  });

  checkStatefulContract({
    name: 'GlobalContrastiveLoss',
    make: () =>
      new api.GlobalContrastiveLoss({
        numInstances: N,
        individualTemperature: true,
        gammaSchedule: 'cosine',
        gammaDecayEpochs: 4,
        eta: 0.05,
      }),
    step: (g, i) => {
      g.setEpoch(i);
      const loss = g.call(rows(i, 3, 4), rows(i + 100, 3, 4), batchIndices(i));
      return { loss, tau: g.temperatures(), u: g.movingAverages() };
    },
    fromState: api.GlobalContrastiveLoss.fromState,
    badOptions: { key: 'tauMn', make: () => new api.GlobalContrastiveLoss({ numInstances: 3, tauMn: 0.1 } as never) },
    badStep: (g) => g.call(rows(7, 3, 4), rows(8, 3, 4), [0, 1, N]),
  });

  checkStatefulContract({
    name: 'BimodalGlobalContrastiveLoss',
    make: () => new api.BimodalGlobalContrastiveLoss({ numInstances: N, individualTemperature: true, tau: 0.1 }),
    step: (g, i) => {
      const loss = g.call(rows(i, 3, 4), rows(i + 50, 3, 4), batchIndices(i));
      return { loss, tauImage: g.temperatures('image'), tauText: g.temperatures('text') };
    },
    fromState: api.BimodalGlobalContrastiveLoss.fromState,
    badOptions: {
      key: 'includePositiveInNormaliser',
      make: () =>
        new api.BimodalGlobalContrastiveLoss({ numInstances: 3, includePositiveInNormaliser: false } as never),
    },
    badStep: (g) => g.call(rows(7, 3, 4), [[1, 2, 3, Number.NaN]], [0, 1, 2]),
  });
});
