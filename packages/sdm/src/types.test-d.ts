// Type tests, checked by `pnpm typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import { SdmEstimator, type SdmFitOptions, type SdmFrozenFitOptions, type SdmPrediction } from './index.js';

declare const est: SdmEstimator;
expectTypeOf(est.predict([[0, 1]], [[0.2, 0.8]])).toEqualTypeOf<Promise<SdmPrediction[]>>();
expectTypeOf(est.summary()).toEqualTypeOf<string>();
expectTypeOf(SdmEstimator.fromState).returns.toEqualTypeOf<SdmEstimator>();
expectTypeOf<SdmPrediction['reliability']>().toEqualTypeOf<
  'high' | 'ood' | 'insufficient-evidence' | 'no-support' | 'near-chance' | 'low'
>();
expectTypeOf<SdmPrediction['isInsufficientEvidence']>().toEqualTypeOf<boolean>();
expectTypeOf(SdmEstimator.fitFrozen).returns.toEqualTypeOf<Promise<SdmEstimator>>();
// fitFrozen needs the model's logits and takes no training options.
// @ts-expect-error logits are required
void SdmEstimator.fitFrozen({ embeddings: [[0]], labels: [0] }, { numClasses: 2 });
// @ts-expect-error epochs is a training option
void SdmEstimator.fitFrozen({ embeddings: [[0]], labels: [0], logits: [[0, 1]] }, { numClasses: 2, epochs: 3 });
expectTypeOf(est.summaryStats().warnings).toEqualTypeOf<string[]>();
// oodRate (δ of the OOD test) is an option of fit and fitFrozen, a number.
expectTypeOf<NonNullable<SdmFitOptions['oodRate']>>().toEqualTypeOf<number>();
expectTypeOf<NonNullable<SdmFrozenFitOptions['oodRate']>>().toEqualTypeOf<number>();
expectTypeOf(est.summaryStats().calibrationStatusFractions.noSupport).toEqualTypeOf<number>();
expectTypeOf(est.summaryStats().oodDistanceThreshold).toEqualTypeOf<number>();
