// SdmEstimator.summary(): the fitted estimator's headline numbers, as data and as printable text.
import { calibrationStatuses } from './calibrationStatus.js';
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
   * How `predict` would report the calibration points themselves (in-sample, under the estimator's decision
   * rule): the fraction per reliability status (they sum to 1). `ood` is at most about `oodRate` by
   * construction (the threshold is their own conformal quantile). A large `insufficientEvidence` means more
   * calibration data per class, not a different model, is what SDM lacks; a large `noSupport` (q = 0)
   * tracks the model's weak regions.
   */
  calibrationStatusFractions: {
    high: number;
    ood: number;
    insufficientEvidence: number;
    noSupport: number;
    nearChance: number;
    low: number;
  };
  /** δ of the OOD test (`opts.oodRate`). */
  oodRate: number;
  /** The nearest-support distance d₀ above which an input is `'ood'` (+∞: the calibration set is too small for δ). */
  oodDistanceThreshold: number;
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
  for (let i = 0; i < n; i++) {
    if (k.predicted[i] === k.labels[i]) hits++;
    if (k.isOod[i]) ood++;
  }
  const frac = (x: number): number => (n > 0 ? x / n : 0);
  const counts = { high: 0, ood: 0, insufficientEvidence: 0, noSupport: 0, nearChance: 0, low: 0 };
  const keyOf = {
    high: 'high',
    ood: 'ood',
    'insufficient-evidence': 'insufficientEvidence',
    'no-support': 'noSupport',
    'near-chance': 'nearChance',
    low: 'low',
  } as const;
  for (const r of calibrationStatuses(c)) counts[keyOf[r]]++;
  const thin = counts.insufficientEvidence;
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
  else if (c.decisionRule === 'lower' && n > 0 && thin / n >= THIN_EVIDENCE_WARNING) {
    const need = lowerRuleDataNeed({ ...k, alpha: c.alpha });
    const perClass = Math.round(n / c.numClasses);
    warnings.push(
      `SdmEstimator: ${(100 * (thin / n)).toFixed(1)} % of the calibration points are 'insufficient-evidence' under the lower rule (d_lower = 0): about ${perClass} calibration points per class now${need === null ? '' : `, ≈ ${need} per class needed for the median calibration point's d to clear the DKW margin`}.`,
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
    calibrationStatusFractions: {
      high: frac(counts.high),
      ood: frac(counts.ood),
      insufficientEvidence: frac(counts.insufficientEvidence),
      noSupport: frac(counts.noSupport),
      nearChance: frac(counts.nearChance),
      low: frac(counts.low),
    },
    oodRate: c.options.oodRate,
    oodDistanceThreshold: k.oodDistanceThreshold,
    emptyDistanceClasses: k.distanceCdfs.flatMap((s, i) => (s.length === 0 ? [i] : [])),
    noRegion,
    warnings,
  };
}

const fmt = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

function statusLine(f: SdmSummary['calibrationStatusFractions']): string {
  const names: [keyof typeof f, string][] = [
    ['high', 'high'],
    ['ood', 'ood'],
    ['insufficientEvidence', 'insufficient-evidence'],
    ['noSupport', 'no-support (q = 0)'],
    ['nearChance', 'near-chance'],
    ['low', 'low'],
  ];
  return names.map(([k, name]) => `${name} ${fmt(f[k])}`).join(', ');
}

/** A few lines of text for a console or a log, built from {@link summaryStats}. */
export function formatSummary(s: SdmSummary): string {
  const region = s.regionFound
    ? `found: q′_min = ${fmt(s.qPrimeMin, 3)}, ψ_c = [${s.thresholds.map((t) => fmt(t)).join(', ')}]`
    : 'not found (nothing is admitted; see the warning below and diagnoseRegion)';
  const lines = [
    `SdmEstimator: ${s.numClasses} classes, α′ = ${s.alpha}, decision rule '${s.decisionRule}'`,
    `  high-reliability region ${region}`,
    `  support ${s.supportSize} rows, calibration ${s.calibrationSize} rows`,
    `  calibration accuracy ${fmt(s.calibrationAccuracy)}; statuses in-sample: ${statusLine(s.calibrationStatusFractions)}`,
    `  OOD test: d₀ > ${fmt(s.oodDistanceThreshold)} (conformal ${fmt(1 - s.oodRate, 3)} quantile of the calibration d₀, false-alarm rate ≤ ${s.oodRate})`,
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
