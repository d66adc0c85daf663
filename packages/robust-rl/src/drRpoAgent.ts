import {
  checkAborted,
  checkOptions,
  checkState,
  DroError,
  describeValue,
  opt,
  type Rng,
  stateKind,
  toRng,
} from '@drojs/dro-core/host';
import { checkDataset, type Transition } from './dataset.js';
import { softValue } from './drrpo.js';
import { estimateFromC, regressionMatrix } from './estimators.js';
import { checkFactorMdp, checkSimplex, type FactorMdp, kernel, rewards } from './mdp.js';
import { drawIndex } from './sampling.js';

/** `kind` of a DrRpoAgent state. */
export const DR_RPO_AGENT_KIND = stateKind('robust-rl', 'DrRpoAgent') as '@drojs/robust-rl/DrRpoAgent';

/** Options of {@link DrRpoAgent} (robust-rl spec §6.3; the loop is ⚠ reconstructed from the abstract). */
export interface DrRpoAgentOptions {
  H: number;
  d: number;
  nActions: number;
  /** TV-ball radius per factor, in [0, 1] (0 = plain regression). */
  rho: number;
  /** Reference-policy regularisation β_π > 0. */
  betaPolicy: number;
  /** Mirror-descent step η > 0. */
  eta: number;
  /** Optimism bonus scale b ≥ 0 (`b·sqrt(φᵀΛ⁻¹φ)` added to Q). */
  bonus: number;
  /** Ridge γ > 0 (default 1). */
  ridge?: number;
  /** Known reward parameters `[H][d]`; absent = regress the rewards. */
  theta?: number[][];
  /** State-independent reference policy over actions, all entries > 0 (default uniform). */
  ref?: number[];
}

/** One episode: H transitions, `episode[h]` observed at step h. */
export type Episode = Transition[];

/** A transition as stored in a DrRpoAgent state (plain arrays). */
export interface StoredTransition {
  phi: number[];
  reward: number;
  nextPhi?: number[][];
  nextTerminal?: boolean;
}

/** Serialised DrRpoAgent (plain JSON, bit-exact round trip). */
export interface DrRpoAgentState {
  kind: typeof DR_RPO_AGENT_KIND;
  version: 1;
  options: Required<Omit<DrRpoAgentOptions, 'theta'>> & { theta: number[][] | null };
  steps: StoredTransition[][];
  /** Per update j: the optimistic Q^j parameters `w [H][d]`, `Λ⁻¹ [H][d·d]`. */
  history: { w: number[][]; lambdaInv: number[][] }[];
  /** log π_k = cRef·log π_ref + Σ_j coef[j]·Q^j (before normalisation). */
  coef: number[];
  cRef: number;
  /** Current-policy logits at each stored transition's next state (`[h][τ][A]`; null when terminal/last). */
  cache: (number[] | null)[][];
}

const SCHEMA = {
  H: opt.integer({ min: 1 }).require(),
  d: opt.integer({ min: 1 }).require(),
  nActions: opt.integer({ min: 1 }).require(),
  rho: opt.number({ min: 0, max: 1 }).require(),
  betaPolicy: opt.number({ min: 0, minExclusive: true }).require(),
  eta: opt.number({ min: 0, minExclusive: true }).require(),
  bonus: opt.number({ min: 0 }).require(),
  ridge: opt.number({ min: 0, minExclusive: true }),
  theta: opt.array(),
  ref: opt.array(),
};

/**
 * DR-RPO (Gu, He, Liu, Xu, arXiv 2510.14246) — online policy-regularised distributionally robust policy
 * optimisation, as reconstructed in robust-rl spec §6.3 (⚠ only the abstract is public). Per episode:
 * `observe` the transitions; `update` evaluates the current policy π_k optimistically and robustly from all data
 * (ridge `Λ_h`, next value `clip(softValue(π_k, Q_{h+1}, π_ref, β_π), 0, H−h−1)`, TV-ball ν_h,
 * `Q_h = clip(φᵀ(θ_h + ν_h) + b‖φ‖_{Λ_h⁻¹}, 0, H − h)`) and takes the closed-form KL mirror step
 * `log π_{k+1} = (log π_k + ηβ_π log π_ref + ηQ_h)/(1 + ηβ_π) − logsumexp` at every state.
 * Policies are stored as the history of Q parameters, so any feature map works.
 */
