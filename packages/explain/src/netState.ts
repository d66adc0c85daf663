import { DroError, decodeF32, type EncodedTensor, encodeF32, invalidState } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** Bit-exact encodings of variables (layer order). @internal */
export function encodeVariables(vars: tf.Variable[]): EncodedTensor[] {
  return vars.map((v) => encodeF32(Float32Array.from(v.dataSync()), v.shape.slice()));
}

/**
 * Decodes stored weights for `vars` (shapes must match: E_SHAPE naming the network otherwise; malformed data:
 * E_STATE_VERSION). Returns host arrays; nothing is written yet. @internal
 */
export function decodeVariables(enc: unknown, vars: tf.Variable[], argument: string): Float32Array[] {
  if (!Array.isArray(enc)) throw invalidState(argument, 'a list of encoded tensors', typeof enc);
  if (enc.length !== vars.length) {
    throw new DroError('E_SHAPE', `fromState: ${argument} has ${vars.length} variables, the state ${enc.length}`, {
      argument,
      expected: `${enc.length} variables`,
      received: `${vars.length}`,
    });
  }
  return enc.map((e: EncodedTensor, i) => {
    const shape = vars[i]!.shape;
    if (!Array.isArray(e?.shape) || e.shape.join(',') !== shape.join(',')) {
      throw new DroError('E_SHAPE', `fromState: ${argument}[${i}] has another shape than the state`, {
        argument: `${argument}[${i}]`,
        expected: `[${e?.shape}]`,
        received: `[${shape}]`,
      });
    }
    let data: Float32Array;
    try {
      data = decodeF32(e, `${argument}[${i}]`);
    } catch {
      throw invalidState(`${argument}[${i}]`, 'an encoded float32 tensor', 'malformed data');
    }
    if (data.some((d) => !Number.isFinite(d))) throw invalidState(`${argument}[${i}]`, 'finite values', 'NaN or ±Inf');
    return data;
  });
}

/** Writes decoded weights into the variables. @internal */
export function writeVariables(vars: tf.Variable[], data: Float32Array[]): void {
  vars.forEach((v, i) => {
    tf.tidy(() => v.assign(tf.tensor(data[i]!, v.shape)));
  });
}

/** True when every variable equals the stored data bit for bit. @internal */
export function sameVariables(vars: tf.Variable[], data: Float32Array[]): boolean {
  return vars.every((v, i) => {
    const a = v.dataSync();
    const b = data[i]!;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return false;
    return true;
  });
}
