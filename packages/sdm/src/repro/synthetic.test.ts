import { describeBackends } from '@drojs/dro-core/testing';
import { it } from 'vitest';
import { runSynthetic, type SyntheticSizes } from './synthetic.js';
import { expectSyntheticProperties } from './syntheticProperties.js';

// The §11.1 assertions of synthetic.repro.test.ts (`pnpm test:repro`, the spec's sizes) on a smaller draw
// of the same protocol, so the unit suite checks them in seconds.
const SMALL: SyntheticSizes = { frozenTrain: 1000, pool: 1200, calibration: 600, test: 600, far: 400 };

describeBackends('synthetic reproduction, small (spec §11.1 properties)', () => {
  for (const seed of [0, 1]) {
    it(`seed ${seed}: regions, ID accuracy, shift accuracy, far-OOD rejection, lower ⇒ point`, async () => {
      expectSyntheticProperties(await runSynthetic(seed, { sizes: SMALL, epochs: 5, shuffles: 1 }));
    });
  }
});
