// SdmEstimator.summary(): the fitted estimator's headline numbers, as data and as printable text.
import { distanceBounds, effectiveSampleSizes } from './dkw.js';
import type { Core } from './estimatorCore.js';
import { lowerRuleDataNeed } from './lowerRuleNeed.js';
import { explainNoRegion, type NoRegionReport } from './noRegionReport.js';
import type { DecisionRule } from './options.js';

/** Headline numbers of a fitted estimator ({@link SdmEstimator.summaryStats}). */
export interface SdmSummary {
  numClasses: number;
  alpha: number;
  decisionRule: DecisionRule;
  regionFound: boolean;
  qPrimeMin: number;
  thresholds: number[];
  supportSize: number;
  calibrationSize: number;
  bestShuffle: number;
  bestEpoch: number;
  calibrationBalancedLoss: number;
  calibrationAccuracy: number;
  /** Fraction of calibration points OOD by similarity (q = 0): Algorithm 1 never uses them. */
  calibrationOodFraction: number;
  /**
   * How the calibration points themselves would be reported by `predict` (in-sample, decision rule of the
   * estimator): `ood` = q = 0 or d = 0 (real OOD), `insufficientEvidence` = not OOD but d_lower = 0
   * (lower rule only). A large `insufficientEvidence` with a small `ood` means more calibration data per
   * class, not a different model, is what SDM lacks.
   */
  calibrationStatusFractions: { ood: number; insufficientEvidence: number };
  emptyDistanceClasses: number[];
  /** Why no region exists at α′ (binding class, ψ, largest α′, data per class); null when one exists. */
  noRegion: NoRegionReport | null;
  /**
   * One-line warnings (what `fit`'s `onWarning` receives): no region at α′, or at least half of the
   * calibration points 'insufficient-evidence' under the lower rule (with the data per class it needs).
   */
  warnings: string[];
}

/** Fraction of calibration points above which summaryStats warns about thin evidence. */
const THIN_EVIDENCE_WARNING = 0.5;

/**
 * The headline numbers of a fitted estimator's host data. `explain` computes the no-region report (the
 * estimator passes a memoised {@link explainNoRegion}: the calibration never changes after fit).
 */
export function summaryStats(c: Core, explain: typeof explainNoRegion = explainNoRegion): SdmSummary {
  const k = c.calibration;
  const n = k.labels.length;
  let hits = 0;
  let ood = 0;
  let realOod = 0;
  let thin = 0;
  for (let i = 0; i < n; i++) {
    if (k.predicted[i] === k.labels[i]) hits++;
    if (k.isOod[i]) ood++;
    const d = k.d[i] as number;
    if (k.isOod[i] || d === 0) realOod++;
    else if (c.decisionRule === 'lower') {
      const { eps } = effectiveSampleSizes(k.qPrime[i] as number, k.qPrimeSortedPerClass, c.alpha);
      if (distanceBounds(d, eps).dLower === 0) thin++;
    }
  }
  const noRegion = c.region.found
    ? null
    : explain({
        sdmProbs: k.sdmProbs,
        qPrime: k.qPrime,
        labels: k.labels,
        d: k.d,
        alpha: c.alpha,
        numClasses: c.numClasses,
      });
  const warnings: string[] = [];
  if (noRegion) warnings.push(noRegion.message);
  else if (n > 0 && thin / n >= THIN_EVIDENCE_WARNING) {
    const need = lowerRuleDataNeed({ ...k, alpha: c.alpha });
    const perClass = Math.round(n / c.numClasses);
    warnings.push(
      `SdmEstimator: ${(100 * (thin / n)).toFixed(1)} % of the calibration points are 'insufficient-evidence' under the lower rule (d_lower = 0 with d > 0): about ${perClass} calibration points per class now${need === null ? '' : `, ≈ ${need} per class needed for the median calibration point's d to clear the DKW margin`}.`,
    );
  }
  return {
    numClasses: c.numClasses,
    alpha: c.alpha,
    decisionRule: c.decisionRule,
    regionFound: c.region.found,
    qPrimeMin: c.region.qPrimeMin,
    thresholds: Array.from(c.region.thresholds),
    supportSize: c.support.labels.length,
    calibrationSize: n,
    bestShuffle: c.training?.bestShuffle ?? 0,
    bestEpoch: c.training?.bestEpoch ?? -1,
    calibrationBalancedLoss: c.training?.calibrationBalancedLoss ?? Number.NaN,
    calibrationAccuracy: n > 0 ? hits / n : 0,
    calibrationOodFraction: n > 0 ? ood / n : 0,
    calibrationStatusFractions: { ood: n > 0 ? realOod / n : 0, insufficientEvidence: n > 0 ? thin / n : 0 },
    emptyDistanceClasses: k.distanceCdfs.flatMap((s, i) => (s.length === 0 ? [i] : [])),
    noRegion,
    warnings,
  };
}

const fmt = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** A few lines of text for a console or a log, built from {@link summaryStats}. */
export function formatSummary(s: SdmSummary): string {
  const region = s.regionFound
    ? `found: q′_min = ${fmt(s.qPrimeMin, 3)}, ψ_c = [${s.thresholds.map((t) => fmt(t)).join(', ')}]`
    : 'not found (nothing is admitted; see the warning below and diagnoseRegion)';
  const lines = [
    `SdmEstimator: ${s.numClasses} classes, α′ = ${s.alpha}, decision rule '${s.decisionRule}'`,
    `  high-reliability region ${region}`,
    `  support ${s.supportSize} rows, calibration ${s.calibrationSize} rows`,
    `  calibration accuracy ${fmt(s.calibrationAccuracy)}, OOD fraction ${fmt(s.calibrationStatusFractions.ood)} (q = 0: ${fmt(s.calibrationOodFraction)}), insufficient evidence ${fmt(s.calibrationStatusFractions.insufficientEvidence)}`,
  ];
  if (s.bestEpoch >= 0) {
    lines.push(
      `  training: best shuffle ${s.bestShuffle}, best epoch ${s.bestEpoch + 1}, balanced calibration loss ${fmt(s.calibrationBalancedLoss)}`,
    );
  }
  if (s.emptyDistanceClasses.length > 0) {
    lines.push(`  classes without calibration distances: ${s.emptyDistanceClasses.join(', ')}`);
  }
  for (const w of s.warnings) lines.push(`  warning: ${w.replace(/^SdmEstimator: /, '')}`);
  return lines.join('\n');
}
