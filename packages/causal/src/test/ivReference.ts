import { fromDouble, type Rat, type RMat, rat, rmat, toDouble } from './rational.js';

/** Exact (rational) 2SLS and LIML quantities of a small IV problem, each rounded once to a double. */
export interface IvReference {
  params: number[];
  covUnadjusted: number[][]; // debiased: e'e/(n − p)·(X̂'X̂)⁻¹
  covRobust: number[][]; // HC0, not debiased
  covCluster: number[][]; // not debiased
  /** Columns of X̂ = P_Z X, for the test's condition estimate. */
  xhat: number[][];
  limlKappa: number;
  limlKappaMinus1: number;
  /** Exact k-class coefficients at a given (double) κ. */
  kclassParams(kappa: number): number[];
  /** Exact k-class covariances at κ: unadjusted (debiased) s²B⁻¹ and HC0 B⁻¹X̃'diag(e²)X̃B⁻¹. */
  kclassCov(kappa: number): { unadjusted: number[][]; robust: number[][] };
}

const square = (m: RMat) => rmat.mul(rmat.t(m), m);
const identity = (p: number): RMat => ({
  rows: p,
  cols: p,
  num: Array.from({ length: p * p }, (_, k) => (k % (p + 1) === 0 ? 1n : 0n)),
  den: 1n,
});
const toRowsD = (m: RMat): number[][] => {
  const v = rmat.toNumbers(m);
  return Array.from({ length: m.rows }, (_, i) => v.slice(i * m.cols, (i + 1) * m.cols));
};
/** e'e of a column vector, exactly. */
const sumSquares = (e: RMat): Rat => rmat.get(rmat.mul(rmat.t(e), e), 0, 0);
const bitLength = (a: bigint) => (a === 0n ? 0 : (a < 0n ? -a : a).toString(2).length);

