/**
 * @drojs/rl-curriculum — GDRO, DUMP and DRPO controllers for RL post-training of language models,
 * callable from Python trainers (JSON lines / loopback HTTP). Host float64 arithmetic, no tensors.
 * @packageDocumentation
 */

export {
  type AdvantageOptions,
  grpoAdvantages,
  normalizeThenSum,
  type ResolvedAdvantageOptions,
} from './advantages.js';
export { type BestOfNOptions, type BestOfNSelection, bestOfN, bestOfNSelect } from './bestOfN.js';
export {
  type ClassifierOptions,
  type ClassifierState,
  OnlineDifficultyClassifier,
  type ResolvedClassifierOptions,
} from './classifier.js';
export {
  dimensionRewardAdvantages,
  dimensionRewardScore,
  drmAdvantages,
  drmScore,
} from './dimensionReward.js';
export {
  type DrpoInput,
  type DrpoOptions,
  type DrpoOutput,
  drpoBatchLoss,
  drpoKlPenalty,
  drpoWeights,
} from './drpo.js';
export { type DumpMetrics, type DumpOptions, DumpScheduler, type DumpState, type ResolvedDumpOptions } from './dump.js';
export { compareLabels } from './labels.js';
export { passAtK } from './passAtK.js';
export {
  type AdversaryOptions,
  type AdversaryState,
  PromptGdroAdversary,
  paperPromptGdroMultiplier,
  type ResolvedAdversaryOptions,
} from './promptGdro/adversary.js';
export {
  type FocusOptions,
  type PromptGdroOptions,
  PromptGdroSampler,
  type PromptGdroState,
  type PromptGdroUpdateMetrics,
  type ResolvedSamplerOptions,
  type SampleMetrics,
  type WeightMetrics,
} from './promptGdro/sampler.js';
export type { BinLabel, CheckedResult, GroupResult, Uid } from './results.js';
export {
  type AllocateMetrics,
  type Pending,
  type ResolvedRolloutGdroOptions,
  RolloutGdroAllocator,
  type RolloutGdroOptions,
  type RolloutGdroState,
  type RolloutUpdateMetrics,
} from './rolloutGdro/allocator.js';
export {
  type ArmBanditOptions,
  type ArmBanditState,
  type ResolvedArmBanditOptions,
  RolloutArmBandit,
} from './rolloutGdro/armBandit.js';
export { integerizeAllocation } from './rolloutGdro/integerize.js';
export { proportionalExtraAllocation } from './rolloutGdro/proportional.js';
export { sqrtLaw } from './rolloutGdro/sqrtLaw.js';
export { rsdStep } from './rsd.js';
export { isLoopbackHost, serveHttp } from './server/http.js';
export type { HttpGuardOptions } from './server/httpGuard.js';
export {
  type CallsJson,
  type ControllerKind,
  type CurriculumService,
  type CurriculumServiceOptions,
  canonicalJson,
  createCurriculumService,
  curriculumServiceFromState,
  DEFAULT_LIMITS,
  SERVICE_SNAPSHOT_KIND,
  type ServiceLimits,
  type ServiceSnapshot,
} from './server/service.js';
export { serveStdio } from './server/stdio.js';
export {
  ZeroVarianceAccumulator,
  type ZeroVarianceOptions,
  type ZeroVarianceState,
  zeroVarianceMask,
} from './zeroVariance.js';
