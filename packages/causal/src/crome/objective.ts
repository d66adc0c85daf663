import { DroError } from '@drojs/dro-core/host';
import { pairLoss, pairLossGrad } from './pairLoss.js';
import {
  type CromeOptions,
  checkFiniteVector,
  checkKinds,
  checkLambda,
  type PairKind,
  type PairWeighting,
  resolveWeighting,
} from './pairs.js';

/** Value and exact gradient of the Crome objective with respect to the reward differences. */
export interface CromeObjectiveResult {
  /** `L = L_pref + λ_tie·L_tie`. */
  loss: number;
  /** Weighted mean pair loss over original and causal pairs (0 when there are none). */
  preference: number;
  /** Weighted mean tie loss over neutral pairs (0 when there are none); minimum `log 2`. */
  tie: number;
  /** `∂L/∂Δ_i`. */
  gradDelta: Float64Array;
  /** Number of original + causal pairs (zero-weight ones included). */
  nPreference: number;
  /** Number of neutral pairs (zero-weight ones included). */
  nNeutral: number;
}

/**
 * Per-pair coefficients `c_i` and targets `t_i` such that `L = Σ_i c_i·ℓ(Δ_i; t_i)`:
 * `c_i = ω_i/Σ_P ω` on preference pairs (`ω_i = w_i·λ_causal` for causal pairs, `w_i` otherwise) and
 * `λ_tie·w_i/Σ_N w` on neutral pairs. Shared by the host objective and the tfjs loss, so both normalise by
 * group weight (not pair count) in float64.
 */
export function cromeCoefficients(
  kinds: ArrayLike<PairKind>,
  n: number,
  o: CromeOptions & PairWeighting,
  caller: string,
): {
  kinds: PairKind[];
  coef: Float64Array;
  groupCoef: Float64Array;
  targets: Float64Array;
  lambdaTie: number;
  nPreference: number;
  nNeutral: number;
} {
  const ks = checkKinds(kinds, n, caller);
  const lambdaTie = checkLambda(o.lambdaTie, 'lambdaTie', caller);
  const lambdaCausal = checkLambda(o.lambdaCausal, 'lambdaCausal', caller);
  const { weights, targets } = resolveWeighting(ks, o, caller);
  const omega = new Float64Array(n);
  let sumP = 0;
  let sumN = 0;
  let nPreference = 0;
  let nNeutral = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    if (ks[i] === 'neutral') {
      omega[i] = w;
      sumN += w;
      nNeutral++;
    } else {
      omega[i] = ks[i] === 'causal' ? w * lambdaCausal : w;
      sumP += omega[i] as number;
      nPreference++;
    }
  }
  // A present group whose weights sum to 0 has no mean: refuse it rather than divide by zero.
  if (nPreference > 0 && sumP === 0)
    throw new DroError('E_SPEC', `${caller}: the original and causal pairs have total weight 0`, {
      argument: 'weights',
      expected: 'a positive total weight in every present group',
    });
  if (nNeutral > 0 && sumN === 0)
    throw new DroError('E_SPEC', `${caller}: the neutral pairs have total weight 0`, {
      argument: 'weights',
      expected: 'a positive total weight in every present group',
    });
  // groupCoef: the weight inside the pair's group mean; coef adds λ_tie to the neutral group.
  const groupCoef = new Float64Array(n);
  const coef = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const neutral = ks[i] === 'neutral';
    groupCoef[i] = (omega[i] as number) / (neutral ? sumN : sumP);
    coef[i] = neutral ? lambdaTie * (groupCoef[i] as number) : (groupCoef[i] as number);
  }
  return { kinds: ks, coef, groupCoef, targets, lambdaTie, nPreference, nNeutral };
}

/**
 * The Crome objective (spec crome.md §3.3, ⚠ reconstructed normalisation) on reward differences
 * `Δ_i = r(chosen_i) − r(rejected_i)`, host float64, with its exact gradient `∂L/∂Δ_i`:
 *
 *     L = Σ_P ω_i ℓ(Δ_i; t_i) / Σ_P ω  +  λ_tie · Σ_N w_i ℓ(Δ_i; t_i) / Σ_N w
 *
 * Plain Bradley–Terry is the case with only original pairs. Never filters (see `filterAugmentations`).
 * Errors: lengths → E_SHAPE; NaN/±Inf in `delta` → E_NONFINITE; unknown kind, negative λ or weight, target
 * outside [0, 1], a present group of total weight 0 → E_SPEC.
 */
export function cromeObjective(
  delta: ArrayLike<number>,
  kinds: ArrayLike<PairKind>,
  o: CromeOptions & PairWeighting = {},
): CromeObjectiveResult {
  const d = checkFiniteVector(delta, null, 'delta', 'cromeObjective');
  const c = cromeCoefficients(kinds, d.length, o, 'cromeObjective');
  let preference = 0;
  let tie = 0;
  const gradDelta = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const gi = c.groupCoef[i] as number;
    const ti = c.targets[i] as number;
    const di = d[i] as number;
    const ci = c.coef[i] as number;
    gradDelta[i] = ci === 0 ? 0 : ci * pairLossGrad(di, ti); // +0, not −0, for pairs that contribute nothing
    if (gi === 0) continue; // zero-weight pairs contribute nothing (even at |Δ| = 800)
    if (c.kinds[i] === 'neutral') tie += gi * pairLoss(di, ti);
    else preference += gi * pairLoss(di, ti);
  }
  return {
    loss: preference + c.lambdaTie * tie,
    preference,
    tie,
    gradDelta,
    nPreference: c.nPreference,
    nNeutral: c.nNeutral,
  };
}
