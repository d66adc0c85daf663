import { createRng } from '@drojs/dro-core';
import { type GmmSample, randomUnitVector, sampleMixture, shiftedMean } from './gmm.js';
import { meanEstimator, PROTOCOL, p0Accuracy, type RssOptions, trainRss } from './rss.js';

export const DIM = 200;

/** One seed's labeled problem: μ₀, v and the m labeled samples. */
export interface Problem {
  seed: number;
  m: number;
  mu0: Float64Array;
  v: Float64Array;
  labeled: GmmSample;
}

/**
 * μ₀ and v come from `createRng(seed).fork('means')` (shared by every grid point of the seed), the labeled
 * sample from `fork('labeled/m')` (shared by both α and every n, so the comparisons are paired).
 */
export function makeProblem(seed: number, m: number, d = DIM): Problem {
  const root = createRng(seed);
  const means = root.fork('means');
  const mu0 = randomUnitVector(d, means);
  const v = randomUnitVector(d, means);
  return { seed, m, mu0, v, labeled: sampleMixture(mu0, m, root.fork(`labeled/${m}`)) };
}

/** Accuracies on P₀ of the two ERM baselines: mean estimator, and the robust loss with λ = 0. */
export function baselines(p: Problem, opts: RssOptions = PROTOCOL): { erm: number; ermRobust: number } {
  return {
    erm: p0Accuracy(meanEstimator(p.labeled), p.mu0),
    ermRobust: p0Accuracy(trainRss(p.labeled, null, { ...opts, lambda: 0 }), p.mu0),
  };
}

/** RSS accuracy on P₀ with n unlabeled samples from `createRng(seed).fork('unlabeled/α/n')`, `μ₁ = μ₀ + α·v`. */
export function rssAccuracy(p: Problem, n: number, alphaFrac: number, opts: RssOptions = PROTOCOL): number {
  const rng = createRng(p.seed).fork(`unlabeled/${alphaFrac}/${n}`);
  const unlabeled = sampleMixture(shiftedMean(p.mu0, p.v, alphaFrac), n, rng);
  return p0Accuracy(trainRss(p.labeled, unlabeled, opts), p.mu0);
}

/** The pass criterion of dro-core spec §8.3 at d = 200, m = 10, n = 10⁴. */
export const PASS = { alpha0: 0.8, alpha05: 0.78, gain: 0.19 } as const;

/** Checks the criterion; the gain is the smaller of the two RSS accuracies minus the ERM mean estimator's. */
export function checkPass(rss0: number, rss05: number, erm: number): { ok: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (!(rss0 >= PASS.alpha0)) reasons.push(`RSS(α=0) ${rss0.toFixed(3)} < ${PASS.alpha0}`);
  if (!(rss05 >= PASS.alpha05)) reasons.push(`RSS(α=0.5) ${rss05.toFixed(3)} < ${PASS.alpha05}`);
  const gain = Math.min(rss0, rss05) - erm;
  if (!(gain >= PASS.gain)) reasons.push(`gain over ERM ${gain.toFixed(3)} < ${PASS.gain}`);
  return { ok: reasons.length === 0, reasons };
}