/** √(n/d) with ≥ 200 correct bits, relative. */
function sqrtRel(r: Rat): Rat {
  const nd = r.n * r.d;
  const k = Math.max(0, Math.ceil((420 - bitLength(nd)) / 2));
  let x = 1n << BigInt(Math.ceil((bitLength(nd) + 2 * k) / 2));
  const a = nd << BigInt(2 * k);
  for (;;) {
    const y = (x + a / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return rat.div({ n: x, d: 1n }, { n: r.d << BigInt(k), d: 1n });
}

/**
 * Exact reference by rational Gram solves (normal equations are harmless when nothing rounds):
 * W includes the constant column when there is one; one endogenous regressor (LIML by the closed-form
 * root of the 2 × 2 pencil). `groups` labels the clusters.
 */
export function ivReference(y: number[], W: number[][], E: number[], Zex: number[][], groups: number[]): IvReference {
  const n = y.length;
  const Wr = rmat.fromRows(W);
  const Er = rmat.fromRows(E.map((v) => [v]));
  const Zr = rmat.hcat(Wr, rmat.fromRows(Zex));
  const Xr = rmat.hcat(Wr, Er);
  const yr = rmat.fromRows(y.map((v) => [v]));
  const p = Xr.cols;
  const G = square(Zr);
  const ZtX = rmat.mul(rmat.t(Zr), Xr);
  const Pi = rmat.solve(G, ZtX);
  const Xh = rmat.mul(Zr, Pi);
  const B = rmat.mul(rmat.t(ZtX), Pi);
  const Binv = rmat.solve(B, identity(p));
  const beta = rmat.mul(Binv, rmat.mul(rmat.t(Xh), yr));
  const e = rmat.sub(yr, rmat.mul(Xr, beta));
  const ssr = sumSquares(e);
  const covU = rmat.scale(Binv, rat.div(ssr, rat.int(n - p)));
  // HC0 meat Σ eᵢ² x̂ᵢx̂ᵢ' and the cluster meat Σ_g s_g s_g', s_g = Σ_{i∈g} eᵢx̂ᵢ.
  const eX = rmat.rowScale(Xh, e);
  const sandwich = (meat: RMat) => rmat.mul(rmat.mul(Binv, meat), Binv);
  const covR = sandwich(square(eX));
  const labels = Array.from(new Set(groups));
  const S = rmat.groupSum(
    eX,
    groups.map((g) => labels.indexOf(g)),
    labels.length,
  );
  const covC = sandwich(square(S));
  // LIML: smallest root of det(Y'M_W Y − λ Y'M_Z Y) = aλ² + bλ + c, Y = [y, E].
  const Y = rmat.hcat(yr, Er);
  const resid = (M: RMat) => {
    const MtY = rmat.mul(rmat.t(M), Y);
    return rmat.sub(square(Y), rmat.mul(rmat.t(MtY), rmat.solve(square(M), MtY)));
  };
  const A = resid(Wr);
  const Bz = resid(Zr);
  const g = (m: RMat, i: number, j: number) => rmat.get(m, i, j);
  const det = (m: RMat) => rat.sub(rat.mul(g(m, 0, 0), g(m, 1, 1)), rat.mul(g(m, 0, 1), g(m, 1, 0)));
  const qa = det(Bz);
  const qb = rat.sub(
    rat.mul(rat.int(2), rat.mul(g(A, 0, 1), g(Bz, 0, 1))),
    rat.add(rat.mul(g(A, 0, 0), g(Bz, 1, 1)), rat.mul(g(A, 1, 1), g(Bz, 0, 0))),
  );
  const qc = det(A);
  const disc = rat.sub(rat.mul(qb, qb), rat.mul(rat.int(4), rat.mul(qa, qc)));
  const root = rat.sign(disc) <= 0 ? rat.zero : sqrtRel(disc);
  // Y'M_Z Y is singular when E lies in span(Z) (OLS as 2SLS with Z = X): no LIML then (κ reads NaN).
  const kappa = rat.isZero(qa) ? null : rat.div(rat.sub(rat.sub(rat.zero, qb), root), rat.mul(rat.int(2), qa));
  // LIML coefficients (X'X − κX'M_Z X)⁻¹(X'y − κX'M_Z y) at that κ.
  const XtX = square(Xr);
  const Xty = rmat.mul(rmat.t(Xr), yr);
  const XMX = rmat.sub(XtX, rmat.mul(rmat.t(ZtX), Pi));
  const XMy = rmat.sub(Xty, rmat.mul(rmat.t(Pi), rmat.mul(rmat.t(Zr), yr)));
  const kclassAt = (k: Rat) => rmat.solve(rmat.sub(XtX, rmat.scale(XMX, k)), rmat.sub(Xty, rmat.scale(XMy, k)));
  return {
    params: rmat.toNumbers(beta),
    covUnadjusted: toRowsD(covU),
    covRobust: toRowsD(covR),
    covCluster: toRowsD(covC),
    xhat: toRowsD(Xh),
    limlKappa: kappa === null ? Number.NaN : toDouble(kappa),
    limlKappaMinus1: kappa === null ? Number.NaN : toDouble(rat.sub(kappa, rat.int(1))),
    kclassParams: (k: number) => rmat.toNumbers(kclassAt(fromDouble(k))),
    kclassCov: (k: number) => {
      const kr = fromDouble(k);
      const Bk = rmat.sub(XtX, rmat.scale(XMX, kr));
      const Bi = rmat.solve(Bk, identity(p));
      const ek = rmat.sub(yr, rmat.mul(Xr, kclassAt(kr)));
      const s2 = rat.div(sumSquares(ek), rat.int(n - p));
      const one = rat.int(1);
      const Xt = rmat.sub(rmat.scale(Xr, rat.sub(one, kr)), rmat.scale(Xh, rat.sub(rat.zero, kr)));
      const eXt = rmat.rowScale(Xt, ek);
      return {
        unadjusted: toRowsD(rmat.scale(Bi, s2)),
        robust: toRowsD(rmat.mul(rmat.mul(Bi, square(eXt)), Bi)),
      };
    },
  };
}
