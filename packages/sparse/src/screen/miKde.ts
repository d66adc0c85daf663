import { normalQuantile } from '@drojs/dro-core/host';

/** Gaussian kernel rows K[g, i] = exp(−(a_g − u_i)²/(2h²)), row-major G×n. @internal */
export function kernelRows(u: Float64Array, grid: Float64Array, h: number): Float64Array {
  const n = u.length;
  const G = grid.length;
  const k = new Float64Array(G * n);
  const c = -1 / (2 * h * h);
  for (let g = 0; g < G; g++) {
    const a = grid[g]!;
    const o = g * n;
    for (let i = 0; i < n; i++) {
      const d = a - u[i]!;
      k[o + i] = Math.exp(c * d * d);
    }
  }
  return k;
}

/**
 * Kernel rows from a table: average ranks are multiples of ½, so every normal score is one of the 2n + 2 values
 * Φ⁻¹(k/(2(n+1))) and every kernel entry one of G·(2n + 2) values, computed once per screen call. `ranks2[i]` =
 * 2·(average rank of row i). Bit-identical to {@link kernelRows} on the same scores. @internal
 */
export function kernelRowsFromTable(ranks2: Int32Array, table: Float64Array, G: number, width: number): Float64Array {
  const n = ranks2.length;
  const k = new Float64Array(G * n);
  for (let g = 0; g < G; g++) {
    const o = g * n;
    const t = g * width;
    for (let i = 0; i < n; i++) k[o + i] = table[t + ranks2[i]!]!;
  }
  return k;
}

/** The table of {@link kernelRowsFromTable}: exp(−(a_g − q_k)²/(2h²)) for the half-rank scores q. @internal */
export function kernelTable(scores: Float64Array, grid: Float64Array, h: number): Float64Array {
  return kernelRows(scores, grid, h);
}

/** The grid a_g = −B + g·2B/(G − 1). @internal */
export function kdeGrid(B: number, G: number): Float64Array {
  const out = new Float64Array(G);
  for (let g = 0; g < G; g++) out[g] = -B + (g * 2 * B) / (G - 1);
  return out;
}

/** Grid half-width B = Φ⁻¹(n/(n+1)) + 4h. @internal */
export function gridBound(n: number, h: number): number {
  return normalQuantile(n / (n + 1)) + 4 * h;
}

/**
 * Copula-KDE MI of continuous x and y from x's kernel rows and y's (spec §8.2): M = Kˣ(Kʸ)ᵀ, P = M/ΣM,
 * Î = Σ P ln(P/(P_g· P_·g')) over P > 0. @internal
 */
export function miFromKernels(kx: Float64Array, ky: Float64Array, G: number, n: number): number {
  const M = new Float64Array(G * G);
  // 4×2 register blocking: eight dot products share six loads per i; each entry still sums over i in order,
  // so the result is the plain triple loop's. Indices past the end are clamped (duplicate rows, same values).
  for (let g = 0; g < G; g += 4) {
    const g1 = Math.min(g + 1, G - 1);
    const g2 = Math.min(g + 2, G - 1);
    const g3 = Math.min(g + 3, G - 1);
    const o0 = g * n;
    const o1 = g1 * n;
    const o2 = g2 * n;
    const o3 = g3 * n;
    for (let h = 0; h < G; h += 2) {
      const h1 = Math.min(h + 1, G - 1);
      const p0 = h * n;
      const p1 = h1 * n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      for (let i = 0; i < n; i++) {
        const b0 = ky[p0 + i]!;
        const b1 = ky[p1 + i]!;
        const a0 = kx[o0 + i]!;
        const a1 = kx[o1 + i]!;
        const a2 = kx[o2 + i]!;
        const a3 = kx[o3 + i]!;
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
        s20 += a2 * b0;
        s21 += a2 * b1;
        s30 += a3 * b0;
        s31 += a3 * b1;
      }
      M[g * G + h] = s00;
      M[g * G + h1] = s01;
      M[g1 * G + h] = s10;
      M[g1 * G + h1] = s11;
      M[g2 * G + h] = s20;
      M[g2 * G + h1] = s21;
      M[g3 * G + h] = s30;
      M[g3 * G + h1] = s31;
    }
  }
  let total = 0;
  for (let g = 0; g < G; g++) for (let h = 0; h < G; h++) total += M[g * G + h]!;
  const rows = new Float64Array(G);
  const cols = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    for (let h = 0; h < G; h++) {
      const pv = M[g * G + h]! / total;
      M[g * G + h] = pv;
      rows[g] = rows[g]! + pv;
      cols[h] = cols[h]! + pv;
    }
  }
  let mi = 0;
  for (let g = 0; g < G; g++) {
    for (let h = 0; h < G; h++) {
      const pv = M[g * G + h]!;
      if (pv > 0) mi += pv * Math.log(pv / (rows[g]! * cols[h]!));
    }
  }
  return mi;
}

/**
 * Binary-outcome MI (spec §8.3) from x's normal scores and the class of every row (0/1): one 1-D KDE per
 * class with its own bandwidth h_c = c·σ_c·n_c^{−1/5}, each normalised to the class share π_c. @internal
 */
export function miBinary(u: Float64Array, cls: Uint8Array, G: number, factor: number): number {
  const n = u.length;
  const count = [0, 0];
  const sum = [0, 0];
  for (let i = 0; i < n; i++) {
    count[cls[i]!]!++;
    sum[cls[i]!]! += u[i]!;
  }
  const hs = [0, 0];
  for (let c = 0; c < 2; c++) {
    const nc = count[c]!;
    const mean = sum[c]! / nc;
    let ss = 0;
    for (let i = 0; i < n; i++) if (cls[i] === c) ss += (u[i]! - mean) ** 2;
    let sd = Math.sqrt(ss / (nc - 1));
    if (sd === 0) sd = 1;
    hs[c] = factor * sd * nc ** -0.2;
  }
  const grid = kdeGrid(gridBound(n, Math.max(hs[0]!, hs[1]!)), G);
  const P = new Float64Array(2 * G);
  for (let c = 0; c < 2; c++) {
    const k = -1 / (2 * hs[c]! * hs[c]!);
    let tot = 0;
    for (let g = 0; g < G; g++) {
      const a = grid[g]!;
      let s = 0;
      for (let i = 0; i < n; i++) {
        if (cls[i] !== c) continue;
        const d = a - u[i]!;
        s += Math.exp(k * d * d);
      }
      P[c * G + g] = s;
      tot += s;
    }
    const pi = count[c]! / n;
    for (let g = 0; g < G; g++) P[c * G + g] = (pi * P[c * G + g]!) / tot;
  }
  let mi = 0;
  for (let g = 0; g < G; g++) {
    const pg = P[g]! + P[G + g]!;
    for (let c = 0; c < 2; c++) {
      const pv = P[c * G + g]!;
      if (pv > 0) mi += pv * Math.log(pv / (pg * (count[c]! / n)));
    }
  }
  return mi;
}