export class DrRpoAgent {
  private readonly o: DrRpoAgentState['options'];
  private readonly logRef: Float64Array;
  private steps: StoredTransition[][];
  private history: { w: Float64Array[]; lInv: Float64Array[] }[];
  private coef: number[];
  private cRef: number;
  private cache: (Float64Array | null)[][];

  constructor(opts: DrRpoAgentOptions) {
    checkOptions(opts, SCHEMA, 'DrRpoAgent');
    const A = opts.nActions;
    const ref = opts.ref ?? new Array<number>(A).fill(1 / A);
    if (!Array.isArray(ref) || ref.length !== A) {
      throw new DroError('E_SHAPE', `opts.ref must have ${A} entries`, {
        argument: 'opts.ref',
        received: describeValue(ref),
      });
    }
    checkSimplex(ref, 'ref');
    if (ref.some((p) => p <= 0)) throw new DroError('E_SPEC', 'DrRpoAgent: ref must be positive', { argument: 'ref' });
    if (opts.theta !== undefined) {
      if (
        !Array.isArray(opts.theta) ||
        opts.theta.length !== opts.H ||
        opts.theta.some((r) => !r || r.length !== opts.d)
      ) {
        throw new DroError('E_SHAPE', `DrRpoAgent: theta must be [${opts.H}][${opts.d}]`, { argument: 'theta' });
      }
    }
    this.o = {
      H: opts.H,
      d: opts.d,
      nActions: A,
      rho: opts.rho,
      betaPolicy: opts.betaPolicy,
      eta: opts.eta,
      bonus: opts.bonus,
      ridge: opts.ridge ?? 1,
      theta: opts.theta ? opts.theta.map((r) => [...r]) : null,
      ref: [...ref],
    };
    this.logRef = Float64Array.from(ref, (p) => Math.log(p));
    this.steps = Array.from({ length: opts.H }, () => []);
    this.history = [];
    this.coef = [];
    this.cRef = 1;
    this.cache = Array.from({ length: opts.H }, () => []);
  }

  /** Number of updates (mirror steps) taken. */
  get numUpdates(): number {
    return this.history.length;
  }

  private qj(j: number, h: number, phi: ArrayLike<number>): number {
    const { w, lInv } = this.history[j]!;
    const d = this.o.d;
    const wh = w[h]!;
    const L = lInv[h]!;
    let v = 0;
    let quad = 0;
    for (let i = 0; i < d; i++) {
      if (phi[i] === 0) continue;
      v += phi[i]! * wh[i]!;
      let t = 0;
      for (let k = 0; k < d; k++) t += L[i * d + k]! * phi[k]!;
      quad += phi[i]! * t;
    }
    v += this.o.bonus * Math.sqrt(Math.max(quad, 0));
    return Math.min(Math.max(v, 0), this.o.H - h);
  }

  private logitsDirect(h: number, phiAll: ArrayLike<number>[]): Float64Array {
    const z = Float64Array.from(this.logRef, (l) => this.cRef * l);
    for (let j = 0; j < this.history.length; j++) {
      const c = this.coef[j]!;
      for (let a = 0; a < z.length; a++) z[a]! += c * this.qj(j, h, phiAll[a]!);
    }
    return z;
  }

  private static softmax(z: Float64Array): Float64Array {
    let m = Number.NEGATIVE_INFINITY;
    for (const v of z) if (v > m) m = v;
    const p = Float64Array.from(z, (v) => Math.exp(v - m));
    let s = 0;
    for (const v of p) s += v;
    for (let a = 0; a < p.length; a++) p[a]! /= s;
    return p;
  }

  /** The current policy π_k(·|s) at step h for the state whose action features are `phiAll [A][d]`. */
  policy(h: number, phiAll: ArrayLike<number>[]): Float64Array {
    if (!Number.isInteger(h) || h < 0 || h >= this.o.H) {
      throw new DroError('E_INDEX_RANGE', 'h is not a step', { argument: 'h', received: describeValue(h) });
    }
    if (
      !Array.isArray(phiAll) ||
      phiAll.length !== this.o.nActions ||
      phiAll.some((f) => !f || f.length !== this.o.d)
    ) {
      throw new DroError('E_SHAPE', `phiAll must be [${this.o.nActions}][${this.o.d}]`, { argument: 'phiAll' });
    }
    return DrRpoAgent.softmax(this.logitsDirect(h, phiAll));
  }

