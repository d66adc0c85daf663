// Type tests, checked by `pnpm typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import {
  createCurriculumService,
  grpoAdvantages,
  PromptGdroSampler,
  type ServiceLimits,
  type serveHttp,
} from './index.js';

expectTypeOf(grpoAdvantages([[1, 0, null]])).toEqualTypeOf<number[][]>();
expectTypeOf(PromptGdroSampler.fromState).returns.toEqualTypeOf<PromptGdroSampler>();
// @ts-expect-error: rewards are numbers or null
grpoAdvantages([['1']]);

// Service limits are a partial record of positive integers; HTTP guard options are optional.
expectTypeOf<ServiceLimits['maxBatchSize']>().toEqualTypeOf<number>();
createCurriculumService({ limits: { maxBatchSize: 8 } });
// @ts-expect-error: not a limit
createCurriculumService({ limits: { maxBatchsize: 8 } });
expectTypeOf<{ host: string; port: number; token: string; allowOrigins: string[] }>().toMatchTypeOf<
  Parameters<typeof serveHttp>[0]
>();
