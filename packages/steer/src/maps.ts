import {
  checkNumber,
  checkOptions,
  checkState,
  checkStateValues,
  DroError,
  describeValue,
  invalidState,
  opt,
  stateKind,
} from '@drojs/dro-core/host';
import * as tf from '@tensorflow/tfjs-core';

const KIND = stateKind('steer', 'SteerMaps');
/** The kind the spec's draft wrote; still accepted on restore. */
const LEGACY_KINDS = ['steer/maps'] as const;

/** JSON state of {@link SteerMaps}: float32 values written as JSON numbers (exact for float32). */
export interface SteerMapsState {
  kind: string;
  version: 1;
  layers: number[];
  widths: number[];
  omega: number[][];
  bias: number[][];
  strength: number;
}

/** Options of {@link SteerMaps}. */
export interface SteerMapsOptions {
  /** Layer indices the maps act on (as resolved by {@link resolveLayers}); distinct. */
  layers: number[];
  /** Number of neurons at each of `layers`. */
  widths: number[];
}

/** Touched neurons: `u_j = ω_j − 1 ≠ 0` or `b_j ≠ 0`. */
export interface TouchedCount {
  perLayer: number[];
  total: number;
}

function checkPositiveIntegers(values: unknown, argument: string, caller: string, min: number): number[] {
  if (!Array.isArray(values)) {
    throw new DroError('E_SPEC', `${caller}: ${argument} must be an array`, {
      argument,
      received: describeValue(values),
    });
  }
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new DroError('E_SPEC', `${caller}: ${argument} holds integers ≥ ${min}`, {
        argument: `${argument}[${i}]`,
        received: describeValue(v),
      });
    }
  });
  return values as number[];
}

/**
 * Per-neuron affine maps `T_ℓ(h) = ω_ℓ ⊙ h + b_ℓ` at chosen layers, applied with a strength `s`:
 * `T^s_ℓ(h) = h + s·((ω_ℓ − 1) ⊙ h + b_ℓ)` — `s = 0` is the unmodified network exactly, `s = 1` the
 * learned maps, `s > 1` extrapolates. `ω` and `b` are trainable `tf.Variable`s (starting at the identity);
 * call {@link SteerMaps.dispose} when done.
 */
export class SteerMaps {
  /** Layer indices, in the order given. */
  readonly layers: readonly number[];
  /** Neurons per layer. */
  readonly widths: readonly number[];
  private readonly omegaVars: tf.Variable[];
  private readonly biasVars: tf.Variable[];
  private s = 1;

  constructor(opts: SteerMapsOptions) {
    const caller = 'SteerMaps';
    checkOptions(opts, { layers: opt.array().require(), widths: opt.array().require() }, caller);
    const layers = checkPositiveIntegers(opts.layers, 'layers', caller, 0);
    const widths = checkPositiveIntegers(opts.widths, 'widths', caller, 1);
    if (layers.length === 0) throw new DroError('E_EMPTY', `${caller}: no layers`, { argument: 'layers' });
    if (widths.length !== layers.length) {
      throw new DroError('E_SHAPE', `${caller}: one width per layer`, {
        argument: 'widths',
        expected: `${layers.length} widths`,
        received: `${widths.length}`,
      });
    }
    if (new Set(layers).size !== layers.length) {
      throw new DroError('E_SPEC', `${caller}: a layer is listed twice`, { argument: 'layers' });
    }
    this.layers = [...layers];
    this.widths = [...widths];
    // The initial values are temporaries: the variables hold their own reference to the data.
    this.omegaVars = tf.tidy(() => widths.map((d) => tf.variable(tf.ones([d]), true)));
    this.biasVars = tf.tidy(() => widths.map((d) => tf.variable(tf.zeros([d]), true)));
  }

  private slot(layer: number, caller: string): number {
    const k = this.layers.indexOf(layer);
    if (k < 0) {
      throw new DroError('E_INDEX_RANGE', `${caller}: no map at layer ${layer}`, {
        argument: 'layer',
        expected: `one of [${this.layers.join(', ')}]`,
        received: describeValue(layer),
      });
    }
    return k;
  }

  /** A copy of `ω` at `layer`. */
  omega(layer: number): Float32Array {
    return Float32Array.from(this.omegaVars[this.slot(layer, 'SteerMaps.omega')]!.dataSync());
  }

  /** A copy of `b` at `layer`. */
  bias(layer: number): Float32Array {
    return Float32Array.from(this.biasVars[this.slot(layer, 'SteerMaps.bias')]!.dataSync());
  }

  /** Overwrites `ω` and `b` at `layer` (lengths must equal the layer's width: `E_SHAPE`). */
  setMap(layer: number, omega: ArrayLike<number>, bias: ArrayLike<number>): void {
    const k = this.slot(layer, 'SteerMaps.setMap');
    const d = this.widths[k]!;
    for (const [name, v] of [
      ['omega', omega],
      ['bias', bias],
    ] as const) {
      if (v?.length !== d) {
        throw new DroError('E_SHAPE', `SteerMaps.setMap: ${name} must have one value per neuron`, {
          argument: name,
          expected: `length ${d}`,
          received: describeValue(v?.length),
        });
      }
      for (let j = 0; j < d; j++) {
        if (!Number.isFinite(v[j])) {
          throw new DroError('E_NONFINITE', `SteerMaps.setMap: ${name} must be finite`, { argument: `${name}[${j}]` });
        }
      }
    }
    tf.tidy(() => {
      this.omegaVars[k]!.assign(tf.tensor1d(Float32Array.from(omega)));
      this.biasVars[k]!.assign(tf.tensor1d(Float32Array.from(bias)));
    });
  }

