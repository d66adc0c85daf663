import { createRng } from '@drojs/dro-core';
import { checkStatefulContract, describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Drm } from './drm/drm.js';
import { Eacs } from './eacs/eacs.js';
import { featurizer, sample } from './test/drmSynthetic.js';

// The package's two stateful classes through dro-core's one contract kit.

/** Environments of step i: y = x0 + shift·x1 + noise, the shift varying by environment (deterministic in i). */
function environments(i: number, count: number): { X: number[][]; y: number[] }[] {
  const rng = createRng(`eacs-contract:${i}`);
  return Array.from({ length: count }, (_, e) => {
    const shift = (e % 3) - 1;
    const X = Array.from({ length: 24 }, () => [rng.normal(), rng.normal() + shift]);
    return { X, y: X.map((r) => r[0]! + 0.5 * shift * r[1]! + 0.3 * rng.normal()) };
  });
}

const eacsOptions = {
  subsets: [[], [0], [1], [0, 1]],
  summary: 'corr-sd' as const,
  Cs: [0.5, 2],
  mode: 'cv' as const, // the inner folds draw from the RNG, so its state must round-trip too
  innerFolds: 3,
  seed: 'eacs-contract',
};

checkStatefulContract({
  name: 'Eacs',
  make: () => new Eacs(eacsOptions),
  step: (e, i) => {
    e.fit(environments(i, 6));
    const test = environments(100 + i, 1)[0]!;
    return { selected: e.selectSubset(test.X), prediction: e.predict(test.X) };
  },
  fromState: Eacs.fromState,
  badOptions: { key: 'mdoe', make: () => new Eacs({ seed: 1, mdoe: 'soft' } as never) },
  badStep: (e) => e.fit([{ X: [[1, Number.NaN]], y: [1] }, ...environments(0, 5)]),
  leakRepeats: 0,
});

describeBackends('Drm stateful contract', ['cpu'], () => {
  /** One batch per domain for step i (fresh tensors, disposed by the step). */
  const batches = (i: number) => {
    const rng = createRng(`drm-contract:${i}`);
    return [0, 1, 2].map((d) => sample(d, 12, rng));
  };
  checkStatefulContract({
    name: 'Drm',
    make: () => new Drm({ featurizer: featurizer(11), numDomains: 3, numClasses: 2, seed: 11 }),
    step: (d, i) => {
      const b = batches(i);
      const loss = d.trainStep(b.map(({ x, y }) => ({ x, y })));
      // Even steps also adapt on domain 2's batch, so the adaptation optimiser is part of the state (step 0
      // creates its slots, before the leak check starts counting).
      const adapted = i % 2 === 0 ? d.adapt(b[2]!.x, { beta: 0.5, gamma: 1 }) : null;
      const out = { loss, probs: adapted ? Array.from(adapted.probs.dataSync()) : null, kept: adapted?.kept ?? null };
      adapted?.probs.dispose();
      for (const { x, y } of b) tf.dispose([x, y]);
      return out;
    },
    fromState: Drm.fromState,
    badOptions: {
      key: 'numDomain',
      make: () => new Drm({ featurizer: featurizer(1), numDomain: 3, numClasses: 2, seed: 1 } as never),
    },
    badStep: (d) => d.trainStep([]),
    steps: 2,
    leakRepeats: 4,
  });
});

describe('states written before the platform (kind causal.<Class>) still load', () => {
  it('Eacs', () => {
    const e = new Eacs(eacsOptions).fit(environments(0, 6));
    const s = JSON.parse(JSON.stringify(e.getState()));
    expect(s.kind).toBe('@drojs/causal/Eacs');
    expect(Eacs.fromState({ ...s, kind: 'causal.Eacs' }).getState()).toEqual(e.getState());
  });
  it('an Eacs state with a non-finite coefficient or unknown options is E_STATE_VERSION', () => {
    const s = JSON.parse(JSON.stringify(new Eacs(eacsOptions).fit(environments(0, 6)).getState()));
    const bad = JSON.parse(JSON.stringify(s));
    bad.fitted.subsetModels[1].coef[0] = 'x';
    expectDroError(() => Eacs.fromState(bad), 'E_STATE_VERSION', 'subsetModels[1]');
    expectDroError(() => Eacs.fromState({ ...s, options: { ...s.options, mdoe: 'soft' } }), 'E_STATE_VERSION', 'mdoe');
  });
});
