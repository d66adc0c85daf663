// Type tests, checked by `pnpm typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import { injectLabelNoise, type LabelNoiseResult } from './index.js';

expectTypeOf(
  injectLabelNoise([0, 1, 2], { type: 'symmetric', rate: 0.2, numClasses: 3, seed: 1 }),
).toEqualTypeOf<LabelNoiseResult>();
expectTypeOf<LabelNoiseResult['labels']>().toEqualTypeOf<Int32Array>();
// @ts-expect-error: the noise type is a closed set of kebab-case names
injectLabelNoise([0, 1], { type: 'pairFlip', rate: 0.2, numClasses: 2, seed: 1 });
