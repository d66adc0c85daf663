import { checkNumber, DroError, describeValue } from './errors.js';

/**
 * The uncertainty set (or penalty) of a robust objective `R(l) = sup_{p∈U} <p,l> − penalty(p)` over one
 * minibatch, with the uniform reference `u`. Divergence conventions (part of the API contract):
 * `KL(p‖u) = Σ p_i log(n p_i)`, `χ²(p‖u) = (1/(2n)) Σ (n p_i − 1)²` (Levy et al. 2020; namkoong-lab/dro's
 * linear models use `eps = 2ρ`, see {@link chi2FromDroEps}), `TV = ½ Σ |p_i − 1/n|`; CVaR's `alpha` is the
 * fraction of worst samples kept (`alpha = 1` is the mean).
 */
export type RobustSpec =
  | { kind: 'erm' }
  | { kind: 'kl'; lambda: number }
  | { kind: 'kl-constrained'; rho: number; tol?: number; maxIter?: number; solver?: 'newton' | 'bisection' }
  | { kind: 'cvar'; alpha: number }
  | { kind: 'kl-cvar'; alpha: number; lambda: number }
  | { kind: 'chi2'; lambda: number }
  | { kind: 'chi2-constrained'; rho: number }
  | { kind: 'chi2-both'; rho: number; lambda: number }
  | { kind: 'tv'; eps: number };

export type RobustKind = RobustSpec['kind'];

/** Every kind, in the order of the spec. */
export const ROBUST_KINDS: readonly RobustKind[] = [
  'erm',
  'kl',
  'kl-constrained',
  'cvar',
  'kl-cvar',
  'chi2',
  'chi2-constrained',
  'chi2-both',
  'tv',
];

/** Throws `DroError('E_SPEC')` naming the offending parameter; returns the spec for chaining. */
export function validateSpec(spec: RobustSpec): RobustSpec {
  if (spec === null || typeof spec !== 'object') {
    throw new DroError('E_SPEC', 'spec must be an object with a kind', {
      argument: 'spec',
      received: describeValue(spec),
    });
  }
  const s = spec as Record<string, unknown>;
  const lambda = () => checkNumber(s.lambda, 'spec.lambda', { min: 0, allowInfinity: true });
  const rho = () => checkNumber(s.rho, 'spec.rho', { min: 0 });
  const alpha = () => checkNumber(s.alpha, 'spec.alpha', { min: 0, minExclusive: true, max: 1 });
  switch (spec.kind) {
    case 'erm':
      break;
    case 'kl':
    case 'chi2':
      lambda();
      break;
    case 'kl-constrained':
      rho();
      if (s.tol !== undefined) checkNumber(s.tol, 'spec.tol', { min: 0, minExclusive: true });
      if (s.maxIter !== undefined) checkNumber(s.maxIter, 'spec.maxIter', { min: 1, integer: true });
      if (s.solver !== undefined && s.solver !== 'newton' && s.solver !== 'bisection') {
        throw new DroError('E_SPEC', 'unknown solver', {
          argument: 'spec.solver',
          expected: "'newton' or 'bisection'",
          received: describeValue(s.solver),
        });
      }
      break;
    case 'cvar':
      alpha();
      break;
    case 'kl-cvar':
      alpha();
      lambda();
      break;
    case 'chi2-constrained':
      rho();
      break;
    case 'chi2-both':
      rho();
      lambda();
      break;
    case 'tv':
      checkNumber(s.eps, 'spec.eps', { min: 0, max: 1 });
      break;
    default:
      throw new DroError('E_SPEC', 'unknown robust kind', {
        argument: 'spec.kind',
        expected: ROBUST_KINDS.map((k) => `'${k}'`).join(', '),
        received: describeValue(s.kind),
      });
  }
  return spec;
}

/** Converts namkoong-lab/dro's linear-model χ² radius `eps = (1/n)Σ(np−1)²` to dro-core's `ρ = eps/2`. */
export function chi2FromDroEps(eps: number): number {
  checkNumber(eps, 'eps', { min: 0 });
  return eps / 2;
}
