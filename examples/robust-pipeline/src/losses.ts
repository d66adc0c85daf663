import { type AldrKlLoss, LDR_NOISY_LABEL_PRESET, ldrKlLoss } from '@drojs/ldr-loss';
import type { NoiseLossFn } from '@drojs/smoothing';

/** ldr-loss's LDR-KL with the noisy-label preset (λ = 10, margin 0.1, softplus-mean), as smoothing's `loss`. */
export const ldrTrainingLoss: NoiseLossFn = (logits, labels) => ldrKlLoss(logits, labels, LDR_NOISY_LABEL_PRESET);

/**
 * ALDR-KL (one λ per training instance) as smoothing's `loss`: `trainWithNoise` hands each row's position in
 * its `xs` as `context.indices`, the key `AldrKlLoss.call` needs (`numInstances` = the number of training rows).
 * With m > 1 noisy copies an instance appears m times in a batch; ALDR's default `'last-wins'` keeps one λ.
 */
export function aldrTrainingLoss(aldr: AldrKlLoss): NoiseLossFn {
  return (logits, labels, context) => {
    if (!context.indices) throw new Error('aldrTrainingLoss needs trainWithNoise (it passes the row indices)');
    return aldr.call(logits, labels, context.indices);
  };
}
