import { checkNumber, DroError } from '@drojs/dro-core';

/** A classifier from environment summaries to candidate indices (the EACS selector). */
export interface Selector {
  fit(F: number[][], labels: number[], weights?: number[]): void;
  /** Probabilities, columns in the order of `classes`. */
  predictProba(F: number[][]): number[][];
  readonly classes: number[];
  getState(): object;
}

export interface LogisticSelector extends Selector {
  /** K × q weights (rows sum to zero at the optimum). */
  readonly W: number[][];
  /** Centred intercepts (Σ b = 0). */
  readonly b: number[];
  /** L(W, b) at the optimum. */
  readonly objective: number;
  readonly C: number;
}

function lse(z: Float64Array): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of z) m = Math.max(m, v);
  let s = 0;
  for (const v of z) s += Math.exp(v - m);
  return m + Math.log(s);
}

/**
 * Multinomial logistic regression, L(W, b) = Σ_i ω_{y_i}·(−log softmax(W f_i + b)_{y_i}) + ‖W‖²/(2C),
 * softmax form for every K ≥ 2, intercepts unpenalised and reported centred, solved by L-BFGS to a
 * gradient norm ≤ tol·max(1, |L|). `classWeight: 'balanced'` uses ω_c = m/(K·m_c).
 */
class MultinomialLogistic implements LogisticSelector {
  classes: number[] = [];
  W: number[][] = [];
  b: number[] = [];
  objective = 0;
  readonly C: number;
  private readonly tol: number;
  private readonly maxIter: number;
  private readonly balanced: boolean;

  constructor(o: { C?: number; classWeight?: 'balanced' | null; tol?: number; maxIter?: number }) {
    this.C = checkNumber(o.C ?? 1, 'C', { min: 0, minExclusive: true });
    this.tol = checkNumber(o.tol ?? 1e-9, 'tol', { min: 0, minExclusive: true });
    this.maxIter = checkNumber(o.maxIter ?? 5000, 'maxIter', { min: 1, integer: true });
    this.balanced = o.classWeight === 'balanced';
  }

  fit(F: number[][], labels: number[], weights?: number[]): void {
    const m = F.length;
    if (m === 0 || labels.length !== m)
      throw new DroError('E_SHAPE', `labels has ${labels.length} entries for ${m} rows`, { argument: 'labels' });
    const q = F[0]!.length;
    const classes = Array.from(new Set(labels)).sort((x, y) => x - y);
    const K = classes.length;
    const yi = labels.map((l) => classes.indexOf(l));
    const counts = new Float64Array(K);
    for (const k of yi) counts[k]!++;
    const omega = Float64Array.from(yi, (k, i) => (this.balanced ? m / (K * counts[k]!) : 1) * (weights?.[i] ?? 1));
    this.classes = classes;
    if (K === 1) {
      this.W = [new Array(q).fill(0)];
      this.b = [0];
      this.objective = 0;
      return;
    }
    const C = this.C;
    const nP = K * (q + 1); // W row-major, then b
    const f = (x: Float64Array, g: Float64Array): number => {
      g.fill(0);
      let L = 0;
      const z = new Float64Array(K);
      for (let i = 0; i < m; i++) {
        const fi = F[i]!;
        for (let k = 0; k < K; k++) {
          let s = x[K * q + k]!;
          for (let j = 0; j < q; j++) s += x[k * q + j]! * fi[j]!;
          z[k] = s;
        }
        const l = lse(z);
        L += omega[i]! * (l - z[yi[i]!]!);
        for (let k = 0; k < K; k++) {
          const r = omega[i]! * (Math.exp(z[k]! - l) - (k === yi[i] ? 1 : 0));
          for (let j = 0; j < q; j++) g[k * q + j]! += r * fi[j]!;
          g[K * q + k]! += r;
        }
      }
      for (let t = 0; t < K * q; t++) {
        L += (x[t]! * x[t]!) / (2 * C);
        g[t]! += x[t]! / C;
      }
      return L;
    };
    const x = lbfgs(f, new Float64Array(nP), this.tol, this.maxIter);
    this.objective = f(x, new Float64Array(nP));
    this.W = Array.from({ length: K }, (_, k) => Array.from(x.subarray(k * q, (k + 1) * q)));
    const bm = Array.from(x.subarray(K * q)).reduce((s, v) => s + v, 0) / K;
    this.b = Array.from(x.subarray(K * q), (v) => v - bm);
  }

