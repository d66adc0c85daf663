import { describeBackends } from '@drojs/dro-core/testing';
import { it } from 'vitest';
import { runSynthetic } from './synthetic.js';
import { expectSyntheticProperties } from './syntheticProperties.js';

// Spec §11.1 assertions (syntheticProperties.ts) at the spec's sizes.
describeBackends('synthetic reproduction (spec §11.1)', () => {
  for (const seed of [0, 1]) {
    it(`seed ${seed}: regions, ID accuracy, shift accuracy, far-OOD rejection, lower ⇒ point`, async () => {
      expectSyntheticProperties(await runSynthetic(seed));
    });
  }
});
