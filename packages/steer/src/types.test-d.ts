// Type tests, checked by `pnpm typecheck` (tsc).
import type * as tf from '@tensorflow/tfjs-core';
import { expectTypeOf } from 'vitest';
import { type FitSteerResult, fitSteer, SteerMaps, type SteerTarget } from './index.js';

declare const model: SteerTarget;
declare const source: tf.Tensor;
expectTypeOf(fitSteer(model, source, source, {} as never)).toEqualTypeOf<Promise<FitSteerResult>>();
expectTypeOf(SteerMaps.fromState).returns.toEqualTypeOf<SteerMaps>();
