// Type tests, checked by `pnpm typecheck` (tsc).
import type * as tf from '@tensorflow/tfjs-core';
import { expectTypeOf } from 'vitest';
import { type CometModel, CometTrainer, type Explanation, explain, type MaskIoUResult, maskIoU } from './index.js';

declare const model: CometModel;
declare const x: tf.Tensor4D;
declare const map: tf.Tensor3D;
expectTypeOf(explain(model, x)).toEqualTypeOf<Explanation>();
expectTypeOf(maskIoU(map, map, { threshold: 0.5 } as never)).toEqualTypeOf<MaskIoUResult>();
expectTypeOf(CometTrainer.fromState).returns.toEqualTypeOf<CometTrainer>();
