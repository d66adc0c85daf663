// Type tests, checked by `pnpm typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import { grpoAdvantages, PromptGdroSampler } from './index.js';

expectTypeOf(grpoAdvantages([[1, 0, null]])).toEqualTypeOf<number[][]>();
expectTypeOf(PromptGdroSampler.fromState).returns.toEqualTypeOf<PromptGdroSampler>();
// @ts-expect-error: rewards are numbers or null
grpoAdvantages([['1']]);