  /** Appends one episode's H transitions (validated first; a rejected episode changes nothing). */
  observe(episode: Episode): void {
    const { H, d, nActions } = this.o;
    checkDataset({ H, d, nActions, steps: episode?.map?.((t) => [t]) ?? [] });
    episode.forEach((t, h) => {
      const stored: StoredTransition = { phi: Array.from(t.phi), reward: t.reward };
      if (h < H - 1 && !t.nextTerminal) stored.nextPhi = t.nextPhi!.map((f) => Array.from(f));
      if (t.nextTerminal) stored.nextTerminal = true;
      this.steps[h]!.push(stored);
      this.cache[h]!.push(stored.nextPhi ? this.logitsDirect(h + 1, stored.nextPhi) : null);
    });
  }

  /** One robust optimistic evaluation of π_k from all data, then the mirror step (π_k → π_{k+1}). */
  update(opts: { signal?: AbortSignal } = {}): void {
    checkOptions(opts, { signal: opt.signal() }, 'DrRpoAgent.update');
    checkAborted(opts.signal, 'DrRpoAgent.update');
    const { H, d, nActions: A, betaPolicy: beta, eta } = this.o;
    if (this.steps[0]!.length === 0)
      throw new DroError('E_EMPTY', 'update before any observed episode', { argument: 'episodes' });
    const w: Float64Array[] = new Array(H);
    const lInv: Float64Array[] = new Array(H);
    const entry = { w, lInv };
    const k = this.history.length;
    this.history.push(entry); // Q^k is filled backward; qj(k, h+1, ·) is complete when step h reads it
    try {
      for (let h = H - 1; h >= 0; h--) {
        const list = this.steps[h]!;
        const reg = regressionMatrix(
          list.map((t) => t.phi),
          this.o.ridge,
          false,
        );
        const V = new Float64Array(list.length);
        if (h < H - 1) {
          list.forEach((t, i) => {
            if (!t.nextPhi) return;
            const pi = DrRpoAgent.softmax(this.cache[h]![i]!);
            const q = t.nextPhi.map((f) => this.qj(k, h + 1, f));
            V[i] = Math.min(Math.max(softValue(pi, q, this.o.ref, beta), 0), H - h - 1);
          });
        }
        const theta = new Float64Array(d);
        if (this.o.theta) theta.set(this.o.theta[h]!);
        else {
          const b = new Float64Array(d);
          for (const t of list) for (let i = 0; i < d; i++) b[i]! += t.phi[i]! * t.reward;
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) theta[i]! += reg.lambdaInv[i * d + j]! * b[j]!;
        }
        const nu =
          h === H - 1
            ? new Float64Array(d)
            : estimateFromC(
                reg.C,
                reg.dead,
                d,
                V,
                this.o.rho === 0 ? { divergence: 'none' } : { divergence: 'tv-ball', rho: this.o.rho },
              ).nu;
        w[h] = Float64Array.from(theta, (x, i) => x + nu[i]!);
        lInv[h] = reg.lambdaInv;
      }
    } catch (e) {
      this.history.pop();
      throw e;
    }
    // Mirror step in coefficient form: log π_{k+1} = a(log π_k + ηβ log π_ref + η Q^k), a = 1/(1 + ηβ).
    const a = 1 / (1 + eta * beta);
    for (let j = 0; j < k; j++) this.coef[j]! *= a;
    this.coef.push(a * eta);
    this.cRef = a * (this.cRef + eta * beta);
    for (let h = 0; h < H - 1; h++) {
      this.steps[h]!.forEach((t, i) => {
        const z = this.cache[h]![i];
        if (!z || !t.nextPhi) return;
        for (let b = 0; b < A; b++)
          z[b] = a * (z[b]! + eta * beta * this.logRef[b]! + eta * this.qj(k, h + 1, t.nextPhi[b]!));
      });
    }
  }

  /** Plain-JSON state (options, data, policy history, logit caches). */
  getState(): DrRpoAgentState {
    return {
      kind: DR_RPO_AGENT_KIND,
      version: 1,
      options: { ...this.o, ref: [...this.o.ref], theta: this.o.theta ? this.o.theta.map((r) => [...r]) : null },
      steps: this.steps.map((list) =>
        list.map((t) => ({
          phi: [...t.phi],
          reward: t.reward,
          ...(t.nextPhi ? { nextPhi: t.nextPhi.map((f) => [...f]) } : {}),
          ...(t.nextTerminal ? { nextTerminal: true } : {}),
        })),
      ),
      history: this.history.map((e) => ({
        w: e.w.map((x) => Array.from(x)),
        lambdaInv: e.lInv.map((x) => Array.from(x)),
      })),
      coef: [...this.coef],
      cRef: this.cRef,
      cache: this.cache.map((list) => list.map((z) => (z ? Array.from(z) : null))),
    };
  }

  /** Rebuilds an agent from {@link getState}; foreign kind/version or malformed content → E_STATE_VERSION. */
  static fromState(state: DrRpoAgentState): DrRpoAgent {
    checkState(state, DR_RPO_AGENT_KIND, [1]);
    const bad = (what: string, cause?: unknown) =>
      new DroError('E_STATE_VERSION', `state.${what} is malformed`, { argument: `state.${what}`, cause });
    let agent: DrRpoAgent;
    try {
      const { theta, ...rest } = state.options;
      agent = new DrRpoAgent({ ...rest, ...(theta ? { theta } : {}) });
    } catch (e) {
      throw bad('options', e);
    }
    const { H, d, nActions: A } = agent.o;
    const finite = (x: unknown, n: number) =>
      Array.isArray(x) && x.length === n && x.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!Array.isArray(state.steps) || state.steps.length !== H) throw bad('steps');
    if (!Array.isArray(state.history) || !Array.isArray(state.coef) || state.coef.length !== state.history.length)
      throw bad('coef');
    if (
      !state.history.every(
        (e) =>
          e?.w?.length === H &&
          e.w.every((r) => finite(r, d)) &&
          e.lambdaInv?.length === H &&
          e.lambdaInv.every((r) => finite(r, d * d)),
      )
    ) {
      throw bad('history');
    }
    if (!finite(state.coef, state.coef.length) || !Number.isFinite(state.cRef)) throw bad('coef');
    if (
      !Array.isArray(state.cache) ||
      state.cache.length !== H ||
      state.cache.some((l, h) => !Array.isArray(l) || l.length !== state.steps[h]!.length)
    ) {
      throw bad('cache');
    }
    try {
      if (state.steps[0]!.length > 0) {
        const n = state.steps[0]!.length;
        if (state.steps.some((l) => l.length !== n)) throw bad('steps');
        checkDataset({ H, d, nActions: A, steps: state.steps as Transition[][] });
      }
    } catch (e) {
      throw bad('steps', e);
    }
    agent.steps = state.steps.map((l) => l.map((t) => ({ ...t })));
    agent.history = state.history.map((e) => ({
      w: e.w.map((x) => Float64Array.from(x)),
      lInv: e.lambdaInv.map((x) => Float64Array.from(x)),
    }));
    agent.coef = [...state.coef];
    agent.cRef = state.cRef;
    agent.cache = state.cache.map((l) => l.map((z) => (z ? Float64Array.from(z) : null)));
    return agent;
  }
}

