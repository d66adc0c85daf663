// Type tests, checked by `pnpm typecheck` (tsc): reduced losses are scalars, `reduction: 'none'` gives per-sample
// losses, and the option objects are closed.
import type * as tf from '@tensorflow/tfjs-core';
import { expectTypeOf } from 'vitest';
import { AldrKlLoss, crossEntropyLoss, gceLoss, ldrKlLoss, ldrTopKHingeLoss, type Reduction } from './index.js';

declare const logits: tf.Tensor2D;
declare const labels: number[];
declare const reduction: Reduction;

expectTypeOf(ldrKlLoss(logits, labels)).toEqualTypeOf<tf.Scalar>();
expectTypeOf(ldrKlLoss(logits, labels, { lambda: 1 })).toEqualTypeOf<tf.Scalar>();
expectTypeOf(ldrKlLoss(logits, labels, { reduction: 'sum' })).toEqualTypeOf<tf.Scalar>();
expectTypeOf(ldrKlLoss(logits, labels, { reduction: 'none' })).toEqualTypeOf<tf.Tensor>();
expectTypeOf(ldrKlLoss(logits, labels, { reduction })).toEqualTypeOf<tf.Tensor>();
expectTypeOf(crossEntropyLoss(logits, labels)).toEqualTypeOf<tf.Scalar>();
expectTypeOf(gceLoss(logits, labels, { q: 0.7 })).toEqualTypeOf<tf.Scalar>();
expectTypeOf(ldrTopKHingeLoss(logits, labels, { k: 2 })).toEqualTypeOf<tf.Scalar>();
expectTypeOf(new AldrKlLoss({ numInstances: 3 })).toHaveProperty('getState');
// @ts-expect-error: option objects are closed (a typo is a type error as well as an E_SPEC at run time)
ldrKlLoss(logits, labels, { lamda: 1 });
