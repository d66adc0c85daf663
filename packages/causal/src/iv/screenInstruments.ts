import { checkOptions, createRng, DroError, opt, type Seed } from '@drojs/dro-core/host';
import { screen } from '@drojs/sparse';
import { checkRows, type Matrix, toMat } from '../hostData.js';
import { residualize } from '../linalg/lstsq.js';
import { hcat, type Mat } from '../linalg/matrix.js';
import { pivotedQr } from '../linalg/qr.js';

/** How to screen the candidate instruments (the `screen` option of `tsls`/`liml`, or {@link screenInstruments}). */
export interface ScreenSpec {
  /** How many instruments to keep (required: too many kept instruments bias 2SLS towards OLS). */
  keep: number;
  /** @drojs/sparse's screen statistic: 'mi-kde' (default), 'pearson' or 'dcor'. */
  method?: 'mi-kde' | 'pearson' | 'dcor';
  /**
   * Sample splitting: screen on a random part of the rows and fit on the rest, so the kept set does not
   * depend on the rows the estimate uses. `true` screens on half the rows; a number in (0, 1) is the
   * screening fraction. Default false (screen and fit on all rows: a pre-test, see the README).
   */
  split?: boolean | number;
  /** Seed of the split (default 0). */
  seed?: Seed;
}

/** Which instruments a screen kept. */
export interface InstrumentScreening {
  method: 'mi-kde' | 'pearson' | 'dcor';
  /** Number of candidate instruments. */
  candidates: number;
  /** Kept column indices into the candidate matrix, by decreasing score. */
  kept: number[];
  /** Names of the kept instruments (given names, or `z<index>`). */
  names: string[];
  /** Score of each kept instrument (max over the endogenous columns). */
  scores: number[];
  /** Rows the screen used and rows left for the fit (ascending); null without `split`. */
  screenRows: number[] | null;
  fitRows: number[] | null;
}

/** Arguments of {@link screenInstruments}. */
export interface ScreenInstrumentsArgs extends ScreenSpec {
  /** Candidate instruments, n × p. */
  instruments: Matrix;
  /** Endogenous regressors, n × k (each column is screened; an instrument's score is its best). */
  endog: Matrix;
  /** Exogenous controls, partialled out (with a constant) of the candidates and `endog` before screening. */
  exog?: Matrix;
  /** Names of the candidate instruments (length p). */
  names?: string[];
}

/** The screening and the reduced instrument matrix (all n rows; restrict to `fitRows` when split). */
export interface ScreenInstrumentsResult extends InstrumentScreening {
  instruments: { data: Float64Array; rows: number; cols: number };
}

export const SCREEN_SPEC_SCHEMA = {
  keep: opt.integer({ min: 1 }).require(),
  method: opt.oneOf(['mi-kde', 'pearson', 'dcor'] as const),
  split: opt.custom('true, false or a number in (0, 1)', (v, argument) => {
    if (typeof v === 'boolean') return;
    if (typeof v !== 'number' || !(v > 0 && v < 1))
      throw new DroError('E_SPEC', `${argument} must be true, false or a number in (0, 1)`, {
        argument,
        expected: 'boolean or (0, 1)',
        received: String(v),
      });
  }),
  seed: opt.seed(),
};

/** Rows of a matrix, in the given order. */
export function takeRows(m: Mat, rows: readonly number[]): Mat {
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { rows: rows.length, cols: m.cols, data };
}

/** Columns of a matrix, in the given order. */
function takeCols(m: Mat, cols: readonly number[]): Mat {
  const data = new Float64Array(m.rows * cols.length);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < cols.length; j++) data[i * cols.length + j] = m.data[i * m.cols + cols[j]!]!;
  return { rows: m.rows, cols: cols.length, data };
}