/**
 * One episode of an agent's current policy in an exact factor MDP from its initial state (actions and next
 * states drawn from `rng`); next states in `terminalStates` are marked terminal.
 */
export function rolloutEpisode(
  mdp: FactorMdp,
  agent: DrRpoAgent,
  rng: Rng | number | string,
  opts: { terminalStates?: number[] } = {},
): Episode {
  checkFactorMdp(mdp);
  checkOptions(opts, { terminalStates: opt.array() }, 'rolloutEpisode');
  const r = toRng(rng);
  const terminal = new Set(opts.terminalStates ?? []);
  const episode: Episode = [];
  let s = mdp.initState;
  for (let h = 0; h < mdp.H; h++) {
    const P = kernel(mdp, h)[s]!;
    const R = rewards(mdp, h)[s]!;
    const pi = agent.policy(h, mdp.phi[h]![s]!);
    const a = drawIndex(pi, r);
    const s2 = drawIndex(P[a]!, r);
    const t: Transition = { phi: mdp.phi[h]![s]![a]!, reward: R[a]! };
    if (h < mdp.H - 1) {
      if (terminal.has(s2)) t.nextTerminal = true;
      else t.nextPhi = mdp.phi[h + 1]![s2]!;
    }
    episode.push(t);
    s = s2;
  }
  return episode;
}
