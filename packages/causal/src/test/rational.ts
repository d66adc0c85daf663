/**
 * Exact rational arithmetic on BigInt, for in-test references: every float64 is a dyadic rational,
 * so sums, products and solves of float64 data are computed with no rounding at all and rounded
 * once, at the end, by `toDouble`. Only for the small problems of the property tests.
 */
export interface Rat {
  n: bigint;
  d: bigint; // > 0
}

function bitLength(a: bigint): number {
  if (a === 0n) return 0;
  const h = (a < 0n ? -a : a).toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(h[0]!, 16)));
}
const ZERO: Rat = { n: 0n, d: 1n };
const abs = (a: bigint) => (a < 0n ? -a : a);

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function norm(n: bigint, d: bigint): Rat {
  if (n === 0n) return ZERO;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  // Dyadic fast path (all data are dyadic until a division): strip common factors of two by shifting.
  if ((d & (d - 1n)) === 0n) {
    const tz = BigInt(Math.min(bitLength((n < 0n ? -n : n) & -(n < 0n ? -n : n)), bitLength(d)) - 1);
    return tz > 0n ? { n: n >> tz, d: d >> tz } : { n, d };
  }
  const g = gcd(n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

export const rat = {
  zero: ZERO,
  int: (k: bigint | number): Rat => ({ n: BigInt(k), d: 1n }),
  add: (a: Rat, b: Rat): Rat => (a.d === b.d ? norm(a.n + b.n, a.d) : norm(a.n * b.d + b.n * a.d, a.d * b.d)),
  sub: (a: Rat, b: Rat): Rat => (a.d === b.d ? norm(a.n - b.n, a.d) : norm(a.n * b.d - b.n * a.d, a.d * b.d)),
  mul: (a: Rat, b: Rat): Rat => norm(a.n * b.n, a.d * b.d),
  div: (a: Rat, b: Rat): Rat => {
    if (b.n === 0n) throw new Error('rational division by zero');
    return norm(a.n * b.d, a.d * b.n);
  },
  isZero: (a: Rat) => a.n === 0n,
  sign: (a: Rat) => (a.n > 0n ? 1 : a.n < 0n ? -1 : 0),
};

/** The exact value of a finite double. */
export function fromDouble(x: number): Rat {
  if (!Number.isFinite(x)) throw new Error(`not finite: ${x}`);
  if (x === 0) return ZERO;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (e === 0) exp = -1074;
  else {
    m |= 1n << 52n;
    exp = e - 1075;
  }
  return exp >= 0 ? { n: sign * (m << BigInt(exp)), d: 1n } : norm(sign * m, 1n << BigInt(-exp));
}

/** The double nearest (to within one rounding) to a rational; ±Infinity beyond the range. */
export function toDouble(a: Rat): number {
  if (a.n === 0n) return 0;
  const neg = a.n < 0n;
  const n = abs(a.n);
  // Quotient with 64 significant bits, then one rounding into the double and exact power-of-two scaling.
  const k = bitLength(n) - bitLength(a.d) - 64;
  const q = k >= 0 ? n / (a.d << BigInt(k)) : (n << BigInt(-k)) / a.d;
  let v = Number(q);
  let e = k;
  while (e > 0) {
    const s = Math.min(e, 1000);
    v *= 2 ** s;
    e -= s;
  }
  while (e < 0) {
    const s = Math.max(e, -1000);
    v *= 2 ** s;
    e -= s;
  }
  return neg ? -v : v;
}

/**
 * A dense rational matrix, row-major, as integers over one common denominator: products and solves
 * then need no gcd per entry (fraction-free Gauss–Jordan), which keeps the references fast.
 */
export interface RMat {
  rows: number;
  cols: number;
  num: bigint[];
  den: bigint; // > 0
}

function reduceM(m: RMat): RMat {
  let g = m.den;
  for (const v of m.num) {
    if (g === 1n) break;
    if (v !== 0n) g = gcd(g, v);
  }
  return g === 1n ? m : { rows: m.rows, cols: m.cols, num: m.num.map((v) => v / g), den: m.den / g };
}

/** Both matrices over the same denominator. */
function common(x: RMat, y: RMat): [bigint[], bigint[], bigint] {
  if (x.den === y.den) return [x.num, y.num, x.den];
  return [x.num.map((v) => v * y.den), y.num.map((v) => v * x.den), x.den * y.den];
}

export const rmat = {
  fromRows(rows: ArrayLike<ArrayLike<number>>): RMat {
    const r = rows.length;
    const c = r > 0 ? rows[0]!.length : 0;
    const vals: Rat[] = [];
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) vals.push(fromDouble(rows[i]![j]!));
    let den = 1n;
    for (const v of vals) if (v.d > den) den = v.d; // all powers of two
    return reduceM({ rows: r, cols: c, num: vals.map((v) => v.n * (den / v.d)), den });
  },
  get: (m: RMat, i: number, j: number): Rat => norm(m.num[i * m.cols + j]!, m.den),
  t(m: RMat): RMat {
    const num: bigint[] = [];
    for (let j = 0; j < m.cols; j++) for (let i = 0; i < m.rows; i++) num.push(m.num[i * m.cols + j]!);
    return { rows: m.cols, cols: m.rows, num, den: m.den };
  },
  mul(x: RMat, y: RMat): RMat {
    const num: bigint[] = [];
    for (let i = 0; i < x.rows; i++)
      for (let j = 0; j < y.cols; j++) {
        let s = 0n;
        for (let k = 0; k < x.cols; k++) s += x.num[i * x.cols + k]! * y.num[k * y.cols + j]!;
        num.push(s);
      }
    return reduceM({ rows: x.rows, cols: y.cols, num, den: x.den * y.den });
  },
  sub(x: RMat, y: RMat): RMat {
    const [a, b, den] = common(x, y);
    return reduceM({ rows: x.rows, cols: x.cols, num: a.map((v, i) => v - b[i]!), den });
  },
  scale(x: RMat, s: Rat): RMat {
    return reduceM({ rows: x.rows, cols: x.cols, num: x.num.map((v) => v * s.n), den: x.den * s.d });
  },
  /** Row i of x times the scalar entry i of the column vector e (diag(e)·x). */
  rowScale(x: RMat, e: RMat): RMat {
    return reduceM({
      rows: x.rows,
      cols: x.cols,
      num: x.num.map((v, k) => v * e.num[Math.floor(k / x.cols)]!),
      den: x.den * e.den,
    });
  },
  hcat(x: RMat, y: RMat): RMat {
    const [a, b, den] = common(x, y);
    const num: bigint[] = [];
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < x.cols; j++) num.push(a[i * x.cols + j]!);
      for (let j = 0; j < y.cols; j++) num.push(b[i * y.cols + j]!);
    }
    return { rows: x.rows, cols: x.cols + y.cols, num, den };
  },
  /** Rows grouped and summed: out[g] = Σ_{i: labels[i] = g} x[i]. */
  groupSum(x: RMat, labels: number[], G: number): RMat {
    const num = Array.from({ length: G * x.cols }, () => 0n);
    for (let i = 0; i < x.rows; i++)
      for (let j = 0; j < x.cols; j++) num[labels[i]! * x.cols + j]! += x.num[i * x.cols + j]!;
    return reduceM({ rows: G, cols: x.cols, num, den: x.den });
  },
  /** A⁻¹B by fraction-free (Bareiss) Gauss–Jordan elimination: every division is exact. */
  solve(A: RMat, B: RMat): RMat {
    const n = A.rows;
    const m = B.cols;
    const M = Array.from({ length: n }, (_, i) => [
      ...A.num.slice(i * n, (i + 1) * n),
      ...B.num.slice(i * m, (i + 1) * m),
    ]);
    let prev = 1n;
    for (let c = 0; c < n; c++) {
      const piv = M.findIndex((row, r) => r >= c && row[c] !== 0n);
      if (piv < 0) throw new Error('singular rational matrix');
      [M[c], M[piv]] = [M[piv]!, M[c]!];
      const pr = M[c]!;
      const pv = pr[c]!;
      for (let r = 0; r < n; r++) {
        if (r === c) continue;
        const row = M[r]!;
        const f = row[c]!;
        for (let j = 0; j < n + m; j++) if (j !== c) row[j] = (pv * row[j]! - f * pr[j]!) / prev;
        row[c] = 0n;
      }
      prev = pv;
    }
    // Now the left block is det·I (up to sign, carried by prev): A_num⁻¹ B_num = right / prev.
    const num: bigint[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) num.push(M[i]![n + j]!);
    // A⁻¹B = (A_num/dA)⁻¹(B_num/dB) = dA·A_num⁻¹B_num/dB.
    let den = prev * B.den;
    let out = num.map((v) => v * A.den);
    if (den < 0n) {
      den = -den;
      out = out.map((v) => -v);
    }
    return reduceM({ rows: n, cols: m, num: out, den });
  },
  toNumbers: (m: RMat): number[] => m.num.map((v) => toDouble({ n: v, d: m.den })),
};

/** ⌊√a⌋ for a ≥ 0 (Newton on BigInt). */
export function isqrt(a: bigint): bigint {
  if (a < 2n) return a;
  let x = 1n << BigInt(Math.ceil(bitLength(a) / 2));
  for (;;) {
    const y = (x + a / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** √r to `bits` fractional bits (truncated), as a dyadic rational. */
export function sqrtRat(r: Rat, bits: number): Rat {
  const s = 1n << BigInt(bits);
  return norm(isqrt((r.n * s * s) / r.d), s);
}
