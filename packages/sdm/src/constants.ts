/** Offset of the SDM base: the activation is softmax(ln(2 + q)·d·z′). */
export const Q_RESCALE_OFFSET = 2;
/** An instance is out of distribution by similarity when ⌊q′⌋ ≤ OOD_LIMIT. */
export const OOD_LIMIT = 0;
/** The q for which (2 + q) = e, so that SDM with d = 1 equals the softmax. */
export const SOFTMAX_EQUIVALENT_Q = Math.E - 2;
/**
 * Label of an unlabelled support point (never counts as correctly predicted): dro-core's `UNLABELED` (−2),
 * distinct from smoothing's `ABSTAIN` (−1). The old value −1 is still accepted on input and mapped to −2.
 */
export { UNLABELED } from '@drojs/dro-core/host';
/** Label of a known out-of-distribution support point (never counts as correctly predicted). */
export const OOD_LABEL = -99;
/** Below this SDM probability of ŷ a rejected, non-OOD prediction is labelled 'near-chance'. */
export const NEAR_CHANCE_THRESHOLD = 0.6;
