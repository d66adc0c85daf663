import { checkState, DroError, describeValue, stateKind } from '@drojs/dro-core/host';
import { type BonusForm, bonus } from './bonus.js';
import { argmaxLowest } from './dp.js';

/** `kind` of a LinearQModel state (the platform's `stateKind('robust-rl', 'LinearQModel')` scheme). */
export const LINEAR_Q_MODEL_KIND = stateKind('robust-rl', 'LinearQModel') as '@drojs/robust-rl/LinearQModel';

/** Per-step diagnostics of a fit. */
export interface StepDiagnostics {
  nu: Float64Array;
  thetaHat: Float64Array;
  nextValues: Float64Array;
  alpha?: (number | null)[];
}

/** Serialised LinearQModel (plain JSON; float64 numbers round-trip exactly). */
export interface LinearQModelState {
  kind: typeof LINEAR_Q_MODEL_KIND;
  version: 1;
  options: { beta: number; bonus: BonusForm; clipLow: boolean };
  H: number;
  d: number;
  w: number[][];
  lambdaInv: number[][];
  diagnostics: { nu: number[]; thetaHat: number[]; nextValues: number[]; alpha?: (number | null)[] }[];
}

/**
 * A fitted linear Q-function `Q̂_h(φ) = clip(φᵀw_h − Γ_h(φ), lo, H − h)` with the pessimism bonus Γ_h of the
 * fit (robust-rl spec §3.2). Greedy actions take the lowest index on ties.
 */
export class LinearQModel {
  readonly H: number;
  readonly d: number;
  private readonly opts: LinearQModelState['options'];
  private readonly w: Float64Array[];
  private readonly lInv: Float64Array[];
  private readonly diag: StepDiagnostics[];

  /** @internal Built by fitR2pvi / fromState. */
  constructor(
    H: number,
    d: number,
    opts: LinearQModelState['options'],
    w: Float64Array[],
    lambdaInv: Float64Array[],
    diag: StepDiagnostics[],
  ) {
    this.H = H;
    this.d = d;
    this.opts = { ...opts };
    this.w = w;
    this.lInv = lambdaInv;
    this.diag = diag;
  }

  private checkStep(h: number): void {
    if (!Number.isInteger(h) || h < 0 || h >= this.H) {
      throw new DroError('E_INDEX_RANGE', 'h is not a step of the model', {
        argument: 'h',
        expected: `an integer in [0, ${this.H - 1}]`,
        received: describeValue(h),
      });
    }
  }

  private checkPhi(phi: ArrayLike<number>, argument: string): void {
    if (!phi || phi.length !== this.d) {
      throw new DroError('E_SHAPE', `${argument} must have length ${this.d}`, {
        argument,
        received: describeValue(phi),
      });
    }
  }

  /** @internal q without argument checks (the fit's own hot path). */
  qUnchecked(h: number, phi: ArrayLike<number>): number {
    const w = this.w[h]!;
    let v = 0;
    for (let i = 0; i < this.d; i++) if (phi[i] !== 0) v += phi[i]! * w[i]!;
    v -= bonus(this.opts.bonus, this.opts.beta, this.lInv[h]!, phi);
    const hi = this.H - h;
    if (v > hi) v = hi;
    if (this.opts.clipLow && v < 0) v = 0;
    return v;
  }

  /** `Q̂_h(φ)`. */
  q(h: number, phi: ArrayLike<number>): number {
    this.checkStep(h);
    this.checkPhi(phi, 'phi');
    return this.qUnchecked(h, phi);
  }

  /** `max_a Q̂_h(φ(s, a))` over the rows `phiAll [A][d]` of one state. */
  value(h: number, phiAll: ArrayLike<number>[]): number {
    const a = this.act(h, phiAll);
    return this.qUnchecked(h, phiAll[a]!);
  }

