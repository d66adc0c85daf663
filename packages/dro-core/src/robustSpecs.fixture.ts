// One robust spec of every kind, with parameters that keep each solver away from its limits: the shared
// fixture of the sync and async robust-loss tests.
import type { RobustSpec } from './spec.js';

export const EVERY_KIND_SPECS: RobustSpec[] = [
  { kind: 'erm' },
  { kind: 'kl', lambda: 0.5 },
  { kind: 'kl-constrained', rho: 0.2 },
  { kind: 'cvar', alpha: 0.3 },
  { kind: 'kl-cvar', alpha: 0.4, lambda: 0.3 },
  { kind: 'chi2', lambda: 0.4 },
  { kind: 'chi2-constrained', rho: 0.5 },
  { kind: 'chi2-both', rho: 0.5, lambda: 0.1 },
  { kind: 'tv', eps: 0.2 },
];