/** A seeded random split of 0..n−1 into a screening part (fraction f) and a fitting part, both ascending. */
function splitRows(n: number, f: number, seed: Seed): { screenRows: number[]; fitRows: number[] } {
  const rng = createRng(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const m = Math.round(f * n);
  return { screenRows: idx.slice(0, m).sort((a, b) => a - b), fitRows: idx.slice(m).sort((a, b) => a - b) };
}

/**
 * Screens host matrices: the core of {@link screenInstruments} and of the `screen` option. Z and E are
 * validated already (same rows); `keepArg` names the keep option in errors. @internal
 */
export function screenHost(
  Z: Mat,
  E: Mat,
  spec: ScreenSpec,
  names: string[] | undefined,
  caller: string,
  keepArg = 'keep',
  W: Mat | null = null,
): InstrumentScreening {
  const method = spec.method ?? 'mi-kde';
  if (spec.keep > Z.cols)
    throw new DroError('E_SPEC', `${caller}: ${keepArg} = ${spec.keep} exceeds the ${Z.cols} candidate instruments`, {
      argument: keepArg,
      expected: `≤ ${Z.cols}`,
      received: String(spec.keep),
    });
  if (names !== undefined && names.length !== Z.cols)
    throw new DroError('E_SHAPE', `${caller}: names.instruments has ${names.length} names for ${Z.cols} instruments`, {
      argument: 'names.instruments',
      expected: `${Z.cols} names`,
      received: String(names.length),
    });
  let screenRows: number[] | null = null;
  let fitRows: number[] | null = null;
  let Zs = Z;
  let Es = E;
  if (spec.split !== undefined && spec.split !== false) {
    const s = splitRows(Z.rows, spec.split === true ? 0.5 : spec.split, spec.seed ?? 0);
    ({ screenRows, fitRows } = s);
    Zs = takeRows(Z, screenRows);
    Es = takeRows(E, screenRows);
  }
  if (W !== null) {
    // Relevance given the controls (what the partial F measures): residualise on [1, W] within the
    // screening rows only, so that with `split` nothing of the fitting rows enters the screen.
    const Ws = screenRows === null ? W : takeRows(W, screenRows);
    const Q = pivotedQr(hcat({ rows: Ws.rows, cols: 1, data: new Float64Array(Ws.rows).fill(1) }, Ws)).Q;
    Zs = residualize(Q, Zs);
    Es = residualize(Q, Es);
  }
  // An instrument's score is its strongest marginal dependence on any endogenous column.
  const best = new Float64Array(Z.cols).fill(-Infinity);
  for (let k = 0; k < Es.cols; k++) {
    const x = Float64Array.from({ length: Es.rows }, (_, i) => Es.data[i * Es.cols + k]!);
    const r = screen(Zs, x, { method, keep: Z.cols });
    for (let j = 0; j < Z.cols; j++) best[j] = Math.max(best[j]!, r.scores[j]!);
  }
  const order = Array.from({ length: Z.cols }, (_, j) => j).sort((a, b) => best[b]! - best[a]! || a - b);
  const kept = order.slice(0, spec.keep);
  return {
    method,
    candidates: Z.cols,
    kept,
    names: kept.map((j) => names?.[j] ?? `z${j}`),
    scores: kept.map((j) => best[j]!),
    screenRows,
    fitRows,
  };
}

/** Keeps the chosen columns of a candidate matrix. @internal */
export function keptColumns(Z: Mat, kept: readonly number[]): Mat {
  return takeCols(Z, kept);
}

/**
 * Screens many candidate instruments with @drojs/sparse's `screen` (kernel mutual information by default;
 * Pearson or distance correlation selectable) against each endogenous regressor and keeps the `keep`
 * strongest; controls given as `exog` are partialled out (with a constant) of both sides first. Returns the kept indices, names and scores and the reduced instrument matrix. Screening and
 * fitting on the same rows is a pre-test (the fit's inference ignores the selection): pass `split` to
 * screen on one part of the rows and fit on `fitRows`.
 */
export function screenInstruments(a: ScreenInstrumentsArgs): ScreenInstrumentsResult {
  const caller = 'screenInstruments';
  checkOptions(
    a,
    {
      ...SCREEN_SPEC_SCHEMA,
      instruments: opt.any().require(),
      endog: opt.any().require(),
      exog: opt.any(),
      names: opt.array(),
    },
    caller,
  );
  const Z = toMat(a.instruments, 'instruments', caller);
  const E = toMat(a.endog, 'endog', caller);
  checkRows(E.rows, Z.rows, 'endog', 'instruments');
  const W = a.exog === undefined ? null : toMat(a.exog, 'exog', caller);
  if (W !== null) checkRows(W.rows, Z.rows, 'exog', 'instruments');
  const s = screenHost(Z, E, a, a.names, caller, 'keep', W);
  return { ...s, instruments: keptColumns(Z, s.kept) };
}
