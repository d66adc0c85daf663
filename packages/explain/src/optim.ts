import {
  checkOptions,
  DroError,
  decodeF32,
  type EncodedTensor,
  encodeF32,
  invalidState,
  type OptionSchema,
  opt,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** Adam (decoupled weight decay, as AdamW) or SGD with momentum, implemented on slots this package owns. */
export type OptimizerSpec =
  | { name: 'adam'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number; weightDecay?: number }
  | { name: 'sgd'; learningRate: number; momentum?: number; weightDecay?: number };

/** Serialised optimiser slots. */
export interface OptimizerState {
  t: number;
  m: EncodedTensor[];
  v: EncodedTensor[];
}

const lr = () => opt.number({ min: 0, minExclusive: true }).require();
const beta = () => opt.number({ min: 0, max: 1, maxExclusive: true });
const ADAM: OptionSchema = {
  name: opt.oneOf(['adam'] as const),
  learningRate: lr(),
  beta1: beta(),
  beta2: beta(),
  epsilon: opt.number({ min: 0, minExclusive: true }),
  weightDecay: opt.number({ min: 0 }),
};
const SGD: OptionSchema = {
  name: opt.oneOf(['sgd'] as const),
  learningRate: lr(),
  momentum: beta(),
  weightDecay: opt.number({ min: 0 }),
};

/** Validates an optimiser spec and fills its defaults. @internal */
export function resolveOptimizer(spec: unknown, argument: string): Required<OptimizerSpec> {
  const name = (spec as { name?: unknown } | undefined)?.name;
  if (name === 'adam') {
    const s = checkOptions(spec as object, ADAM, argument) as Extract<OptimizerSpec, { name: 'adam' }>;
    return {
      name: 'adam',
      learningRate: s.learningRate,
      beta1: s.beta1 ?? 0.9,
      beta2: s.beta2 ?? 0.999,
      epsilon: s.epsilon ?? 1e-8,
      weightDecay: s.weightDecay ?? 0,
    } as Required<OptimizerSpec>;
  }
  if (name === 'sgd') {
    const s = checkOptions(spec as object, SGD, argument) as Extract<OptimizerSpec, { name: 'sgd' }>;
    return {
      name: 'sgd',
      learningRate: s.learningRate,
      momentum: s.momentum ?? 0,
      weightDecay: s.weightDecay ?? 0,
    } as Required<OptimizerSpec>;
  }
  throw new DroError('E_SPEC', `${argument}.name must be 'adam' or 'sgd'`, {
    argument: `${argument}.name`,
    expected: "'adam' | 'sgd'",
    received: String(name),
  });
}

/**
 * Adam/SGD over a fixed list of variables, with slots held as tensors this object owns so that the state can
 * be read synchronously (tfjs optimisers expose theirs only through async `getWeights`). @internal
 */
export class SlotOptimizer {
  private t = 0;
  private m: tf.Tensor[];
  private v: tf.Tensor[];

  constructor(
    readonly spec: Required<OptimizerSpec>,
    private readonly vars: tf.Variable[],
  ) {
    const needsM = spec.name === 'adam' || (spec as { momentum: number }).momentum > 0;
    this.m = needsM ? vars.map((x) => tf.keep(tf.zerosLike(x))) : [];
    this.v = spec.name === 'adam' ? vars.map((x) => tf.keep(tf.zerosLike(x))) : [];
  }

  /** One update with the given gradients (same order as the variables). */
  apply(grads: tf.Tensor[]): void {
    const s = this.spec;
    this.t += 1;
    const newM: tf.Tensor[] = [];
    const newV: tf.Tensor[] = [];
    tf.tidy(() => {
      this.vars.forEach((theta, i) => {
        const g = grads[i]!;
        let step: tf.Tensor;
        if (s.name === 'adam') {
          const m = tf.add(tf.mul(s.beta1, this.m[i]!), tf.mul(1 - s.beta1, g));
          const v = tf.add(tf.mul(s.beta2, this.v[i]!), tf.mul(1 - s.beta2, tf.square(g)));
          newM.push(tf.keep(m));
          newV.push(tf.keep(v));
          const bc1 = 1 - s.beta1 ** this.t;
          const bc2 = 1 - s.beta2 ** this.t;
          step = tf.mul(s.learningRate, tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), s.epsilon)));
        } else if (this.m.length > 0) {
          const b = tf.add(tf.mul((s as { momentum: number }).momentum, this.m[i]!), g);
          newM.push(tf.keep(b));
          step = tf.mul(s.learningRate, b);
        } else {
          step = tf.mul(s.learningRate, g);
        }
        // Decoupled weight decay on the parameters before this update (AdamW).
        let next = tf.sub(theta, step);
        if (s.weightDecay > 0) next = tf.sub(next, tf.mul(s.learningRate * s.weightDecay, theta));
        theta.assign(next);
      });
    });
    for (const x of this.m) x.dispose();
    for (const x of this.v) x.dispose();
    if (newM.length > 0) this.m = newM;
    if (newV.length > 0) this.v = newV;
  }

  getState(): OptimizerState {
    const enc = (x: tf.Tensor) => encodeF32(Float32Array.from(x.dataSync()), x.shape.slice());
    return { t: this.t, m: this.m.map(enc), v: this.v.map(enc) };
  }

  /** Restores slots (validated against the variables' shapes first). */
  setState(state: OptimizerState, argument: string): void {
    if (!state || !Number.isInteger(state.t) || state.t < 0 || !Array.isArray(state.m) || !Array.isArray(state.v)) {
      throw invalidState(argument, '{t, m, v}', typeof state);
    }
    const load = (list: EncodedTensor[], want: number, what: string): tf.Tensor[] => {
      if (list.length !== want) throw invalidState(`${argument}.${what}`, `${want} tensors`, `${list.length}`);
      return list.map((e, i) => {
        const shape = this.vars[i]!.shape;
        if (!Array.isArray(e?.shape) || e.shape.join(',') !== shape.join(',')) {
          throw invalidState(`${argument}.${what}[${i}]`, `shape [${shape}]`, `[${e?.shape}]`);
        }
        let data: Float32Array;
        try {
          data = decodeF32(e, `${argument}.${what}[${i}]`);
        } catch {
          throw invalidState(`${argument}.${what}[${i}]`, 'an encoded float32 tensor', 'malformed data');
        }
        if (data.some((d) => !Number.isFinite(d))) throw invalidState(`${argument}.${what}[${i}]`, 'finite', 'NaN');
        return tf.keep(tf.tensor(data, shape));
      });
    };
    const m = load(state.m, this.m.length, 'm');
    const v = load(state.v, this.v.length, 'v');
    for (const x of this.m) x.dispose();
    for (const x of this.v) x.dispose();
    this.m = m;
    this.v = v;
    this.t = state.t;
  }

  dispose(): void {
    for (const x of this.m) x.dispose();
    for (const x of this.v) x.dispose();
    this.m = [];
    this.v = [];
  }
}
