// The dro-core primitives ldr-loss builds on, in one place.
export {
  logMeanExp,
  MovingLogMeanExp,
  type MovingLogMeanExpState,
  robustLoss,
  robustWeights,
  stopGradient,
} from '@drojs/dro-core';
