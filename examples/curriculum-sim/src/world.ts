// The synthetic learner of the spec (§15.1–15.2): 8 difficulty levels, a shared skill per level, a
// prompt-specific term, Bernoulli-logit rollouts and the exact REINFORCE update of GRPO advantages.
import { createRng, type Rng } from '@drojs/dro-core/host';
import { grpoAdvantages } from '@drojs/rl-curriculum';

export type Preset = 'main' | 'equal' | 'fast';

export interface WorldConfig {
  sizes: number[];
  b0: number;
  lrV: number;
  lrS: number;
  transfer: number;
  testPerLevel: number;
  batch: number;
  meanN: number;
  budget: number;
}

export function presetConfig(p: Preset): WorldConfig {
  const base: WorldConfig = {
    sizes: [800, 560, 390, 270, 190, 130, 90, 70],
    b0: -0.5,
    lrV: 0.3,
    lrS: 0.5,
    transfer: 0.5,
    testPerLevel: 300,
    batch: 64,
    meanN: 4,
    budget: 250 * 64 * 4,
  };
  if (p === 'equal') return { ...base, sizes: base.sizes.map(() => 300), b0: 0.5 };
  if (p === 'fast') return { ...base, lrV: 0.6, lrS: 1.0 };
  return base;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Student-t with 3 degrees of freedom from four standard normals. */
function studentT3(rng: Rng): number {
  const z0 = rng.normal();
  const z1 = rng.normal();
  const z2 = rng.normal();
  const z3 = rng.normal();
  return z0 / Math.sqrt((z1 * z1 + z2 * z2 + z3 * z3) / 3);
}

export interface WorldState {
  s: number[];
  v: number[];
}

export class World {
  readonly cfg: WorldConfig;
  readonly N: number;
  readonly level: Int32Array;
  readonly delta: Float64Array;
  readonly testLevel: Int32Array;
  readonly testDelta: Float64Array;
  readonly uids: string[];
  s: number[];
  v: Float64Array;

  constructor(cfg: WorldConfig, seed: number) {
    this.cfg = cfg;
    const rng = createRng(`world:${seed}`);
    this.N = cfg.sizes.reduce((a, b) => a + b, 0);
    this.level = new Int32Array(this.N);
    this.delta = new Float64Array(this.N);
    let i = 0;
    cfg.sizes.forEach((n, d) => {
      for (let k = 0; k < n; k++, i++) {
        this.level[i] = d;
        this.delta[i] = d + 0.8 * studentT3(rng);
      }
    });
    const T = cfg.testPerLevel * cfg.sizes.length;
    this.testLevel = new Int32Array(T);
    this.testDelta = new Float64Array(T);
    for (let j = 0; j < T; j++) {
      const d = Math.floor(j / cfg.testPerLevel);
      this.testLevel[j] = d;
      this.testDelta[j] = d + 0.8 * studentT3(rng);
    }
    this.uids = Array.from({ length: this.N }, (_, k) => String(k));
    this.s = cfg.sizes.map(() => 0);
    this.v = new Float64Array(this.N);
  }

  p(i: number): number {
    return sigmoid(
      this.cfg.b0 + (this.s[this.level[i] as number] as number) - (this.delta[i] as number) + (this.v[i] as number),
    );
  }

  getState(): WorldState {
    return { s: this.s.slice(), v: Array.from(this.v) };
  }

  setState(st: WorldState): void {
    this.s = st.s.slice();
    this.v = Float64Array.from(st.v);
  }

  /** Test metrics (§15.4): per-level pass@8, natural and macro pass@8, natural mean@1. */
  evaluate(): { natural: number; macro: number; mean1: number; perLevel: number[] } {
    const L = this.cfg.sizes.length;
    const pass = new Array<number>(L).fill(0);
    const mean = new Array<number>(L).fill(0);
    for (let j = 0; j < this.testDelta.length; j++) {
      const d = this.testLevel[j] as number;
      const p = sigmoid(this.cfg.b0 + (this.s[d] as number) - (this.testDelta[j] as number));
      pass[d]! += 1 - (1 - p) ** 8;
      mean[d]! += p;
    }
    const perLevel = pass.map((x) => x / this.cfg.testPerLevel);
    const m1 = mean.map((x) => x / this.cfg.testPerLevel);
    let natural = 0;
    let mean1 = 0;
    this.cfg.sizes.forEach((n, d) => {
      natural += (n / this.N) * (perLevel[d] as number);
      mean1 += (n / this.N) * (m1[d] as number);
    });
    const macro = perLevel.reduce((a, b) => a + b, 0) / L;
    return { natural, macro, mean1, perLevel };
  }
}

export interface Occurrence {
  index: number;
  y: number[];
  w: number;
}

export interface StepOutcome {
  p: number[];
  adv: number[][];
  pAfter: number[];
  surrogate: number[];
  failure: number[];
}

/** Draws n outcomes for prompt i at its current success probability. */
export function drawOutcomes(world: World, i: number, n: number, rng: Rng): number[] {
  const p = world.p(i);
  return Array.from({ length: n }, () => (rng.uniform() < p ? 1 : 0));
}

/** One learning step on given occurrences with pre-drawn outcomes (§15.2 steps 2–5, 7). */
export function learn(world: World, occ: readonly Occurrence[]): StepOutcome {
  const cfg = world.cfg;
  const p = occ.map((o) => world.p(o.index));
  const adv = grpoAdvantages(
    occ.map((o) => o.y),
    { scale: 'group', stdMode: 'unbiased', eps: 1e-6, singleton: 'zero' },
  );
  const L = cfg.sizes.length;
  const deltaD = new Array<number>(L).fill(0);
  const g = occ.map((o, k) => {
    let s = 0;
    const a = adv[k] as number[];
    for (let j = 0; j < o.y.length; j++) s += (a[j] as number) * ((o.y[j] as number) - (p[k] as number));
    return (o.w * s) / cfg.meanN;
  });
  occ.forEach((o, k) => {
    deltaD[world.level[o.index] as number]! += (g[k] as number) / cfg.batch;
  });
  occ.forEach((o, k) => {
    world.v[o.index]! += cfg.lrV * (g[k] as number);
  });
  for (let d = 0; d < L; d++) world.s[d]! += cfg.lrS * (deltaD[d] as number);
  for (let d = 0; d < L - 1; d++) world.s[d + 1]! += cfg.lrS * cfg.transfer * (deltaD[d] as number);
  const pAfter = occ.map((o) => world.p(o.index));
  const surrogate = occ.map((o, k) => {
    const a = adv[k] as number[];
    const p0 = p[k] as number;
    const p1 = pAfter[k] as number;
    if (o.y.length === 0) return 0;
    let s = 0;
    o.y.forEach((y, j) => {
      const rho = y === 1 ? p1 / p0 : (1 - p1) / (1 - p0);
      const A = a[j] as number;
      s += Math.max(-A * rho, -A * Math.min(Math.max(rho, 0.8), 1.28));
    });
    return s / o.y.length;
  });
  const failure = occ.map((o) => 1 - o.y.reduce((x, y) => x + y, 0) / o.y.length);
  return { p, adv, pAfter, surrogate, failure };
}
