import { checkOptions, DroError, opt } from '@drojs/dro-core/host';
import { type CromeOptions, checkFiniteVector, type PreferencePair } from './pairs.js';
import { RewardModel } from './rewardModel.js';

/** Options of {@link trainLinearReward} (spec §5). */
export interface TrainLinearOptions extends CromeOptions {
  steps: number;
  learningRate: number;
  l2?: number;
  theta0?: ArrayLike<number>;
  checkpoints?: number[];
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

const SCHEMA = {
  steps: opt.integer({ min: 0 }).require(),
  learningRate: opt.number({ min: 0, minExclusive: true }).require(),
  l2: opt.number({ min: 0 }),
  lambdaTie: opt.number({ min: 0 }),
  lambdaCausal: opt.number({ min: 0 }),
  theta0: opt.any(),
  checkpoints: opt.array(),
  onProgress: opt.function(),
  signal: opt.signal(),
};

/**
 * Full-batch gradient descent of a linear reward `θᵀφ` on the Crome objective from `theta0` (default 0):
 * `θ_{k+1} = θ_k − η·∇L_reg(θ_k)`, k = 0 … steps−1 (spec §3.4). Checkpoint k holds θ_k (before update k) and
 * `L_reg(θ_k)`; the result holds the trained {@link RewardModel} and `L_reg(θ_steps)`. Synchronous; honours
 * `signal` between steps and reports progress every 100 steps. No pairs → E_EMPTY.
 */
export function trainLinearReward(
  pairs: readonly PreferencePair[],
  o: TrainLinearOptions,
): {
  model: RewardModel;
  lossRegularized: number;
  checkpoints: Record<number, { theta: Float64Array; lossRegularized: number }>;
} {
  const v = checkOptions(o, SCHEMA, 'trainLinearReward');
  if (!Array.isArray(pairs) || pairs.length === 0)
    throw new DroError('E_EMPTY', 'trainLinearReward: pairs is empty', { argument: 'pairs' });
  const dim = ((pairs[0] as PreferencePair | undefined)?.chosen as ArrayLike<number> | undefined)?.length ?? 0;
  const model = new RewardModel({
    dim: Math.max(dim, 1),
    learningRate: v.learningRate,
    l2: v.l2 ?? 0,
    lambdaTie: v.lambdaTie ?? 1,
    lambdaCausal: v.lambdaCausal ?? 1,
    ...(v.theta0 === undefined ? {} : { theta0: v.theta0 }),
  });
  const r = model.fit(pairs, {
    steps: v.steps,
    ...(v.checkpoints ? { checkpoints: v.checkpoints } : {}),
    ...(v.onProgress ? { onProgress: v.onProgress } : {}),
    ...(v.signal ? { signal: v.signal } : {}),
  });
  return { model, ...r };
}

/** A linear reward model with fixed parameters θ (e.g. the oracle, or θ loaded from elsewhere). */
export function linearReward(theta: ArrayLike<number>): RewardModel {
  const th = checkFiniteVector(theta, null, 'theta', 'linearReward');
  if (th.length === 0) throw new DroError('E_EMPTY', 'linearReward: theta is empty', { argument: 'theta' });
  return new RewardModel({ dim: th.length, theta0: th });
}
