import { checkAborted, checkOptions, DroError, describeValue, isDroError, opt } from '@drojs/dro-core/host';
import type { BonusForm } from './bonus.js';
import { checkDataset, type LinearMdpDataset } from './dataset.js';
import type { Divergence } from './dp.js';
import { checkEstimatorOptions, ESTIMATOR_SCHEMA, estimateFromC, regressionMatrix } from './estimators.js';
import { LinearQModel, type StepDiagnostics } from './linearQModel.js';

/** Options of {@link fitR2pvi} (robust-rl spec §3, §7). */
export interface R2pviOptions {
  divergence: Divergence;
  /** tv: ≥ 0; kl, chi2 (Pearson): > 0; `Infinity` = non-robust. */
  lambda?: number;
  /** tv-ball radius in [0, 1]. */
  rho?: number;
  /** Bonus scale β ≥ 0 (default 1). */
  beta?: number;
  /** Ridge γ ≥ 0 (default 1). */
  ridge?: number;
  /** Bonus form (default 'diag'). */
  bonus?: BonusForm;
  /** Known reward parameters `[H][d]`; absent = ridge-regress the rewards. */
  theta?: number[][];
  /** `V_min` of TV / TV ball: 'data' (default) or a number. */
  vMin?: 'data' | number;
  /** Clip Q̂ below at 0 (default true). */
  clipLow?: boolean;
  /** Row-normalise the regression matrix (default false). */
  normalize?: boolean;
  /** Reject rewards outside [0, 1] (default true). */
  checkRewardRange?: boolean;
  /** Called after each backward step with the number of steps done. */
  onProgress?: (p: { done: number; total: number; h: number }) => void;
  /** Aborts between steps with E_ABORTED. */
  signal?: AbortSignal;
}

const SCHEMA = {
  ...ESTIMATOR_SCHEMA,
  beta: opt.number({ min: 0 }),
  ridge: opt.number({ min: 0 }),
  bonus: opt.oneOf(['diag', 'dsum', 'full']),
  theta: opt.array(),
  clipLow: opt.boolean(),
  normalize: opt.boolean(),
  checkRewardRange: opt.boolean(),
  onProgress: opt.function(),
  signal: opt.signal(),
};

function checkTheta(theta: number[][], H: number, d: number): void {
  if (!Array.isArray(theta) || theta.length !== H) {
    throw new DroError('E_SHAPE', `fitR2pvi: theta must be [${H}][${d}]`, {
      argument: 'theta',
      received: describeValue(theta),
    });
  }
  theta.forEach((row, h) => {
    if (!row || row.length !== d) {
      throw new DroError('E_SHAPE', `fitR2pvi: theta[${h}] must have length ${d}`, {
        argument: 'theta',
        received: describeValue(row),
      });
    }
    for (let i = 0; i < d; i++) {
      if (!Number.isFinite(row[i]))
        throw new DroError('E_NONFINITE', `fitR2pvi: theta[${h}][${i}] is not finite`, { argument: 'theta' });
    }
  });
}

/**
 * R2PVI — robust regularised pessimistic value iteration (Tang, Liu, Xu, ICML 2025) on an offline dataset of a
 * d-rectangular linear MDP. Backward in h: ridge matrix `Λ_h = γI + Σφφᵀ`; greedy next values of the step
 * h + 1 model (0 at terminal next states and at h = H − 1); reward parameters known or regressed; per-factor
 * robust estimates ν_h (TV, KL, Pearson χ², TV ball or none; ν = 0 at the last step); `w_h = θ̂_h + ν_h`;
 * `Q̂_h(φ) = clip(φᵀw_h − Γ_h(φ), lo, H − h)`. Validation happens before any work.
 */
export function fitR2pvi(data: LinearMdpDataset, opts: R2pviOptions): LinearQModel {
  checkOptions(opts, SCHEMA, 'fitR2pvi');
  checkEstimatorOptions(opts);
  checkDataset(data, opts.checkRewardRange ?? true);
  const { H, d } = data;
  if (opts.theta !== undefined) checkTheta(opts.theta, H, d);
  checkAborted(opts.signal, 'fitR2pvi');
  const gamma = opts.ridge ?? 1;
  const normalize = opts.normalize ?? false;
  const w: Float64Array[] = new Array(H);
  const lInv: Float64Array[] = new Array(H);
  const diag: StepDiagnostics[] = new Array(H);
  const model = new LinearQModel(
    H,
    d,
    { beta: opts.beta ?? 1, bonus: opts.bonus ?? 'diag', clipLow: opts.clipLow ?? true },
    w,
    lInv,
    diag,
  );
  for (let h = H - 1; h >= 0; h--) {
    checkAborted(opts.signal, 'fitR2pvi');
    const list = data.steps[h]!;
    const phi = list.map((t) => t.phi);
    let reg: ReturnType<typeof regressionMatrix>;
    try {
      reg = regressionMatrix(phi, gamma, normalize);
    } catch (e) {
      if (isDroError(e, 'E_RANK')) {
        throw new DroError(
          'E_RANK',
          `fitR2pvi: Λ_${h} = γI + ΣφφT is not positive definite (step ${h}; use ridge > 0)`,
          {
            argument: `data.steps[${h}]`,
            cause: e,
          },
        );
      }
      throw e;
    }
    const V = new Float64Array(list.length);
    if (h < H - 1) {
      list.forEach((t, k) => {
        if (!t.nextTerminal) V[k] = model.value(h + 1, t.nextPhi!);
      });
    }
    let thetaHat: Float64Array;
    if (opts.theta) thetaHat = Float64Array.from(opts.theta[h]!);
    else {
      const b = new Float64Array(d);
      for (const t of list) for (let i = 0; i < d; i++) b[i]! += t.phi[i]! * t.reward;
      thetaHat = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += reg.lambdaInv[i * d + j]! * b[j]!;
        thetaHat[i] = s;
      }
    }
    let nu: Float64Array = new Float64Array(d);
    let alpha: (number | null)[] | undefined;
    if (h < H - 1) {
      const est = estimateFromC(reg.C, reg.dead, d, V, { ...opts, vHi: H - h - 1 });
      nu = est.nu;
      alpha = est.alpha;
    }
    const wh = new Float64Array(d);
    for (let i = 0; i < d; i++) wh[i] = thetaHat[i]! + nu[i]!;
    w[h] = wh;
    lInv[h] = reg.lambdaInv;
    diag[h] = { nu, thetaHat, nextValues: V, ...(alpha ? { alpha } : {}) };
    opts.onProgress?.({ done: H - h, total: H, h });
  }
  return model;
}

/**
 * PEVI (Jin, Yang, Wang 2021): the non-robust pessimistic baseline — `divergence: 'none'`, `bonus: 'full'`
 * and regressed rewards unless `theta` is given.
 */
export function fitPevi(
  data: LinearMdpDataset,
  opts: Omit<R2pviOptions, 'divergence' | 'lambda' | 'rho'> = {},
): LinearQModel {
  return fitR2pvi(data, { bonus: 'full', ...opts, divergence: 'none' });
}

/** DRPVI-TV: the TV-ball (constraint) baseline of radius ρ ∈ [0, 1]. */
export function fitDrpviTv(
  data: LinearMdpDataset,
  opts: Omit<R2pviOptions, 'divergence' | 'lambda'> & { rho: number },
): LinearQModel {
  return fitR2pvi(data, { ...opts, divergence: 'tv-ball' });
}
