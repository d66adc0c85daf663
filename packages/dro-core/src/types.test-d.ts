// Type tests, checked by `pnpm typecheck` (tsc): the public signatures users rely on.
import type * as tf from '@tensorflow/tfjs-core';
import { expectTypeOf } from 'vitest';
import {
  checkOptions,
  type DroErrorCode,
  GroupDroWeights,
  robustLoss,
  type Seed,
  solveWeights,
  toLabels,
  toTensor,
} from './index.js';

declare const losses: tf.Tensor1D;
expectTypeOf(robustLoss(losses, { kind: 'cvar', alpha: 0.1 })).toEqualTypeOf<tf.Scalar>();
expectTypeOf(solveWeights([1, 2], { kind: 'kl', lambda: 1 }).weights).toEqualTypeOf<Float64Array>();
expectTypeOf(toTensor([1, 2], 'x', 'f')).toEqualTypeOf<tf.Tensor>();
expectTypeOf(toLabels([0, 1], 'y', 'f')).toEqualTypeOf<Int32Array>();
expectTypeOf<Seed>().toEqualTypeOf<number | string>();
expectTypeOf<'E_SPEC'>().toMatchTypeOf<DroErrorCode>();
expectTypeOf(checkOptions({ a: 1 }, {}, 'f')).toEqualTypeOf<{ a: number }>();

const g = new GroupDroWeights({ numGroups: 2 });
expectTypeOf(g.update(losses).loss).toEqualTypeOf<tf.Scalar>();
expectTypeOf(g.updateHost([1, 2]).loss).toEqualTypeOf<number>();
// @ts-expect-error: robust specs are a closed union
robustLoss(losses, { kind: 'cvar', alfa: 0.1 });
