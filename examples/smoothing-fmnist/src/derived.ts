// Comparison records computed from the DRS counts (same draws): the authors' two radius rules (α per
// side, unsound, from the legacy subpath) and the left sub-image alone as plain RS.
import { type CertRecord, certifyFromCounts, clopperPearsonLower, type DualCertifyResult } from '@drojs/smoothing';
import { legacyDrsRadius } from '@drojs/smoothing/legacy';

function argmaxSum(a: Int32Array, b: Int32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++)
    if ((a[i] as number) + (b[i] as number) > (a[best] as number) + (b[best] as number)) best = i;
  return best;
}

export function derivedFromDual(
  dual: Map<number, DualCertifyResult>,
  labels: ArrayLike<number>,
  alpha: number,
  s: number,
) {
  const cifarSqrt: CertRecord[] = [];
  const imagenetSum: CertRecord[] = [];
  const leftAlone: CertRecord[] = [];
  for (const [index, r] of [...dual.entries()].sort((a, b) => a[0] - b[0])) {
    const label = labels[index] as number;
    const cA = argmaxSum(r.countsSelectionL, r.countsSelectionR);
    const n = r.countsL.reduce((x, y) => x + y, 0);
    const pL = clopperPearsonLower(r.countsL[cA] as number, n, alpha);
    const pR = clopperPearsonLower(r.countsR[cA] as number, n, alpha);
    for (const [variant, out] of [
      ['cifarSqrt', cifarSqrt],
      ['imagenetSum', imagenetSum],
    ] as const) {
      const radius = legacyDrsRadius(pL, pR, s, variant);
      // The authors abstain only below 1e-5.
      out.push({ index, label, prediction: radius < 1e-5 ? -1 : cA, radius: radius < 1e-5 ? 0 : radius });
    }
    const left = certifyFromCounts(r.countsSelectionL, r.countsL, alpha, s);
    leftAlone.push({ index, label, prediction: left.prediction, radius: left.radius });
  }
  return { cifarSqrt, imagenetSum, leftAlone };
}
