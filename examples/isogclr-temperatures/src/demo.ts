import { createRng } from '@drojs/dro-core';
import { temperatureStep } from '@drojs/ldr-loss';

export interface DemoOptions {
  seed: number;
  d: number;
  nFrequent: number;
  nRare: number;
  nBackground: number;
  spread: number;
  rho: number;
  eta: number;
  beta: number;
  tauInit: number;
  tauMin: number;
  tauMax: number;
  iterations: number;
}

/** The spec's setting (§13.3). */
export const DEFAULTS: DemoOptions = {
  seed: 0,
  d: 16,
  nFrequent: 200,
  nRare: 10,
  nBackground: 290,
  spread: 0.15,
  rho: 0.4,
  eta: 0.05,
  beta: 0.5,
  tauInit: 0.1,
  tauMin: 0.01,
  tauMax: 2,
  iterations: 3000,
};

export type Group = 'frequent' | 'rare' | 'background';

export interface GroupStat {
  group: Group;
  n: number;
  meanTau: number;
  minTau: number;
  maxTau: number;
  meanKl: number;
}

export interface DemoResult {
  tau: Float64Array;
  kl: Float64Array;
  groups: Group[];
  stats: GroupStat[];
  maxKlGap: number;
  /** τ̄(frequent) > τ̄(rare) > τ̄(background). */
  ordered: boolean;
  history: { iteration: number; meanTau: Record<Group, number> }[];
}

/** L2-normalised synthetic embeddings: a frequent cluster, a rare cluster and background points. */
export function makeEmbeddings(o: DemoOptions): { X: Float64Array[]; groups: Group[] } {
  const rng = createRng(o.seed);
  const normal = () => rng.normal();
  const c1 = Array.from({ length: o.d }, normal);
  const c2 = Array.from({ length: o.d }, normal);
  const X: Float64Array[] = [];
  const groups: Group[] = [];
  const push = (v: number[], g: Group) => {
    const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    X.push(Float64Array.from(v, (x) => x / n));
    groups.push(g);
  };
  for (let i = 0; i < o.nFrequent; i++)
    push(
      c1.map((c) => c + o.spread * normal()),
      'frequent',
    );
  for (let i = 0; i < o.nRare; i++)
    push(
      c2.map((c) => c + o.spread * normal()),
      'rare',
    );
  for (let i = 0; i < o.nBackground; i++) push(Array.from({ length: o.d }, normal), 'background');
  return { X, groups };
}

/** KL(p_i ‖ uniform over the n − 1 negatives) with p_i = softmax_{j≠i}(s_ij/τ_i), for every anchor (host, float64). */
export function anchorKl(S: Float64Array, n: number, tau: Float64Array, out: Float64Array): void {
  const logM = Math.log(n - 1);
  for (let i = 0; i < n; i++) {
    const t = tau[i]!;
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) if (j !== i) mx = Math.max(mx, S[i * n + j]! / t);
    let z = 0;
    let ez = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const a = S[i * n + j]! / t - mx;
      const e = Math.exp(a);
      z += e;
      ez += e * a;
    }
    // KL = Σ p log((n−1)p) = E_p[a] − log Σ e^a + log(n − 1)
    out[i] = ez / z - Math.log(z) + logM;
  }
}

/** Full-batch iSogCLR temperature iterations on fixed embeddings (spec §5.2, §13.3). */
export function runDemo(opts: Partial<DemoOptions> = {}, onProgress?: (it: number) => void): DemoResult {
  const o = { ...DEFAULTS, ...opts };
  const { X, groups } = makeEmbeddings(o);
  const n = X.length;
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < o.d; k++) s += X[i]![k]! * X[j]![k]!;
      S[i * n + j] = s;
    }
  }
  const tau = new Float64Array(n).fill(o.tauInit);
  const mom = new Float64Array(n);
  const kl = new Float64Array(n);
  const g = new Float64Array(n);
  const slots = Int32Array.from({ length: n }, (_, i) => i);
  const history: DemoResult['history'] = [];
  for (let it = 0; it < o.iterations; it++) {
    anchorKl(S, n, tau, kl);
    for (let i = 0; i < n; i++) g[i] = o.rho - kl[i]!;
    temperatureStep(tau, mom, slots, g, { eta: o.eta, beta: o.beta, tauMin: o.tauMin, tauMax: o.tauMax, clip: null });
    if (it % Math.max(1, Math.floor(o.iterations / 30)) === 0) {
      history.push({ iteration: it, meanTau: groupMeans(tau, groups) });
      onProgress?.(it);
    }
  }
  anchorKl(S, n, tau, kl);
  const stats = (['frequent', 'rare', 'background'] as Group[]).map((group) => {
    const idx = groups.flatMap((gr, i) => (gr === group ? [i] : []));
    const ts = idx.map((i) => tau[i]!);
    return {
      group,
      n: idx.length,
      meanTau: ts.reduce((a, b) => a + b, 0) / idx.length,
      minTau: Math.min(...ts),
      maxTau: Math.max(...ts),
      meanKl: idx.reduce((a, i) => a + kl[i]!, 0) / idx.length,
    };
  });
  let maxKlGap = 0;
  for (let i = 0; i < n; i++) maxKlGap = Math.max(maxKlGap, Math.abs(kl[i]! - o.rho));
  const [f, r, b] = stats as [GroupStat, GroupStat, GroupStat];
  return { tau, kl, groups, stats, maxKlGap, ordered: f.meanTau > r.meanTau && r.meanTau > b.meanTau, history };
}

function groupMeans(tau: Float64Array, groups: Group[]): Record<Group, number> {
  const sum = { frequent: 0, rare: 0, background: 0 };
  const cnt = { frequent: 0, rare: 0, background: 0 };
  groups.forEach((g, i) => {
    sum[g] += tau[i]!;
    cnt[g]++;
  });
  return {
    frequent: sum.frequent / cnt.frequent,
    rare: sum.rare / cnt.rare,
    background: sum.background / cnt.background,
  };
}
