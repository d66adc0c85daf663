import { DroError, describeValue } from './errors.js';

/**
 * The one scheme for a state's `kind`: `'@drojs/<package>/<ClassName>'`, e.g.
 * `stateKind('dro-core', 'GroupDroWeights')` → `'@drojs/dro-core/GroupDroWeights'`.
 */
export function stateKind(pkg: string, className: string): string {
  return `@drojs/${pkg}/${className}`;
}

/** The error for a state whose values are invalid (tampered or corrupt): `E_STATE_VERSION`. */
export function invalidState(argument: string, expected: string, received: string): DroError {
  return new DroError('E_STATE_VERSION', `invalid state: ${argument}`, { argument, expected, received });
}

/**
 * Value checks on restore (a state that passes its header check can still be tampered with): throws
 * `E_STATE_VERSION` unless every entry is finite and, when `range` is given, inside it.
 */
export function checkStateValues(
  values: ArrayLike<number>,
  argument: string,
  range: { min?: number; max?: number } = {},
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      (range.min !== undefined && v < range.min) ||
      (range.max !== undefined && v > range.max)
    ) {
      const lo = range.min === undefined ? '' : ` ≥ ${range.min}`;
      const hi = range.max === undefined ? '' : ` ≤ ${range.max}`;
      throw invalidState(`${argument}[${i}]`, `a finite number${lo}${hi}`, describeValue(v));
    }
  }
}

/** Throws `E_STATE_VERSION` unless `weights` is a probability vector (non-negative, summing to 1 within `tol`). */
export function checkStateSimplex(weights: ArrayLike<number>, argument: string, tol = 1e-6): void {
  checkStateValues(weights, argument, { min: 0 });
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i] as number;
  if (Math.abs(sum - 1) > tol) throw invalidState(argument, 'weights summing to 1', `a sum of ${sum}`);
}

/** Fields every serialised state carries. */
export interface StateHeader {
  kind: string;
  version: number;
}

/**
 * Validates a state object's `kind` and `version` before anything is built from it:
 * E_SPEC for a non-object, E_STATE_VERSION for a foreign kind or unsupported version. `legacyKinds` are the
 * kind strings a class wrote before the one `@drojs/<package>/<Class>` scheme; their states still load.
 */
export function checkState(
  state: unknown,
  kind: string,
  versions: readonly number[],
  legacyKinds: readonly string[] = [],
): void {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new DroError('E_SPEC', 'state must be an object', { argument: 'state', received: describeValue(state) });
  }
  const s = state as Partial<StateHeader>;
  if (s.kind !== kind && !legacyKinds.includes(s.kind as string)) {
    throw new DroError('E_STATE_VERSION', `state is not a ${kind} state`, {
      argument: 'state.kind',
      expected: JSON.stringify(kind),
      received: describeValue(s.kind),
    });
  }
  if (typeof s.version !== 'number' || !versions.includes(s.version)) {
    throw new DroError('E_STATE_VERSION', `unsupported ${kind} state version`, {
      argument: 'state.version',
      expected: versions.join(' or '),
      received: describeValue(s.version),
    });
  }
}

/** Base64 encoding of float64 arrays, bit-exact (NaN included). */
export interface EncodedF64 {
  encoding: 'base64-f64le';
  length: number;
  data: string;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(data: string): Uint8Array {
  const s = atob(data);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function encodeF64(values: ArrayLike<number>): EncodedF64 {
  const bytes = new Uint8Array(values.length * 8);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) dv.setFloat64(i * 8, values[i] as number, true);
  return { encoding: 'base64-f64le', length: values.length, data: toBase64(bytes) };
}

export function decodeF64(enc: EncodedF64, argument = 'state'): Float64Array {
  if (enc?.encoding !== 'base64-f64le' || typeof enc.data !== 'string' || !Number.isInteger(enc.length)) {
    throw new DroError('E_SPEC', 'malformed base64-f64le array', { argument });
  }
  const bytes = fromBase64(enc.data);
  if (bytes.length !== enc.length * 8) {
    throw new DroError('E_SPEC', 'base64-f64le length mismatch', {
      argument,
      expected: `${enc.length * 8} bytes`,
      received: `${bytes.length}`,
    });
  }
  const dv = new DataView(bytes.buffer);
  const out = new Float64Array(enc.length);
  for (let i = 0; i < enc.length; i++) out[i] = dv.getFloat64(i * 8, true);
  return out;
}

/** Float32 tensor data as JSON: `{dtype, shape, encoding: 'base64-f32le', data}`, bit-exact. */
export interface EncodedTensor {
  dtype: 'float32' | 'int32';
  shape: number[];
  encoding: 'base64-f32le' | 'json';
  data: string | number[];
}

export function encodeF32(values: Float32Array, shape: number[]): EncodedTensor {
  return {
    dtype: 'float32',
    shape,
    encoding: 'base64-f32le',
    data: toBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)),
  };
}

export function decodeF32(enc: EncodedTensor, argument = 'state'): Float32Array {
  if (!enc || !Array.isArray(enc.shape)) throw new DroError('E_SPEC', 'malformed tensor encoding', { argument });
  const n = enc.shape.reduce((a, b) => a * b, 1);
  let out: Float32Array;
  if (enc.encoding === 'json' && Array.isArray(enc.data)) out = Float32Array.from(enc.data);
  else if (enc.encoding === 'base64-f32le' && typeof enc.data === 'string') {
    const b = fromBase64(enc.data);
    out = new Float32Array(b.buffer, 0, b.length / 4);
  } else throw new DroError('E_SPEC', 'malformed tensor encoding', { argument });
  if (out.length !== n) {
    throw new DroError('E_SPEC', 'tensor encoding length mismatch', {
      argument,
      expected: `${n}`,
      received: `${out.length}`,
    });
  }
  return out;
}

/** Float64 array → JSON array with NaN/±Infinity written as null (JSON has neither). */
export function toJsonNumbers(values: ArrayLike<number>): (number | null)[] {
  return Array.from(values, (v) => (Number.isFinite(v) ? v : null));
}

/** Inverse of {@link toJsonNumbers}: null → `nullAs` (NaN by default). */
export function fromJsonNumbers(values: unknown, argument: string, nullAs = Number.NaN): Float64Array {
  if (!Array.isArray(values))
    throw new DroError('E_SPEC', 'expected an array of numbers', { argument, received: describeValue(values) });
  return Float64Array.from(values, (v) => {
    if (v === null) return nullAs;
    if (typeof v !== 'number')
      throw new DroError('E_SPEC', 'expected numbers or null', { argument, received: describeValue(v) });
    return v;
  });
}