  predictProba(F: number[][]): number[][] {
    const K = this.classes.length;
    if (K === 0) throw new DroError('E_SPEC', 'the selector is not fitted', { argument: 'selector' });
    return F.map((fi) => {
      if (K === 1) return [1];
      const z = Float64Array.from({ length: K }, (_, k) => {
        let s = this.b[k]!;
        const w = this.W[k]!;
        for (let j = 0; j < w.length; j++) s += w[j]! * fi[j]!;
        return s;
      });
      const l = lse(z);
      return Array.from(z, (v) => Math.exp(v - l));
    });
  }

  getState(): { classes: number[]; W: number[][]; b: number[]; C: number; objective: number } {
    return {
      classes: this.classes.slice(),
      W: this.W.map((r) => r.slice()),
      b: this.b.slice(),
      C: this.C,
      objective: this.objective,
    };
  }

  setState(s: { classes: number[]; W: number[][]; b: number[]; objective?: number }): void {
    this.classes = s.classes.slice();
    this.W = s.W.map((r) => r.slice());
    this.b = s.b.slice();
    this.objective = s.objective ?? 0;
  }
}

export function multinomialLogistic(
  o: { C?: number; classWeight?: 'balanced' | null; tol?: number; maxIter?: number } = {},
): LogisticSelector {
  return new MultinomialLogistic(o);
}

/** Rebuilds a fitted logistic selector from its state (exact parameters). */
export function logisticFromState(s: {
  classes: number[];
  W: number[][];
  b: number[];
  C: number;
  objective?: number;
}): LogisticSelector {
  const sel = new MultinomialLogistic({ C: s.C });
  sel.setState(s);
  return sel;
}

/** L-BFGS (memory 10) with a backtracking Armijo line search; stops at ‖g‖ ≤ tol·max(1, |f|). */
function lbfgs(
  f: (x: Float64Array, g: Float64Array) => number,
  x0: Float64Array,
  tol: number,
  maxIter: number,
): Float64Array {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const mem = 10;
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, t) => s + t * t, 0));
  for (let it = 0; it < maxIter; it++) {
    if (norm(g) <= tol * Math.max(1, Math.abs(fx))) break;
    // Two-loop recursion for the direction.
    const d = Float64Array.from(g, (v) => -v);
    const al: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      let a = 0;
      for (let i = 0; i < n; i++) a += S[k]![i]! * d[i]!;
      a *= rho[k]!;
      al[k] = a;
      for (let i = 0; i < n; i++) d[i]! -= a * Y[k]![i]!;
    }
    if (S.length > 0) {
      const k = S.length - 1;
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += S[k]![i]! * Y[k]![i]!;
        yy += Y[k]![i]! * Y[k]![i]!;
      }
      const h = sy / yy;
      for (let i = 0; i < n; i++) d[i]! *= h;
    } else {
      const gn = norm(g);
      for (let i = 0; i < n; i++) d[i]! /= Math.max(gn, 1);
    }
    for (let k = 0; k < S.length; k++) {
      let bt = 0;
      for (let i = 0; i < n; i++) bt += Y[k]![i]! * d[i]!;
      bt *= rho[k]!;
      for (let i = 0; i < n; i++) d[i]! += S[k]![i]! * (al[k]! - bt);
    }
    let gd = 0;
    for (let i = 0; i < n; i++) gd += g[i]! * d[i]!;
    if (gd >= 0) {
      // Not a descent direction: restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      gd = -(norm(g) ** 2);
    }
    let t = 1;
    const xn = new Float64Array(n);
    const gn = new Float64Array(n);
    let fn = 0;
    let ok = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) xn[i] = x[i]! + t * d[i]!;
      fn = f(xn, gn);
      if (fn <= fx + 1e-4 * t * gd) {
        ok = true;
        break;
      }
      t *= 0.5;
    }
    if (!ok) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xn[i]! - x[i]!;
      y[i] = gn[i]! - g[i]!;
      sy += s[i]! * y[i]!;
    }
    if (sy > 1e-300) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > mem) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    x = Float64Array.from(xn);
    g = Float64Array.from(gn);
    const fPrev = fx;
    fx = fn;
    if (fPrev - fx === 0 && norm(g) <= 1e-6 * Math.max(1, Math.abs(fx))) break;
  }
  return x;
}
