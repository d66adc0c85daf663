import { parseIndices } from '../indices.js';
import { fromFinite, fromNullable, toNullable } from './common.js';

/** One direction's serialised arrays (the loss classes name their state keys). */
export interface DirectionArrays {
  logU: (number | null)[];
  tau: number[];
  momentum: number[];
}

/** Summary of one direction for `diagnostics()`. */
export interface DirectionSummary {
  meanTau: number;
  minTau: number;
  maxTau: number;
  /** Mean log u over visited indices; NaN when none is visited. */
  meanLogU: number;
  visited: number;
}

/**
 * Per-instance host state (float64) of one anchor direction of a global contrastive loss: the log moving
 * average log u (NaN = unvisited), the temperature τ and its momentum M. The unimodal loss has one direction,
 * the bimodal loss one for image and one for text anchors.
 */
export class DirectionState {
  /** log u per index; NaN = unvisited. */
  readonly logU: Float64Array;
  /** τ per index. */
  readonly tau: Float64Array;
  /** τ momentum M per index. */
  readonly mom: Float64Array;
  private readonly tau0: number;

  /** All indices unvisited, τ = `tau0`, M = 0. */
  constructor(numInstances: number, tau0: number) {
    this.tau0 = tau0;
    this.logU = new Float64Array(numInstances).fill(Number.NaN);
    this.tau = new Float64Array(numInstances).fill(tau0);
    this.mom = new Float64Array(numInstances);
  }

  /** Whether index n has a moving average yet. */
  visited(n: number): boolean {
    return !Number.isNaN(this.logU[n]!);
  }

  /** Writes a batch's new log u at its dataset positions `idx` (a repeated index keeps the last row). */
  storeLogU(idx: Int32Array, newLogU: Float64Array): void {
    for (let i = 0; i < idx.length; i++) this.logU[idx[i]!] = newLogU[i]!;
  }

  /**
   * A copy of one array at the given indices (all when omitted). `fn` names the public method for index
   * errors.
   */
  pick(field: 'logU' | 'tau' | 'mom', indices: ArrayLike<number> | undefined, fn: string): Float64Array {
    const a = this[field];
    if (indices === undefined) return a.slice();
    const idx = parseIndices(indices, indices.length, a.length, 'last-wins', fn);
    return Float64Array.from(idx, (i) => a[i]!);
  }

  /** u = exp(log u) at the given indices (all when omitted); 0 where unvisited. */
  movingAverages(indices: ArrayLike<number> | undefined, fn: string): Float64Array {
    return this.pick('logU', indices, fn).map((v) => (Number.isNaN(v) ? 0 : Math.exp(v)));
  }

  /** Mean, min and max of τ; mean log u over the visited indices and their count. */
  summary(): DirectionSummary {
    let sT = 0;
    let mn = Number.POSITIVE_INFINITY;
    let mx = Number.NEGATIVE_INFINITY;
    let sU = 0;
    let visited = 0;
    for (let i = 0; i < this.tau.length; i++) {
      const t = this.tau[i]!;
      sT += t;
      mn = Math.min(mn, t);
      mx = Math.max(mx, t);
      if (!Number.isNaN(this.logU[i]!)) {
        sU += this.logU[i]!;
        visited++;
      }
    }
    return {
      meanTau: sT / this.tau.length,
      minTau: mn,
      maxTau: mx,
      meanLogU: visited > 0 ? sU / visited : Number.NaN,
      visited,
    };
  }

  /** Forgets u, resets τ to its initial value and M to 0. */
  reset(): void {
    this.logU.fill(Number.NaN);
    this.tau.fill(this.tau0);
    this.mom.fill(0);
  }

  /** JSON form: unvisited log u as null. */
  encode(): DirectionArrays {
    return { logU: toNullable(this.logU), tau: Array.from(this.tau), momentum: Array.from(this.mom) };
  }

  /**
   * Loads directions from a serialised state whose keys are `logU<suffix>`, `tau<suffix>` and
   * `momentum<suffix>` (one suffix per direction). Every array is validated before any is written, in the
   * state's key order (all log u, then all τ, then all M), so the first malformed key is the one reported.
   */
  static restore(state: Record<string, unknown>, directions: readonly (readonly [DirectionState, string])[]): void {
    const read = (key: string, parse: typeof fromFinite) =>
      directions.map(([d, suffix]) => parse(state[`${key}${suffix}`], d.logU.length, `state.${key}${suffix}`));
    const logU = read('logU', fromNullable);
    const tau = read('tau', fromFinite);
    const mom = read('momentum', fromFinite);
    directions.forEach(([d], k) => {
      d.logU.set(logU[k]!);
      d.tau.set(tau[k]!);
      d.mom.set(mom[k]!);
    });
  }
}
