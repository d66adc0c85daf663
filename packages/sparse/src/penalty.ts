import { checkNumber, DroError, describeValue } from '@drojs/dro-core/host';
import { checkOptions, opt } from './options.js';
import type { PenaltyName } from './types.js';

/** A penalty `p_λ(|t|)` with its split `λ|t| + q_λ(t)` (spec §4). */
export interface Penalty {
  readonly name: PenaltyName;
  readonly lambda: number;
  /** SCAD's a (> 2). */
  readonly a?: number;
  /** MCP's γ (> 1). */
  readonly gamma?: number;
  /** κ, the Lipschitz constant of q': 0 (lasso), 1/(a−1) (SCAD), 1/γ (MCP). */
  readonly concaveLipschitz: number;
  /** p_λ(|t|). */
  value(t: number): number;
  /** p'_λ(|t|) for t ≠ 0; the right derivative λ at t = 0. */
  derivative(t: number): number;
  /** q_λ(t) = p_λ(|t|) − λ|t|, written without the cancelling difference. */
  concaveValue(t: number): number;
  /** q'_λ(t), odd in t. */
  concaveGrad(t: number): number;
  /**
   * argmin_b ½(b − v)² + step·p_λ(|b|) (default step 1: soft, SCAD and firm thresholding).
   * @throws DroError E_SPEC when step ≤ 0, step ≥ a − 1 (SCAD) or step ≥ γ (MCP).
   */
  prox(v: number, step?: number): number;
}

/** sign(v)·max(|v| − τ, 0). */
export function softThreshold(v: number, tau: number): number {
  if (v > tau) return v - tau;
  if (v < -tau) return v + tau;
  return 0;
}

/** Validates λ: non-finite → E_NONFINITE, negative → E_SPEC. */
export function checkLambda(lambda: unknown, argument = 'lambda'): number {
  if (typeof lambda !== 'number') {
    throw new DroError('E_SPEC', `${argument} must be a number`, {
      argument,
      expected: 'a number ≥ 0',
      received: describeValue(lambda),
    });
  }
  if (!Number.isFinite(lambda)) {
    throw new DroError('E_NONFINITE', `${argument} is not finite`, { argument, received: describeValue(lambda) });
  }
  if (lambda < 0) {
    throw new DroError('E_SPEC', `${argument} must be ≥ 0`, { argument, expected: 'λ ≥ 0', received: String(lambda) });
  }
  return lambda;
}

/** Checks a penalty name and its parameter; returns the resolved (name, a, γ) with defaults 3.7 and 3. */
export function checkPenaltyParams(
  name: unknown,
  a: unknown,
  gamma: unknown,
): { name: PenaltyName; a: number; gamma: number; kappa: number } {
  opt.oneOf(['lasso', 'scad', 'mcp']).check(name, 'penalty');
  const aa = a === undefined ? 3.7 : checkNumber(a, 'a', { min: 2, minExclusive: true });
  const gg = gamma === undefined ? 3 : checkNumber(gamma, 'gamma', { min: 1, minExclusive: true });
  const n = name as PenaltyName;
  const kappa = n === 'scad' ? 1 / (aa - 1) : n === 'mcp' ? 1 / gg : 0;
  return { name: n, a: aa, gamma: gg, kappa };
}

function checkArg(t: unknown, argument: string): number {
  if (typeof t !== 'number') {
    throw new DroError('E_SPEC', `${argument} must be a number`, { argument, received: describeValue(t) });
  }
  if (Number.isNaN(t)) throw new DroError('E_NONFINITE', `${argument} is NaN`, { argument, received: 'NaN' });
  return t;
}

/**
 * q'_λ as a plain function for the solvers (no argument checks; odd extension).
 * @internal
 */
export function concaveGradFn(name: PenaltyName, lambda: number, a: number, gamma: number): (t: number) => number {
  if (name === 'lasso') return () => 0;
  if (name === 'scad') {
    const al = a * lambda;
    const inv = 1 / (a - 1);
    return (t) => {
      const u = Math.abs(t);
      if (u <= lambda) return 0 * t;
      const g = u <= al ? (lambda - u) * inv : -lambda;
      return t < 0 ? -g : g;
    };
  }
  const gl = gamma * lambda;
  return (t) => {
    const u = Math.abs(t);
    if (u <= gl) return -t / gamma;
    return t < 0 ? lambda : -lambda;
  };
}

/**
 * p_λ(|t|) as a plain function (no checks).
 * @internal
 */
