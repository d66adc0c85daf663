import { checkFinite, checkNumber, checkOptions, DroError, opt } from '@drojs/dro-core';

const TEMPERATURE_STEP_OPTIONS = {
  eta: opt.any(),
  beta: opt.any(),
  tauMin: opt.any(),
  tauMax: opt.any(),
  clip: opt.any(),
};

/** Options of {@link temperatureStep}. */
export interface TemperatureStepOptions {
  /** Step size η > 0. */
  eta: number;
  /** Weight of the NEW gradient in the momentum, in (0, 1]. */
  beta: number;
  tauMin: number;
  tauMax: number;
  /** Clip of the τ-gradient to ±clip; null/undefined = none. */
  clip?: number | null;
}

/**
 * The iSogCLR temperature step (host, float64, in place): for each row r with slot `slots[r]`,
 * `M ← (1 − β)·M + β·clip(G_r)`, `τ ← clip(τ − η·M, τ_min, τ_max)`. Every row reads the values from before
 * the call; with repeated slots the last row's result is kept (`lastWins`).
 * @returns the (clipped) gradients actually used.
 */
export function temperatureStep(
  tau: Float64Array,
  momentum: Float64Array,
  slots: ArrayLike<number>,
  gradTau: ArrayLike<number>,
  opts: TemperatureStepOptions,
): Float64Array {
  checkOptions(opts, TEMPERATURE_STEP_OPTIONS, 'temperatureStep');
  const eta = checkNumber(opts?.eta, 'eta', { min: 0, minExclusive: true });
  const beta = checkNumber(opts.beta, 'beta', { min: 0, minExclusive: true, max: 1 });
  const tauMin = checkNumber(opts.tauMin, 'tauMin', { min: 0, minExclusive: true });
  const tauMax = checkNumber(opts.tauMax, 'tauMax', { min: tauMin });
  const clip = opts.clip ?? null;
  if (clip !== null) checkNumber(clip, 'clip', { min: 0, minExclusive: true });
  if (slots.length !== gradTau.length) {
    throw new DroError('E_SHAPE', 'temperatureStep: slots and gradTau must have the same length', {
      argument: 'gradTau',
    });
  }
  checkFinite(gradTau, 'gradTau');
  const n = slots.length;
  const used = new Float64Array(n);
  const newM = new Float64Array(n);
  const newT = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const s = slots[r] as number;
    if (!Number.isInteger(s) || s < 0 || s >= tau.length) {
      throw new DroError('E_INDEX_RANGE', `temperatureStep: slots[${r}] = ${s} is outside [0, ${tau.length})`, {
        argument: 'slots',
      });
    }
    let g = gradTau[r] as number;
    if (clip !== null) g = Math.min(clip, Math.max(-clip, g));
    used[r] = g;
    newM[r] = (1 - beta) * (momentum[s] as number) + beta * g;
    newT[r] = Math.min(tauMax, Math.max(tauMin, (tau[s] as number) - eta * newM[r]!));
  }
  for (let r = 0; r < n; r++) {
    const s = slots[r] as number;
    momentum[s] = newM[r]!;
    tau[s] = newT[r]!;
  }
  return used;
}
