import { DroError, describeValue } from '@drojs/dro-core/host';
import { PAIR_KINDS, type PairKind, type PreferencePair } from './pairs.js';

/** Pairs of feature vectors after validation: row-major float64 matrices plus per-pair kinds, weights, targets. */
export interface PairBatch {
  n: number;
  dim: number;
  chosen: Float64Array;
  rejected: Float64Array;
  kinds: PairKind[];
  weights: number[] | undefined;
  targets: (number | null)[] | undefined;
}

function rowError(
  code: 'E_SHAPE' | 'E_NONFINITE' | 'E_DTYPE' | 'E_SPEC',
  where: string,
  msg: string,
  v: unknown,
  expected?: string,
): DroError {
  return new DroError(code, `${where} ${msg}`, { argument: where, expected, received: describeValue(v) });
}

/**
 * Validates preference pairs whose answers are feature vectors of one length (`dim`, taken from the first pair
 * unless given) and packs them. Every fault names its row, e.g. `pairs[12].rejected[3] is not finite`
 * (E_NONFINITE), `pairs[4].chosen has 4 features, expected 5` (E_SHAPE), `pairs[0].kind` (E_SPEC).
 * Nothing is modified. Empty → E_EMPTY.
 */
export function validatePairs(
  pairs: readonly PreferencePair[],
  caller: string,
  dim?: number,
  argument = 'pairs',
): PairBatch {
  if (!Array.isArray(pairs))
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be an array of preference pairs`, {
      argument,
      received: describeValue(pairs),
    });
  if (pairs.length === 0) throw new DroError('E_EMPTY', `${caller}: ${argument} is empty`, { argument });
  const first = pairs[0] as PreferencePair | undefined;
  const d =
    dim ?? (first && typeof first === 'object' && first.chosen ? (first.chosen as ArrayLike<number>).length : 0);
  const n = pairs.length;
  const chosen = new Float64Array(n * d);
  const rejected = new Float64Array(n * d);
  const kinds: PairKind[] = [];
  let weights: number[] | undefined;
  let targets: (number | null)[] | undefined;
  pairs.forEach((p, i) => {
    const row = `${argument}[${i}]`;
    if (p === null || typeof p !== 'object' || Array.isArray(p))
      throw rowError('E_DTYPE', row, 'must be a pair object {chosen, rejected, kind}', p);
    if (!PAIR_KINDS.includes(p.kind))
      throw rowError('E_SPEC', `${row}.kind`, "must be 'original', 'causal' or 'neutral'", p.kind, 'a pair kind');
    kinds.push(p.kind);
    for (const side of ['chosen', 'rejected'] as const) {
      const f = p[side] as ArrayLike<number> | undefined;
      const where = `${row}.${side}`;
      if (f === null || typeof f !== 'object' || typeof f.length !== 'number')
        throw rowError('E_DTYPE', where, 'must be an array of numbers', f);
      if (f.length !== d || d === 0)
        throw rowError('E_SHAPE', where, `has ${f.length} features, expected ${d}`, f, `${d} features`);
      const out = side === 'chosen' ? chosen : rejected;
      for (let j = 0; j < d; j++) {
        const v = f[j] as unknown;
        // JSON has no NaN, so a null feature (how JSON writers spell NaN) is non-finite, not a type error.
        if (v !== null && typeof v !== 'number') throw rowError('E_DTYPE', `${where}[${j}]`, 'is not a number', v);
        if (v === null || !Number.isFinite(v)) throw rowError('E_NONFINITE', `${where}[${j}]`, 'is not finite', v);
        out[i * d + j] = v as number;
      }
    }
    if (p.weight !== undefined) {
      if (typeof p.weight !== 'number' || !Number.isFinite(p.weight) || p.weight < 0)
        throw rowError('E_SPEC', `${row}.weight`, 'must be a finite number ≥ 0', p.weight, 'a weight ≥ 0');
      weights ??= new Array<number>(n).fill(1);
    }
    if (p.target !== undefined && p.target !== null) {
      if (typeof p.target !== 'number' || !(p.target >= 0 && p.target <= 1))
        throw rowError('E_SPEC', `${row}.target`, 'must be a probability in [0, 1]', p.target, 'a number in [0, 1]');
      targets ??= new Array<number | null>(n).fill(null);
    }
  });
  if (weights) pairs.forEach((p, i) => (weights![i] = p.weight ?? 1));
  if (targets) pairs.forEach((p, i) => (targets![i] = p.target ?? null));
  return { n, dim: d, chosen, rejected, kinds, weights, targets };
}

/**
 * Parses a pair file: a JSON array of {@link PreferencePair} objects, or JSON Lines (one pair per line, blank
 * lines ignored). Malformed JSON → E_IO naming the line; a bad pair → the {@link validatePairs} error naming
 * the row (`line 7` for JSON Lines, `pairs[6]` for an array). Returns the validated pairs.
 */
export function parsePreferencePairs(text: string, dim?: number): PreferencePair<number[]>[] {
  if (typeof text !== 'string')
    throw new DroError('E_DTYPE', 'parsePreferencePairs: text must be a string', {
      argument: 'text',
      received: describeValue(text),
    });
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new DroError('E_IO', `parsePreferencePairs: not valid JSON (${(e as Error).message})`, {
        argument: 'text',
      });
    }
    validatePairs(parsed as PreferencePair[], 'parsePreferencePairs', dim);
    return parsed as PreferencePair<number[]>[];
  }
  const pairs: PreferencePair<number[]>[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((line, k) => {
    if (line.trim() === '') return;
    try {
      pairs.push(JSON.parse(line));
      lines.push(k + 1);
    } catch (e) {
      throw new DroError('E_IO', `parsePreferencePairs: line ${k + 1} is not valid JSON (${(e as Error).message})`, {
        argument: `line ${k + 1}`,
      });
    }
  });
  try {
    validatePairs(pairs, 'parsePreferencePairs', dim);
  } catch (e) {
    // Re-name the row by its line number, which is what a user can find in the file.
    const m = e instanceof DroError ? /^pairs\[(\d+)\]/.exec(e.argument ?? '') : null;
    if (!m || !(e instanceof DroError)) throw e;
    const line = lines[Number(m[1])] as number;
    throw new DroError(e.code, `parsePreferencePairs: line ${line}: ${e.message.replace(/^\[[A-Z_]+\] /, '')}`, {
      argument: `line ${line} (${e.argument})`,
    });
  }
  return pairs;
}
