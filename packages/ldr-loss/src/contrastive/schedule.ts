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
