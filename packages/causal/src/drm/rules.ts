import { checkNumber, DroError, describeValue } from '@drojs/dro-core';

/** Entropies are floored here before 1/H^γ: a one-hot head would otherwise divide by zero. */
export const ENTROPY_FLOOR = 1e-12;

function checkLogits(logits: unknown): number[][][] {
  if (!Array.isArray(logits) || logits.length < 2)
    throw new DroError('E_SHAPE', 'logits must be [D+1][B][C] with at least 2 heads', {
      argument: 'logits',
      received: describeValue(logits),
    });
  const B = (logits[0] as unknown[])?.length;
  const C = ((logits[0] as unknown[][])?.[0] as unknown[])?.length;
  if (!B || !C) throw new DroError('E_EMPTY', 'logits has an empty batch or no classes', { argument: 'logits' });
  logits.forEach((h: unknown, i) => {
    if (!Array.isArray(h) || h.length !== B)
      throw new DroError('E_SHAPE', `logits[${i}] must hold ${B} samples`, { argument: 'logits' });
    h.forEach((row: unknown, b) => {
      if (!Array.isArray(row) || row.length !== C)
        throw new DroError('E_SHAPE', `logits[${i}][${b}] must hold ${C} classes`, { argument: 'logits' });
      row.forEach((v, c) => {
        if (typeof v !== 'number')
          throw new DroError('E_DTYPE', `logits[${i}][${b}][${c}] is not a number`, { argument: 'logits' });
        if (!Number.isFinite(v))
          throw new DroError('E_NONFINITE', `logits[${i}][${b}][${c}] is not finite`, { argument: 'logits' });
      });
    });
  });
  return logits as number[][][];
}

/** A `[heads][B]` table (entropies, weights, or the first two axes of probabilities): returns B. */
function checkHeads(H: unknown, argument: string): number {
  const first: unknown = Array.isArray(H) ? H[0] : undefined;
  if (!Array.isArray(H) || !Array.isArray(first))
    throw new DroError('E_SHAPE', `${argument} must be [heads][B] with at least one head`, {
      argument,
      received: describeValue(H),
    });
  const B = first.length;
  H.forEach((h: unknown, i) => {
    if (!Array.isArray(h) || h.length !== B)
      throw new DroError('E_SHAPE', `${argument}[${i}] must hold ${B} samples`, { argument });
  });
  return B;
}

function logSoftmaxRow(z: number[]): number[] {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of z) m = Math.max(m, v);
  let s = 0;
  for (const v of z) s += Math.exp(v - m);
  const lse = m + Math.log(s);
  return z.map((v) => v - lse);
}

function softmaxRow(z: number[]): number[] {
  return logSoftmaxRow(z).map(Math.exp);
}

function argmax(v: number[]): number {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[k]!) k = i;
  return k;
}

/**
 * DRM's selection and pseudo-labelling arithmetic in float64 on plain arrays (logits `[D+1][B][C]`,
 * pooled head last). `Drm` applies the same definitions to tensors.
 */
export const drmRules = {
  /** Per-head class probabilities. */
  softmax(logits: number[][][]): number[][][] {
    return checkLogits(logits).map((h) => h.map(softmaxRow));
  },
  /** Per-head, per-sample entropies (natural log, from log-softmax), `[D+1][B]`. */
  entropy(logits: number[][][]): number[][] {
    return checkLogits(logits).map((h) =>
      h.map((z) => {
        const lp = logSoftmaxRow(z);
        let H = 0;
        for (const l of lp) H -= Math.exp(l) * l;
        return H;
      }),
    );
  },
  /** The head of lowest mean entropy over the batch (first on ties). */
  batchHead(H: number[][]): number {
    checkHeads(H, 'H');
    let best = 0;
    let bestV = Number.POSITIVE_INFINITY;
    H.forEach((h, i) => {
      const m = h.reduce((s, v) => s + v, 0) / h.length;
      if (m < bestV) {
        bestV = m;
        best = i;
      }
    });
    return best;
  },
  /** Per sample, the head of lowest entropy (first on ties). */
  sampleHeads(H: number[][]): number[] {
    const B = checkHeads(H, 'H');
    return Array.from({ length: B }, (_, b) => {
      let best = 0;
      for (let i = 1; i < H.length; i++) if (H[i]![b]! < H[best]![b]!) best = i;
      return best;
    });
  },
  /** w_i ∝ max(H_i, 1e−12)^(−γ), normalised over all D + 1 heads per sample, `[D+1][B]`. */
  weights(H: number[][], gamma: number): number[][] {
    checkNumber(gamma, 'gamma', { min: 0 });
    const B = checkHeads(H, 'H');
    const raw = H.map((h) => h.map((v) => Math.max(v, ENTROPY_FLOOR) ** -gamma));
    const out = raw.map((h) => h.slice());
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (const h of raw) s += h[b]!;
      for (const h of out) h[b]! /= s;
    }
    return out;
  },
  /**
   * Combination of head probabilities `P` `[D+1][B][C]` with weights `w` `[D+1][B]`:
   * `'all-heads'` Σ_{i≤D} w_i p_i (a probability vector); `'domain-renormalised'` the domain heads
   * with their weights renormalised; `'reference'` the reference code's Σ_{i<D} w_i p_i (pooled
   * head's share lost, not a probability vector; for matching the reference only).
   */
  combine(P: number[][][], w: number[][], o: { form: 'all-heads' | 'domain-renormalised' | 'reference' }): number[][] {
    const B = checkHeads(P, 'P');
    const D1 = P.length;
    const C = P[0]?.[0]?.length ?? 0;
    if (checkHeads(w, 'w') !== B || w.length !== D1)
      throw new DroError('E_SHAPE', `w must be [${D1}][${B}]`, { argument: 'w' });
    const heads = o.form === 'all-heads' ? D1 : D1 - 1;
    return Array.from({ length: B }, (_, b) => {
      const r = new Array<number>(C).fill(0);
      let ws = 0;
      for (let i = 0; i < heads; i++) {
        ws += w[i]![b]!;
        for (let c = 0; c < C; c++) r[c]! += w[i]![b]! * P[i]![b]![c]!;
      }
      return o.form === 'domain-renormalised' ? r.map((v) => v / ws) : r;
    });
  },
  /**
   * Pseudo-labels from combined probabilities `R` `[B][C]`: label = argmax, confidence = max
   * probability, keep = confidence ≥ β. `doubleSoftmax` reproduces the reference's softmax over the
   * probabilities (confidence bounded by e/(e + C − 1)).
   */
  pseudoLabels(
    R: number[][],
    beta: number,
    o: { doubleSoftmax?: boolean } = {},
  ): { label: number[]; confidence: number[]; keep: boolean[] } {
    checkNumber(beta, 'beta', { min: 0, max: 1 });
    const conf = R.map((r) => (o.doubleSoftmax ? softmaxRow(r) : r));
    const label = conf.map(argmax);
    // label[b] = argmax of row b, an index of that row.
    const confidence = conf.map((r, b) => r[label[b]!]!);
    return { label, confidence, keep: confidence.map((c) => c >= beta) };
  },
};
