/**
 * The result file of `pnpm bench` (`reports/bench/latest.json`, or `bench/results/latest.json` with `--update`)
 * and its checker. Every figure is per process CPU time (the median over interleaved rounds); wall time is kept
 * beside it because on a loaded machine the two part.
 */

import type { BlasReport } from './blas.js';

export const SCHEMA = 'drojs-bench/1';

/** The engines a workload can be measured on. */
export type EngineId = 'wasm' | 'native' | 'torch';
export const ENGINES: readonly EngineId[] = ['wasm', 'native', 'torch'];

/** `ms`: milliseconds per step (lower is better); the others are throughputs (higher is better). */
export type Unit = 'ms' | 'samples/s' | 'queries/s';

export interface WorkloadSpec {
  id: string;
  label: string;
  unit: Unit;
  /** Engines it runs on (the "before" row runs on wasm only). */
  engines: readonly EngineId[];
}

/** One round's figure: `cpu` from process CPU time, `wall` from the wall clock, both in the workload's unit. */
export interface Sample {
  cpu: number;
  wall: number;
}

export interface EngineFigures {
  rounds: Sample[];
  /** Median over rounds of `cpu`. */
  median: number;
  /** Median over rounds of `wall`. */
  medianWall: number;
}

export interface WorkloadResult extends WorkloadSpec {
  results: Partial<Record<EngineId, EngineFigures>>;
  /**
   * Time per unit of work relative to PyTorch on one thread (1 = parity, 2 = takes twice as long), from the CPU
   * medians; null when either side is missing or the PyTorch BLAS is not optimised.
   */
  ratioToTorch: Partial<Record<'wasm' | 'native', number | null>>;
}

export interface EngineStatus {
  available: boolean;
  /** Why not, when not available; a short description when available. */
  reason: string;
  detail?: Record<string, unknown>;
}

/** The line a tfjs child process prints: {@link CHILD_PREFIX} + JSON of a {@link ChildReport}. */
export const CHILD_PREFIX = 'BENCH_CHILD ';

export interface ChildReport {
  engine: 'wasm' | 'native';
  status: EngineStatus;
  results: Record<string, Sample | { error: string }>;
}

export interface BenchResult {
  schema: typeof SCHEMA;
  date: string;
  mode: 'quick' | 'full';
  rounds: number;
  machine: {
    cpu: string;
    cores: number;
    node: string;
    loadavgStart: number[];
    loadavgEnd: number[];
    /** True when other work was running (1-minute load at start or end above half the cores). */
    loaded: boolean;
  };
  engines: Record<EngineId, EngineStatus>;
  torch: { version: string | null; threads: number | null; blas: BlasReport | null };
  /** False when PyTorch's BLAS is not optimised (or PyTorch is missing): no ratio is claimed. */
  ratiosClaimed: boolean;
  workloads: WorkloadResult[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkFigures(f: unknown, where: string, errors: string[]): void {
  if (!isObj(f)) {
    errors.push(`${where}: not an object`);
    return;
  }
  if (!Array.isArray(f.rounds) || f.rounds.length === 0) errors.push(`${where}.rounds: a non-empty array expected`);
  else
    f.rounds.forEach((s, i) => {
      if (!isObj(s) || !isNum(s.cpu) || !isNum(s.wall) || s.cpu <= 0 || s.wall <= 0) {
        errors.push(`${where}.rounds[${i}]: positive finite cpu and wall expected`);
      }
    });
  if (!isNum(f.median) || f.median <= 0) errors.push(`${where}.median: a positive number expected`);
  if (!isNum(f.medianWall) || f.medianWall <= 0) errors.push(`${where}.medianWall: a positive number expected`);
}

/**
 * Checks a parsed result file against {@link BenchResult}; returns the problems found (empty: valid). Beyond
 * types it checks what the bench promises: ratios only with an optimised PyTorch BLAS, a ratio only where both
 * sides were measured, results only for engines that were available.
 */
export function checkBenchResult(r: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(r)) return ['result: not an object'];
  if (r.schema !== SCHEMA) errors.push(`schema: "${SCHEMA}" expected`);
  if (typeof r.date !== 'string' || Number.isNaN(Date.parse(r.date))) errors.push('date: an ISO date expected');
  if (r.mode !== 'quick' && r.mode !== 'full') errors.push('mode: "quick" or "full" expected');
  if (!Number.isInteger(r.rounds) || (r.rounds as number) < 1) errors.push('rounds: a positive integer expected');
  const m = r.machine;
  if (!isObj(m) || typeof m.cpu !== 'string' || !isNum(m.cores) || typeof m.loaded !== 'boolean') {
    errors.push('machine: cpu, cores and loaded expected');
  } else {
    for (const k of ['loadavgStart', 'loadavgEnd'] as const) {
      const v = m[k];
      if (!Array.isArray(v) || v.length !== 3 || !v.every(isNum)) errors.push(`machine.${k}: three numbers expected`);
    }
  }
  const engines = isObj(r.engines) ? r.engines : null;
  if (!engines) errors.push('engines: an object expected');
  for (const e of ENGINES) {
    const s = engines?.[e];
    if (engines && (!isObj(s) || typeof s.available !== 'boolean' || typeof s.reason !== 'string')) {
      errors.push(`engines.${e}: available and reason expected`);
    }
  }
  const torch = isObj(r.torch) ? r.torch : null;
  if (!torch) errors.push('torch: an object expected');
  const blas = torch && isObj(torch.blas) ? torch.blas : null;
  if (typeof r.ratiosClaimed !== 'boolean') errors.push('ratiosClaimed: a boolean expected');
  else if (r.ratiosClaimed && blas?.optimised !== true) {
    errors.push('ratiosClaimed: true only when PyTorch loaded an optimised BLAS');
  }
  if (!Array.isArray(r.workloads) || r.workloads.length === 0) {
    errors.push('workloads: a non-empty array expected');
    return errors;
  }
  const ids = new Set<string>();
  r.workloads.forEach((w, i) => {
    const at = `workloads[${i}]`;
    if (!isObj(w) || typeof w.id !== 'string' || typeof w.label !== 'string') {
      errors.push(`${at}: id and label expected`);
      return;
    }
    if (ids.has(w.id)) errors.push(`${at}: duplicate id ${w.id}`);
    ids.add(w.id);
    if (w.unit !== 'ms' && w.unit !== 'samples/s' && w.unit !== 'queries/s') errors.push(`${at}.unit: unknown`);
    const results = isObj(w.results) ? w.results : {};
    for (const [e, f] of Object.entries(results)) {
      if (!ENGINES.includes(e as EngineId)) errors.push(`${at}.results.${e}: unknown engine`);
      else if (engines && isObj(engines[e]) && engines[e].available !== true) {
        errors.push(`${at}.results.${e}: results for an engine that was not available`);
      }
      checkFigures(f, `${at}.results.${e}`, errors);
    }
    const ratios = isObj(w.ratioToTorch) ? w.ratioToTorch : {};
    for (const [e, v] of Object.entries(ratios)) {
      if (v === null) continue;
      if (!isNum(v) || v <= 0) errors.push(`${at}.ratioToTorch.${e}: a positive number or null expected`);
      else if (!r.ratiosClaimed) errors.push(`${at}.ratioToTorch.${e}: a ratio while ratiosClaimed is false`);
      else if (!results[e] || !results.torch) errors.push(`${at}.ratioToTorch.${e}: a ratio without both figures`);
    }
  });
  return errors;
}
