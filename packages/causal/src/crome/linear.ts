import { DroError, describeValue } from '@drojs/dro-core/host';
import { type CromeObjectiveResult, cromeCoefficients, cromeObjective } from './objective.js';
import { pairLoss } from './pairLoss.js';
import { type CromeOptions, checkFiniteVector, type PairKind, type PairWeighting } from './pairs.js';

/** Options of the linear objective: the Crome mix, per-pair weights/targets and an ℓ2 term `(l2/2)‖θ‖²`. */
export type LinearObjectiveOptions = CromeOptions & PairWeighting & { l2?: number };

/** A finite n×d matrix from rows (E_SHAPE naming the row, E_NONFINITE naming the entry). */
export function rowsToMatrix(
  rows: ArrayLike<number>[],
  d: number | null,
  argument: string,
  caller: string,
): Float64Array & { rows: number; cols: number } {
  if (!Array.isArray(rows))
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be an array of feature rows`, {
      argument,
      received: describeValue(rows),
    });
  const cols = d ?? (rows.length > 0 ? ((rows[0] as ArrayLike<number>)?.length ?? 0) : 0);
  const out = Object.assign(new Float64Array(rows.length * cols), { rows: rows.length, cols });
  rows.forEach((r, i) => out.set(checkFiniteVector(r, cols, `${argument}[${i}]`, caller), i * cols));
  return out;
}

export function checkL2(l2: unknown, caller: string): number {
  if (l2 === undefined) return 0;
  if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0)
    throw new DroError('E_SPEC', `${caller}: l2 must be a finite number ≥ 0`, {
      argument: 'l2',
      received: describeValue(l2),
    });
  return l2;
}

/**
 * The Crome objective of the linear reward `r(φ) = θᵀφ` (spec §3.3–3.4): rewards of both answers, the
 * objective on their differences, `lossRegularized = L + (l2/2)‖θ‖²` and its exact gradient
 * `Σ_i ∂L/∂Δ_i·(φ(chosen_i) − φ(rejected_i)) + l2·θ`. Host float64.
 */
export function linearCromeObjective(
  theta: ArrayLike<number>,
  chosen: ArrayLike<number>[],
  rejected: ArrayLike<number>[],
  kinds: ArrayLike<PairKind>,
  o: LinearObjectiveOptions = {},
): CromeObjectiveResult & {
  lossRegularized: number;
  gradTheta: Float64Array;
  rewardsChosen: Float64Array;
  rewardsRejected: Float64Array;
} {
  const caller = 'linearCromeObjective';
  const th = checkFiniteVector(theta, null, 'theta', caller);
  const d = th.length;
  const A = rowsToMatrix(chosen, d, 'chosen', caller);
  const B = rowsToMatrix(rejected, d, 'rejected', caller);
  if (A.rows !== B.rows)
    throw new DroError('E_SHAPE', `${caller}: chosen has ${A.rows} rows and rejected ${B.rows}`, {
      argument: 'rejected',
      expected: `${A.rows} rows`,
      received: `${B.rows} rows`,
    });
  const l2 = checkL2(o.l2, caller);
  const { l2: _l2, ...rest } = o;
  const n = A.rows;
  const rewardsChosen = new Float64Array(n);
  const rewardsRejected = new Float64Array(n);
  const delta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let ra = 0;
    let rb = 0;
    for (let j = 0; j < d; j++) {
      ra += (th[j] as number) * (A[i * d + j] as number);
      rb += (th[j] as number) * (B[i * d + j] as number);
    }
    rewardsChosen[i] = ra;
    rewardsRejected[i] = rb;
    delta[i] = ra - rb;
  }
  const obj = cromeObjective(delta, kinds, rest);
  const gradTheta = new Float64Array(d);
  let sq = 0;
  for (let j = 0; j < d; j++) sq += (th[j] as number) ** 2;
  for (let i = 0; i < n; i++) {
    const g = obj.gradDelta[i] as number;
    if (g === 0) continue;
    for (let j = 0; j < d; j++) gradTheta[j]! += g * ((A[i * d + j] as number) - (B[i * d + j] as number));
  }
  for (let j = 0; j < d; j++) gradTheta[j]! += l2 * (th[j] as number);
  return { ...obj, lossRegularized: obj.loss + 0.5 * l2 * sq, gradTheta, rewardsChosen, rewardsRejected };
}

/**
 * The same objective prepared once for many evaluations (a training loop): differences `D = A − B`, per-pair
 * coefficients and targets in float64. `evaluate(θ, grad)` writes ∇L_reg into `grad` and returns `L_reg`.
 */
export class LinearObjective {
  readonly n: number;
  readonly dim: number;
  private readonly diff: Float64Array;
  private readonly coef: Float64Array;
  private readonly targets: Float64Array;
  private readonly l2: number;

  constructor(
    chosen: Float64Array,
    rejected: Float64Array,
    n: number,
    dim: number,
    kinds: ArrayLike<PairKind>,
    o: LinearObjectiveOptions,
    caller: string,
  ) {
    this.l2 = checkL2(o.l2, caller);
    const c = cromeCoefficients(kinds, n, o, caller);
    this.coef = c.coef;
    this.targets = c.targets;
    this.n = n;
    this.dim = dim;
    this.diff = new Float64Array(n * dim);
    for (let k = 0; k < n * dim; k++) this.diff[k] = (chosen[k] as number) - (rejected[k] as number);
  }

  /**
   * Writes ∇L_reg(θ) into `grad` (when given) and returns L_reg(θ), or NaN when `withLoss` is false: a
   * training step needs only the gradient, which costs one `exp` per pair (σ from e^{−|Δ|}, bit-identical to
   * `sigmoid`), against three transcendental calls for value and gradient.
   */
  evaluate(theta: Float64Array, grad: Float64Array | null, withLoss = true): number {
    const { n, dim: d, diff, coef, targets } = this;
    let loss = 0;
    if (grad) grad.fill(0);
    for (let i = 0; i < n; i++) {
      const c = coef[i] as number;
      if (c === 0) continue;
      let delta = 0;
      const row = i * d;
      for (let j = 0; j < d; j++) delta += (theta[j] as number) * (diff[row + j] as number);
      const t = targets[i] as number;
      if (withLoss) loss += c * pairLoss(delta, t);
      if (grad) {
        const e = Math.exp(-Math.abs(delta));
        const sig = delta >= 0 ? 1 / (1 + e) : e / (1 + e);
        const g = c * (sig - t);
        for (let j = 0; j < d; j++) grad[j]! += g * (diff[row + j] as number);
      }
    }
    let sq = 0;
    for (let j = 0; j < d; j++) {
      sq += (theta[j] as number) ** 2;
      if (grad) grad[j]! += this.l2 * (theta[j] as number);
    }
    return withLoss ? loss + 0.5 * this.l2 * sq : Number.NaN;
  }
}