  /** Greedy action (lowest index among the maximal Q̂). */
  act(h: number, phiAll: ArrayLike<number>[]): number {
    this.checkStep(h);
    if (!Array.isArray(phiAll) || phiAll.length === 0) {
      throw new DroError('E_EMPTY', 'phiAll must hold one row per action', { argument: 'phiAll' });
    }
    phiAll.forEach((f, a) => this.checkPhi(f, `phiAll[${a}]`));
    return argmaxLowest(phiAll.map((f) => this.qUnchecked(h, f)));
  }

  /** `w_h = θ̂_h + ν_h` (a copy). */
  weights(h: number): Float64Array {
    this.checkStep(h);
    return Float64Array.from(this.w[h]!);
  }

  /** `Λ_h⁻¹`, row-major d × d (a copy). */
  lambdaInv(h: number): Float64Array {
    this.checkStep(h);
    return Float64Array.from(this.lInv[h]!);
  }

  /** ν_h, θ̂_h, the step's next values and (χ², TV ball) the maximising α per factor. */
  diagnostics(h: number): StepDiagnostics {
    this.checkStep(h);
    const g = this.diag[h]!;
    return {
      nu: Float64Array.from(g.nu),
      thetaHat: Float64Array.from(g.thetaHat),
      nextValues: Float64Array.from(g.nextValues),
      ...(g.alpha ? { alpha: [...g.alpha] } : {}),
    };
  }

  /** Plain-JSON state; `fromState(JSON.parse(JSON.stringify(getState())))` answers bit-identically. */
  getState(): LinearQModelState {
    return {
      kind: LINEAR_Q_MODEL_KIND,
      version: 1,
      options: { ...this.opts },
      H: this.H,
      d: this.d,
      w: this.w.map((x) => Array.from(x)),
      lambdaInv: this.lInv.map((x) => Array.from(x)),
      diagnostics: this.diag.map((g) => ({
        nu: Array.from(g.nu),
        thetaHat: Array.from(g.thetaHat),
        nextValues: Array.from(g.nextValues),
        ...(g.alpha ? { alpha: [...g.alpha] } : {}),
      })),
    };
  }

  /** Rebuilds a model from {@link getState}; a foreign kind/version or malformed content → E_STATE_VERSION. */
  static fromState(state: LinearQModelState): LinearQModel {
    checkState(state, LINEAR_Q_MODEL_KIND, [1]);
    const bad = (what: string) =>
      new DroError('E_STATE_VERSION', `state.${what} is malformed`, { argument: `state.${what}` });
    const { H, d } = state;
    if (!Number.isInteger(H) || H < 1 || !Number.isInteger(d) || d < 1) throw bad('H');
    const o = state.options;
    if (!o || !(o.beta >= 0) || !['diag', 'dsum', 'full'].includes(o.bonus) || typeof o.clipLow !== 'boolean') {
      throw bad('options');
    }
    const vec = (x: unknown, n: number, what: string) => {
      if (!Array.isArray(x) || x.length !== n || x.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        throw bad(what);
      }
      return Float64Array.from(x as number[]);
    };
    if (!Array.isArray(state.w) || state.w.length !== H) throw bad('w');
    if (!Array.isArray(state.lambdaInv) || state.lambdaInv.length !== H) throw bad('lambdaInv');
    if (!Array.isArray(state.diagnostics) || state.diagnostics.length !== H) throw bad('diagnostics');
    const w = state.w.map((x, h) => vec(x, d, `w[${h}]`));
    const lInv = state.lambdaInv.map((x, h) => vec(x, d * d, `lambdaInv[${h}]`));
    const diag = state.diagnostics.map((g, h) => {
      const nv = g?.nextValues;
      return {
        nu: vec(g?.nu, d, `diagnostics[${h}].nu`),
        thetaHat: vec(g?.thetaHat, d, `diagnostics[${h}].thetaHat`),
        nextValues: vec(nv, Array.isArray(nv) ? nv.length : -1, `diagnostics[${h}].nextValues`),
        ...(g.alpha ? { alpha: [...g.alpha] } : {}),
      };
    });
    return new LinearQModel(H, d, { beta: o.beta, bonus: o.bonus, clipLow: o.clipLow }, w, lInv, diag);
  }
}
