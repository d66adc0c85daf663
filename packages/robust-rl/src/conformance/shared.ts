/**
 * Shared pieces of the robust-rl conformance evaluators: case types, the model and dataset decoders of the
 * vectors format (robust-rl spec §9).
 */
import { type LinearMdpDataset, type Transition, tabularDataset } from '../dataset.js';
import type { Divergence } from '../dp.js';
import { type FactorMdp, tabularMdp } from '../mdp.js';

export type Tol = { rel: number; abs: number };
export type Case = Record<string, unknown> & { id: string };
/** Returns null when the case passes, else the first mismatch. */
export type CaseRunner = (c: Case, tol: Tol) => string | null;

export const lam = (x: unknown) => (x === null || x === undefined ? Number.POSITIVE_INFINITY : (x as number));
export const rows = (x: ArrayLike<number>, n: number) =>
  Array.from({ length: x.length / n }, (_, i) => Array.from(x).slice(i * n, (i + 1) * n));

export interface ModelJson {
  kind: 'tabular' | 'factor';
  H: number;
  S: number;
  A: number;
  d?: number;
  P?: number[][][][];
  R?: number[][][];
  phi?: number[][][][];
  mu?: number[][][];
  theta?: number[][];
  init_state: number;
}

/** The FactorMdp of a vector's `model`. */
export function modelFromJson(m: ModelJson): FactorMdp {
  if (m.kind === 'tabular') return tabularMdp(m.P!, m.R!, m.init_state);
  return { H: m.H, S: m.S, A: m.A, d: m.d!, phi: m.phi!, mu: m.mu!, theta: m.theta!, initState: m.init_state };
}

export function specOf(c: Case): { divergence: Divergence; lambda?: number; rho?: number } {
  const divergence = c.divergence as Divergence;
  if (divergence === 'tv-ball') return { divergence, rho: c.rho as number };
  if (divergence === 'none') return { divergence };
  return { divergence, lambda: lam(c.lam) };
}

/** The LinearMdpDataset of a vector's `dataset` (tabular one-hot or dense). */
export function datasetFromJson(ds: Record<string, unknown>, H: number, d: number): LinearMdpDataset {
  if (ds.encoding === 'tabular') {
    return tabularDataset(ds.S as number, ds.A as number, H, ds.steps as [number, number, number, number | null][][]);
  }
  const steps = (ds.steps as Record<string, unknown>[][]).map((list) =>
    list.map((t): Transition => {
      const tr: Transition = { phi: t.phi as number[], reward: t.reward as number };
      if (t.next_phi) tr.nextPhi = t.next_phi as number[][];
      if (t.next_terminal) tr.nextTerminal = true;
      return tr;
    }),
  );
  const first = steps.flat().find((t) => t.nextPhi);
  return { H, d, nActions: first?.nextPhi?.length ?? 1, steps };
}
