/**
 * @drojs/robust-rl — robust offline RL for d-rectangular linear MDPs: R2PVI (TV, KL, Pearson χ²), PEVI and
 * DRPVI-TV baselines, exact robust dynamic programming and policy evaluation under shifted transitions, and
 * DR-RPO's policy-regularised pieces. Host float64; no TensorFlow.js.
 * @packageDocumentation
 */

export { type BonusForm, bonus } from './bonus.js';
export { checkDataset, type LinearMdpDataset, type Transition, tabularDataset } from './dataset.js';
export {
  argmaxLowest,
  type Divergence,
  evaluatePolicy,
  type Policy,
  type RobustSpec,
  robustDp,
  robustEvaluate,
} from './dp.js';
export {
  DR_RPO_AGENT_KIND,
  DrRpoAgent,
  type DrRpoAgentOptions,
  type DrRpoAgentState,
  type Episode,
  rolloutEpisode,
  type StoredTransition,
} from './drRpoAgent.js';
export { mirrorStep, regularizedRobustDp, regularizedRobustEvaluate, softValue, uniformPolicy } from './drrpo.js';
export { type FactorEstimate, type FactorEstimateOptions, factorEstimate } from './estimators.js';
export { greedyPolicy } from './greedyPolicy.js';
export { LINEAR_Q_MODEL_KIND, LinearQModel, type LinearQModelState, type StepDiagnostics } from './linearQModel.js';
export {
  checkFactorMdp,
  type FactorMdp,
  kernel,
  rewards,
  shiftGlobal,
  shiftRisky,
  type TabularModel,
  tabularMdp,
  toTabular,
} from './mdp.js';
export { paperLinearMdp, trapMdp } from './models.js';
export { fitDrpviTv, fitPevi, fitR2pvi, type R2pviOptions } from './r2pvi.js';
export { exactFrequencyDataset, sampleTabularDataset, sampleTrajectories } from './sampling.js';
