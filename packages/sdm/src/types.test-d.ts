// Type tests, checked by `pnpm typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import { SdmEstimator, type SdmPrediction } from './index.js';

declare const est: SdmEstimator;
expectTypeOf(est.predict([[0, 1]], [[0.2, 0.8]])).toEqualTypeOf<Promise<SdmPrediction[]>>();
expectTypeOf(est.summary()).toEqualTypeOf<string>();
expectTypeOf(SdmEstimator.fromState).returns.toEqualTypeOf<SdmEstimator>();
