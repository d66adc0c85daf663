// The status `predict` would give each calibration point (in-sample), for summaryStats' fractions.
import { distanceBounds, effectiveSampleSizes } from './dkw.js';
import type { Core } from './estimatorCore.js';
import { highReliabilityIndicator, rescaledSimilarity } from './region.js';
import { reliabilityOf, type SdmReliability } from './reliability.js';

/**
 * The SDM output at a smaller distance quantile from the one at d: softmax(t·s) = p^t / Σ p^t with
 * t = dLower / d, so the stored point outputs suffice (no logits are stored for calibration points).
 */
function rescaledProbs(p: Float64Array, t: number): Float64Array {
  const out = new Float64Array(p.length);
  let sum = 0;
  for (let c = 0; c < p.length; c++) {
    out[c] = (p[c] as number) ** t;
    sum += out[c] as number;
  }
  for (let c = 0; c < p.length; c++) out[c] = (out[c] as number) / sum;
  return out;
}

/** The reliability of every calibration point under the estimator's decision rule and OOD threshold. */
export function calibrationStatuses(c: Core): SdmReliability[] {
  const k = c.calibration;
  const out: SdmReliability[] = [];
  for (let i = 0; i < k.labels.length; i++) {
    const d = k.d[i] as number;
    const q = k.q[i] as number;
    const label = k.predicted[i] as number;
    const probs = k.sdmProbs[i] as Float64Array;
    let ruleD = d;
    let ruleProbs = probs;
    let qPrime = k.qPrime[i] as number;
    if (c.decisionRule === 'lower') {
      const { eps } = effectiveSampleSizes(qPrime, k.qPrimeSortedPerClass, c.alpha);
      ruleD = distanceBounds(d, eps).dLower;
      ruleProbs = ruleD > 0 ? rescaledProbs(probs, ruleD / d) : probs.map(() => 1 / probs.length);
      qPrime = rescaledSimilarity(q, ruleProbs[label] as number);
    }
    const ind = highReliabilityIndicator(qPrime, ruleProbs, label, c.region);
    out.push(
      reliabilityOf({
        valid: ind.isHighReliability,
        isOod: (k.d0[i] as number) > k.oodDistanceThreshold,
        ruleD,
        isOodBySimilarity: Math.floor(k.qPrime[i] as number) <= 0,
        ruleProbOfLabel: ruleProbs[label] as number,
      }),
    );
  }
  return out;
}
