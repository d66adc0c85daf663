import { checkOptions } from '@drojs/dro-core/host';
import { toMat, toVec } from '../hostData.js';
import {
  type InstrumentScreening,
  keptColumns,
  SCREEN_SPEC_SCHEMA,
  type ScreenSpec,
  screenHost,
  takeRows,
} from './screenInstruments.js';
import type { IvArgs, LinearFit } from './types.js';

/** IV arguments with the optional `screen` of `tsls`/`liml`. */
export type ScreenableArgs = IvArgs & { screen?: ScreenSpec };

/**
 * Applies a `screen` option: keeps the screened instruments (and, with `split`, only the fitting rows of
 * every row-indexed argument, cluster groups included). Without `screen` the arguments pass unchanged. @internal
 */
export function applyScreen<T extends ScreenableArgs>(
  a: T,
  caller: string,
): { args: T; screening?: InstrumentScreening; notes: string[] } {
  if (a?.screen === undefined) return { args: a, notes: [] };
  const spec = checkOptions(a.screen, SCREEN_SPEC_SCHEMA, `${caller}.screen`);
  const Z = toMat(a.instruments, 'instruments', caller);
  const E = toMat(a.endog, 'endog', caller);
  const W = a.exog === undefined ? null : toMat(a.exog, 'exog', caller);
  const s = screenHost(Z, E, spec, a.names?.instruments, caller, 'screen.keep', W);
  let args: T = { ...a, instruments: keptColumns(Z, s.kept), names: { ...a.names, instruments: s.names } };
  delete args.screen;
  const rows = s.fitRows;
  if (rows !== null) {
    const y = toVec(a.y, 'y', caller);
    const ct = a.covType;
    args = {
      ...args,
      y: Float64Array.from(rows, (r) => y[r]!),
      endog: takeRows(E, rows),
      instruments: takeRows(args.instruments as ReturnType<typeof keptColumns>, rows),
      ...(W === null ? {} : { exog: takeRows(W, rows) }),
      ...(typeof ct === 'object' && ct !== null ? { covType: { ...ct, groups: rows.map((r) => ct.groups[r]!) } } : {}),
    };
  }
  const how =
    rows === null ? 'screened on the fitting rows (pre-test)' : `screened on ${s.screenRows!.length} held-out rows`;
  return {
    args,
    screening: s,
    notes: [`instruments: ${s.kept.length} of ${s.candidates} kept by ${s.method}, ${how}: ${s.names.join(', ')}`],
  };
}

/** Attaches the screening to a fit (field and JSON). @internal */
export function withScreening(fit: LinearFit, screening: InstrumentScreening | undefined): LinearFit {
  if (screening === undefined) return fit;
  const base = fit.toJSON.bind(fit);
  fit.screening = screening;
  fit.toJSON = () => ({ ...base(), screening });
  return fit;
}
