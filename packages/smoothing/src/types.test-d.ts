// Type tests, checked by `pnpm typecheck` (tsc).
import type * as tf from '@tensorflow/tfjs-core';
import { expectTypeOf } from 'vitest';
import { ABSTAIN, type CertifyResult, clopperPearsonLower, type RandomizedSmoothing, radiusFromPA } from './index.js';

declare const rs: RandomizedSmoothing;
declare const x: tf.Tensor;
expectTypeOf(rs.certify((t) => t, x)).toEqualTypeOf<Promise<CertifyResult>>();
expectTypeOf(clopperPearsonLower(5, 10, 0.001)).toEqualTypeOf<number>();
expectTypeOf(radiusFromPA(0.9, 0.5)).toEqualTypeOf<number>();
expectTypeOf(ABSTAIN).toEqualTypeOf<number>();
// @ts-expect-error: per-call overrides are a closed set
rs.certify((t) => t, x, { alfa: 0.01 });
