// Test fixtures shared by region.test.ts and regionDiagnosis.test.ts (not part of the build).
import { createRng } from '@drojs/dro-core';
import { sdmProbsHost } from './activation.js';
import { rescaledSimilarity } from './region.js';

/** A random calibration set: noisy logits around the true class, random q and d. */
export function calibrationSet(seed: number, n: number, c: number) {
  const rng = createRng(seed);
  const labels: number[] = [];
  const sdmProbs: Float64Array[] = [];
  const qPrime: number[] = [];
  const preds: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.int(c);
    const z = Array.from({ length: c }, (_, k) => (k === y ? 2 : 0) + 2 * rng.normal());
    const q = rng.int(40);
    const p = sdmProbsHost(z, q, rng.uniform());
    const pred = z.indexOf(Math.max(...z));
    labels.push(y);
    sdmProbs.push(p);
    preds.push(pred);
    qPrime.push(rescaledSimilarity(q, p[pred]!));
  }
  return { labels, sdmProbs, qPrime, preds };
}

type CalibrationSet = Pick<ReturnType<typeof calibrationSet>, 'labels' | 'sdmProbs' | 'qPrime'>;

/** ψ_c and class counts at every candidate threshold, the slow literal way (sort per candidate). */
export function literalCandidates(s: CalibrationSet, alpha: number, c: number) {
  const cands = [...new Set(s.qPrime.filter((v) => Math.floor(v) > 0))].sort((a, b) => a - b);
  return cands.map((t) => {
    const perClass = Array.from({ length: c }, (_, k) => {
      const v = s.labels.flatMap((y, i) =>
        y === k && Math.floor(s.qPrime[i]!) > 0 && s.qPrime[i]! >= t ? [s.sdmProbs[i]![k]!] : [],
      );
      v.sort((a, b) => a - b);
      return { n: v.length, psi: v.length === 0 ? 0 : v[Math.min(Math.floor((1 - alpha) * v.length), v.length - 1)]! };
    });
    return { t, psi: perClass.map((p) => p.psi), counts: perClass.map((p) => p.n) };
  });
}

/** Algorithm 1 written literally: the first candidate at which every ψ_c ≥ α′. */
export function literalRegion(s: CalibrationSet, alpha: number, c: number) {
  const hit = literalCandidates(s, alpha, c).find((k) => k.psi.every((p) => p >= alpha));
  return hit
    ? { qPrimeMin: hit.t, psi: hit.psi }
    : { qPrimeMin: Number.POSITIVE_INFINITY, psi: new Array<number>(c).fill(0) };
}
