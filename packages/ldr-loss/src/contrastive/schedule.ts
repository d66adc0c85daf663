import { DroError } from '@drojs/dro-core';

/**
 * γ at an epoch: `'constant'` → γ; `'cosine'` → `γ + (1 − γ)·½(1 + cos(π·e/E))` for e < E, then γ
 * (so γ₀ = 1). γ is the weight of the NEW batch estimate in the moving average.
 */
export function scheduledGamma(
  gamma: number,
  schedule: 'constant' | 'cosine',
  decayEpochs: number,
  epoch: number,
): number {
  if (schedule === 'constant' || epoch >= decayEpochs) return gamma;
  return gamma + ((1 - gamma) * (1 + Math.cos((Math.PI * epoch) / decayEpochs))) / 2;
}

/** The epoch given to a loss's `setEpoch`, validated as a non-negative integer. */
export function checkEpoch(epoch: number): number {
  if (!Number.isInteger(epoch) || epoch < 0) {
    throw new DroError('E_SPEC', 'setEpoch: epoch must be a non-negative integer', {
      argument: 'epoch',
      received: String(epoch),
    });
  }
  return epoch;
}
