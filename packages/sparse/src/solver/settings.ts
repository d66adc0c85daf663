import { concaveGradFn, penaltyValueFn } from '../penalty.js';
import type { PenaltyName } from '../types.js';

/** Everything a solver needs besides the problem (resolved options). @internal */
export interface SolveSettings {
  readonly penalty: PenaltyName;
  readonly lambda: number;
  readonly a: number;
  readonly gamma: number;
  readonly solver: 'ag' | 'ista';
  readonly restart: boolean;
  readonly stop: 'gradient-mapping' | 'iterate';
  readonly tol: number;
  readonly maxIter: number;
  /** s = stepScale / max(L_loss, κ). */
  readonly step: number;
  readonly trace: boolean;
}

/** What a solver returns. @internal */
export interface SolveOutput {
  theta: Float64Array;
  iterations: number;
  converged: boolean;
  restarts: number[];
  trace?: { alpha?: Float64Array; speed?: Float64Array; objective: Float64Array };
}

/** Per-call helpers derived from the settings. @internal */
export interface PenaltyFns {
  qgrad: (t: number) => number;
  value: (t: number) => number;
}

export function penaltyFns(s: SolveSettings): PenaltyFns {
  return {
    qgrad: concaveGradFn(s.penalty, s.lambda, s.a, s.gamma),
    value: penaltyValueFn(s.penalty, s.lambda, s.a, s.gamma),
  };
}

/** The coordinates a solver touches: the intercept (if any) then off + j for the listed columns. */
export function coordinates(off: number, p: number, cols: Int32Array | null): Int32Array {
  const count = cols === null ? p : cols.length;
  const out = new Int32Array(off + count);
  if (off === 1) out[0] = 0;
  for (let k = 0; k < count; k++) out[off + k] = off + (cols === null ? k : cols[k]!);
  return out;
}