export function penaltyValueFn(name: PenaltyName, lambda: number, a: number, gamma: number): (t: number) => number {
  if (name === 'lasso') return (t) => lambda * Math.abs(t);
  if (name === 'scad') {
    return (t) => {
      const u = Math.abs(t);
      if (u <= lambda) return lambda * u;
      if (u <= a * lambda) return (2 * a * lambda * u - u * u - lambda * lambda) / (2 * (a - 1));
      return (lambda * lambda * (a + 1)) / 2;
    };
  }
  return (t) => {
    const u = Math.abs(t);
    if (u <= gamma * lambda) return lambda * u - (u * u) / (2 * gamma);
    return (gamma * lambda * lambda) / 2;
  };
}

/**
 * p'_λ(|t|) (λ at t = 0) as a plain function (no checks).
 * @internal
 */
export function penaltyDerivativeFn(
  name: PenaltyName,
  lambda: number,
  a: number,
  gamma: number,
): (t: number) => number {
  if (name === 'lasso') return () => lambda;
  if (name === 'scad') {
    return (t) => {
      const u = Math.abs(t);
      if (u <= lambda) return lambda;
      if (u <= a * lambda) return (a * lambda - u) / (a - 1);
      return 0;
    };
  }
  return (t) => {
    const u = Math.abs(t);
    return u <= gamma * lambda ? lambda - u / gamma : 0;
  };
}

/**
 * Builds a penalty. `a` (SCAD, default 3.7) must exceed 2 and `gamma` (MCP, default 3) must exceed 1.
 * @throws DroError E_SPEC (unknown name, λ < 0, a ≤ 2, γ ≤ 1, unknown option), E_NONFINITE (λ not finite).
 */
export function penalty(name: PenaltyName, o: { lambda: number; a?: number; gamma?: number }): Penalty {
  checkOptions(o, { lambda: opt.any(), a: opt.any(), gamma: opt.any() }, 'penalty');
  if (o === undefined)
    throw new DroError('E_SPEC', 'penalty: options with lambda are required', { argument: 'lambda' });
  const p = checkPenaltyParams(name, o.a, o.gamma);
  const lambda = checkLambda(o.lambda);
  const { a, gamma } = p;
  const value = penaltyValueFn(p.name, lambda, a, gamma);
  const derivative = penaltyDerivativeFn(p.name, lambda, a, gamma);
  const qgrad = concaveGradFn(p.name, lambda, a, gamma);
  const concaveValue = (t: number): number => {
    const u = Math.abs(t);
    if (p.name === 'lasso') return 0;
    if (p.name === 'scad') {
      if (u <= lambda) return 0;
      if (u <= a * lambda) return -((u - lambda) * (u - lambda)) / (2 * (a - 1));
      return (lambda * lambda * (a + 1)) / 2 - lambda * u;
    }
    if (u <= gamma * lambda) return -(u * u) / (2 * gamma);
    return (gamma * lambda * lambda) / 2 - lambda * u;
  };
  const prox = (v: number, step = 1): number => {
    if (typeof step !== 'number' || !(step > 0) || !Number.isFinite(step)) {
      throw new DroError('E_SPEC', 'prox step must be a finite number > 0', {
        argument: 'step',
        received: describeValue(step),
      });
    }
    if (p.name === 'scad' && step >= a - 1) {
      throw new DroError('E_SPEC', 'SCAD prox step must be < a − 1 (the 1-D problem is not convex otherwise)', {
        argument: 'step',
        expected: `< ${a - 1}`,
        received: String(step),
      });
    }
    if (p.name === 'mcp' && step >= gamma) {
      throw new DroError('E_SPEC', 'MCP prox step must be < γ (the 1-D problem is not convex otherwise)', {
        argument: 'step',
        expected: `< ${gamma}`,
        received: String(step),
      });
    }
    checkArg(v, 'v');
    const u = Math.abs(v);
    if (p.name === 'lasso') return softThreshold(v, step * lambda);
    if (p.name === 'scad') {
      if (u <= lambda * (1 + step)) return softThreshold(v, step * lambda);
      if (u <= a * lambda) return ((a - 1) * v - Math.sign(v) * a * step * lambda) / (a - 1 - step);
      return v;
    }
    if (u <= gamma * lambda) return softThreshold(v, step * lambda) / (1 - step / gamma);
    return v;
  };
  return {
    name: p.name,
    lambda,
    ...(p.name === 'scad' ? { a } : {}),
    ...(p.name === 'mcp' ? { gamma } : {}),
    concaveLipschitz: p.kappa,
    value: (t) => value(checkArg(t, 't')),
    derivative: (t) => derivative(checkArg(t, 't')),
    concaveValue: (t) => concaveValue(checkArg(t, 't')),
    concaveGrad: (t) => qgrad(checkArg(t, 't')),
    prox,
  };
}