  /** The inference-time strength `s` (default 1). */
  get strength(): number {
    return this.s;
  }

  /** Sets the strength `s` (any finite number; 0 = off, 1 = learned, > 1 extrapolates). */
  setStrength(s: number): void {
    checkNumber(s, 'strength');
    this.s = s;
  }

  /** `h + s·((ω − 1) ⊙ h + b)` on the last axis of `h` (its width must match the layer: `E_SHAPE`). */
  apply(layer: number, h: tf.Tensor): tf.Tensor {
    const k = this.slot(layer, 'SteerMaps.apply');
    const d = this.widths[k]!;
    if (!(h instanceof tf.Tensor) || h.shape[h.shape.length - 1] !== d) {
      throw new DroError('E_SHAPE', `SteerMaps.apply: the activation at layer ${layer} must have ${d} features`, {
        argument: 'h',
        expected: `last axis ${d}`,
        received: h instanceof tf.Tensor ? `shape [${h.shape.join(', ')}]` : describeValue(h),
      });
    }
    return tf.tidy(() => {
      const u = tf.sub(this.omegaVars[k]!, 1);
      const delta = tf.add(tf.mul(u, h), this.biasVars[k]!);
      return tf.add(h, tf.mul(tf.scalar(this.s), delta));
    });
  }

  /** The trainable variables, `[ω_0, …, ω_L−1, b_0, …, b_L−1]` (for `tf.variableGrads`). */
  variables(): tf.Variable[] {
    return [...this.omegaVars, ...this.biasVars];
  }

  /** Neurons with `ω ≠ 1` or `b ≠ 0`, per layer and in total (exact zeros come from the proximal step). */
  touched(): TouchedCount {
    const perLayer = this.layers.map((_, k) => {
      const w = this.omegaVars[k]!.dataSync();
      const b = this.biasVars[k]!.dataSync();
      let c = 0;
      for (let j = 0; j < w.length; j++) if (w[j] !== 1 || b[j] !== 0) c++;
      return c;
    });
    return { perLayer, total: perLayer.reduce((a, c) => a + c, 0) };
  }

  /** The support the penalty chose: for each map layer, the indices of its touched neurons (ascending). */
  support(): { layer: number; neurons: number[] }[] {
    return this.layers.map((layer, k) => {
      const w = this.omegaVars[k]!.dataSync();
      const b = this.biasVars[k]!.dataSync();
      const neurons: number[] = [];
      for (let j = 0; j < w.length; j++) if (w[j] !== 1 || b[j] !== 0) neurons.push(j);
      return { layer, neurons };
    });
  }

  /** Printable summary: strength and touched neurons per layer. */
  summary(): string {
    const t = this.touched();
    const rows = this.layers.map((l, k) => `  layer ${l}: ${t.perLayer[k]} of ${this.widths[k]} neurons touched`);
    return [`SteerMaps (strength ${this.s})`, ...rows].join('\n');
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }

  /** Plain JSON state (float32 values as JSON numbers, exact). */
  getState(): SteerMapsState {
    return {
      kind: KIND,
      version: 1,
      layers: [...this.layers],
      widths: [...this.widths],
      omega: this.omegaVars.map((v) => Array.from(v.dataSync())),
      bias: this.biasVars.map((v) => Array.from(v.dataSync())),
      strength: this.s,
    };
  }

  /** Rebuilds maps from {@link SteerMaps.getState}; invalid states → `E_STATE_VERSION`. */
  static fromState(state: SteerMapsState): SteerMaps {
    checkState(state, KIND, [1], LEGACY_KINDS);
    const { layers, widths, omega, bias, strength } = state;
    if (!Array.isArray(layers) || !Array.isArray(widths) || layers.length !== widths.length || layers.length === 0) {
      throw invalidState('state.layers', 'matching non-empty layers and widths', describeValue(layers));
    }
    checkStateValues(layers, 'state.layers', { min: 0 });
    checkStateValues(widths, 'state.widths', { min: 1 });
    checkStateValues([strength], 'state.strength');
    for (const [name, rows] of [
      ['omega', omega],
      ['bias', bias],
    ] as const) {
      if (!Array.isArray(rows) || rows.length !== layers.length) {
        throw invalidState(`state.${name}`, `${layers.length} rows`, describeValue(rows));
      }
      rows.forEach((r, k) => {
        if (!Array.isArray(r) || r.length !== widths[k]) {
          throw invalidState(`state.${name}[${k}]`, `${widths[k]} values`, describeValue(r));
        }
        checkStateValues(r, `state.${name}[${k}]`);
      });
    }
    let maps: SteerMaps;
    try {
      maps = new SteerMaps({ layers, widths });
    } catch (e) {
      throw invalidState('state.layers', 'distinct integer layers and positive widths', (e as Error).message);
    }
    layers.forEach((l, k) => maps.setMap(l, omega[k]!, bias[k]!));
    maps.setStrength(strength);
    return maps;
  }
}
