import { DroError } from './errors.js';

/**
 * Bisection for an increasing or decreasing `f` with a sign change on [lo, hi]. Stops when |f| ≤ tol or the
 * bracket is exhausted; reports non-convergence instead of throwing.
 */
export function bisect(
  f: (x: number) => number,
  lo: number,
  hi: number,
  opts: { tol: number; maxIter: number },
): { x: number; iterations: number; converged: boolean } {
  let flo = f(lo);
  const fhi = f(hi);
  if (flo === 0) return { x: lo, iterations: 0, converged: true };
  if (fhi === 0) return { x: hi, iterations: 0, converged: true };
  if (Math.sign(flo) === Math.sign(fhi)) {
    throw new DroError('E_SPEC', 'bisect needs a sign change on [lo, hi]', {
      argument: 'lo, hi',
      received: `f(lo)=${flo}, f(hi)=${fhi}`,
    });
  }
  let x = (lo + hi) / 2;
  for (let it = 1; it <= opts.maxIter; it++) {
    x = (lo + hi) / 2;
    const fx = f(x);
    if (Math.abs(fx) <= opts.tol || x === lo || x === hi) return { x, iterations: it, converged: true };
    if (Math.sign(fx) === Math.sign(flo)) {
      lo = x;
      flo = fx;
    } else hi = x;
  }
  return { x, iterations: opts.maxIter, converged: false };
}

/**
 * Grows a bracket geometrically from x0 > 0 until `f` changes sign between its ends: returns [lo, hi] with
 * sign(f(lo)) ≠ sign(f(hi)). Throws E_INTERNAL after 2000 expansions.
 */
export function expandBracket(f: (x: number) => number, x0: number, factor = 2): [number, number] {
  const s0 = Math.sign(f(x0));
  if (s0 === 0) return [x0, x0];
  let lo = x0;
  let hi = x0;
  for (let i = 0; i < 2000; i++) {
    hi *= factor;
    if (Math.sign(f(hi)) !== s0) return [hi / factor, hi];
    lo /= factor;
    if (Math.sign(f(lo)) !== s0) return [lo, lo * factor];
  }
  throw new DroError('E_INTERNAL', 'could not bracket a sign change', { argument: 'x0' });
}
