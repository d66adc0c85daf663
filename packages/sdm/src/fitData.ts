// Data plumbing of SdmEstimator.fit: validating and copying the training, calibration and OOD-support rows
// to float32 host matrices, and the row operations of the train/calibration split.
import { checkLength, checkOptions, DroError, opt } from '@drojs/dro-core';
import {
  concatColumns,
  concatRows,
  type HostMatrix,
  type LabelsInput,
  type MatrixInput,
  takeRows,
  toF32Matrix,
  toSdmLabels,
} from './hostMatrix.js';

/** One block of rows: embeddings, labels and optionally the frozen model's logits and row ids. */
export interface SdmRows {
  embeddings: MatrixInput;
  /** A Tensor1D, number[] or Int32Array. */
  labels: LabelsInput;
  logits?: MatrixInput;
  ids?: string[];
}

/** Training data of {@link SdmEstimator.fit}. */
export interface SdmFitData extends SdmRows {
  /** The pool, or D_tr when `calibration` is given. */
  embeddings: MatrixInput;
  /** The frozen model's logits: required for 'frozen', else optional features. */
  logits?: MatrixInput;
  calibration?: SdmRows;
  /**
   * Extra support rows labelled OOD_LABEL or UNLABELED (never trained on, never in the CDFs); the old
   * unlabelled marker −1 is accepted as a deprecated alias of UNLABELED.
   */
  oodSupport?: SdmRows;
}

const ROWS_SCHEMA = { embeddings: opt.any(), labels: opt.any(), logits: opt.any(), ids: opt.array() };
const DATA_SCHEMA = { ...ROWS_SCHEMA, calibration: opt.object(), oodSupport: opt.object() };

/** Rows validated and copied to the host. */
export interface Parsed {
  x: HostMatrix;
  y: Int32Array;
  logits?: HostMatrix;
  ids?: string[];
}

/** Checks an ids array: strings, one per row. */
export function checkIds(ids: unknown, rows: number, argument: string): string[] {
  if (!Array.isArray(ids) || !ids.every((s) => typeof s === 'string')) {
    throw new DroError('E_SPEC', `${argument} must be an array of strings`, { argument });
  }
  checkLength(ids.length, rows, argument, 'embedding row');
  return [...ids];
}

/** Checks logits against the rows they belong to: one row each, one column per class. */
export function checkLogits(logits: unknown, rows: number, numClasses: number, argument: string, caller: string) {
  const l = toF32Matrix(logits, argument, caller);
  checkLength(l.rows, rows, argument, 'embedding row');
  if (l.rows > 0 && l.cols !== numClasses) {
    throw new DroError('E_SHAPE', `${argument} must have one column per class`, {
      argument,
      expected: `${numClasses} columns`,
      received: `${l.cols}`,
    });
  }
  return l.rows > 0 ? l : { data: l.data, rows: 0, cols: numClasses };
}

/**
 * Validates one block of rows. Labels lie in [0, numClasses) or, with `onlyMarkers`, are all markers
 * (OOD_LABEL, UNLABELED or the legacy −1).
 */
export function parseRows(
  part: SdmRows,
  name: string,
  numClasses: number,
  markers: readonly number[] = [],
  onlyMarkers = false,
): Parsed {
  checkOptions(part, name === 'data' ? DATA_SCHEMA : ROWS_SCHEMA, name);
  const caller = 'SdmEstimator.fit';
  const x = toF32Matrix(part.embeddings, `${name}.embeddings`, caller);
  const y = toSdmLabels(part.labels, `${name}.labels`, caller, {
    numClasses: onlyMarkers ? 0 : numClasses,
    length: x.rows,
    extra: markers,
  });
  const out: Parsed = { x, y };
  if (part.logits !== undefined) out.logits = checkLogits(part.logits, x.rows, numClasses, `${name}.logits`, caller);
  if (part.ids !== undefined) out.ids = checkIds(part.ids, x.rows, `${name}.ids`);
  return out;
}

/** E_SHAPE unless a non-empty matrix has `cols` columns (the fitted input width). */
export function checkWidth(m: HostMatrix, cols: number, argument: string): void {
  if (m.rows > 0 && m.cols !== cols) {
    throw new DroError('E_SHAPE', `${argument} has the wrong width`, {
      argument,
      expected: `${cols} columns (the fitted input width)`,
      received: `${m.cols}`,
    });
  }
}

/** Rows `idx` of parsed data. */
export function take(p: Parsed, idx: Int32Array): Parsed {
  const out: Parsed = { x: takeRows(p.x, idx), y: Int32Array.from(idx, (i) => p.y[i] as number) };
  if (p.logits) out.logits = takeRows(p.logits, idx);
  const ids = p.ids;
  if (ids) out.ids = Array.from(idx, (i) => ids[i] as string);
  return out;
}

/** Parsed data `a` followed by `b`. */
export function joinParts(a: Parsed, b: Parsed): Parsed {
  const out: Parsed = { x: concatRows([a.x, b.x], a.x.cols), y: Int32Array.from([...a.y, ...b.y]) };
  if (a.logits && b.logits) out.logits = concatRows([a.logits, b.logits], a.logits.cols);
  if (a.ids && b.ids) out.ids = [...a.ids, ...b.ids];
  return out;
}

/** Adaptor input: embeddings, with the logits appended when that option is on. */
export function inputOf(p: Parsed, appendLogits: boolean): HostMatrix {
  return appendLogits ? concatColumns(p.x, p.logits as HostMatrix) : p.x;
}
