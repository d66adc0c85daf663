import { DroError, describeValue } from '@drojs/dro-core/host';

function checkNonNegative(x: unknown, argument: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
    throw new DroError('E_SPEC', `proxSparseGroup: ${argument} must be a finite number ≥ 0`, {
      argument,
      received: describeValue(x),
    });
  }
  return x;
}

/**
 * The proximal operator of `τ(λ₁‖v‖₁ + λ_G‖v‖₂)` on one group, in float64 on the host: soft-thresholding
 * `sign(v)·max(|v| − τλ₁, 0)` followed by the group shrink `v·max(0, 1 − τλ_G/‖v‖₂)` (a zero group stays
 * zero). The composition is the exact prox of the sum. A group whose norm after soft-thresholding equals
 * `τλ_G` exactly becomes zero.
 * @throws DroError `E_SPEC` for a negative or non-finite `tau`/`lambda1`/`lambdaGroup`, `E_NONFINITE` for a
 * non-finite entry of `v`.
 */
export function proxSparseGroup(v: ArrayLike<number>, tau: number, lambda1: number, lambdaGroup: number): Float64Array {
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') {
    throw new DroError('E_DTYPE', 'proxSparseGroup: v must be an array of numbers', {
      argument: 'v',
      received: describeValue(v),
    });
  }
  checkNonNegative(tau, 'tau');
  checkNonNegative(lambda1, 'lambda1');
  checkNonNegative(lambdaGroup, 'lambdaGroup');
  const out = new Float64Array(v.length);
  const t1 = tau * lambda1;
  let sq = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new DroError('E_NONFINITE', 'proxSparseGroup: v must be finite', {
        argument: `v[${i}]`,
        received: describeValue(x),
      });
    }
    const a = Math.abs(x) - t1;
    out[i] = a > 0 ? Math.sign(x) * a : 0;
    sq += out[i]! * out[i]!;
  }
  const tg = tau * lambdaGroup;
  if (tg === 0 || sq === 0) return out;
  // The plain sum of squares matches the reference bit for bit (the exact-boundary case); rescale only when
  // it overflows.
  const norm = Number.isFinite(sq) ? Math.sqrt(sq) : scaledNorm(out);
  const scale = 1 - tg / norm;
  if (scale <= 0) return out.fill(0);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale;
  return out;
}

function scaledNorm(v: Float64Array): number {
  let big = 0;
  for (const x of v) big = Math.max(big, Math.abs(x));
  let sq = 0;
  for (const x of v) sq += (x / big) * (x / big);
  return big * Math.sqrt(sq);
}
