import * as tf from '@tensorflow/tfjs-core';

/**
 * Adam with L2 weight decay added to the gradient (PyTorch's `Adam(weight_decay)`), kept here rather
 * than tf.train.adam so that its moments and step count are readable synchronously for getState.
 */
export class StateAdam {
  t = 0;
  /** Moment slots aligned with the owner's full variable list; null until a variable is first updated. */
  m: (tf.Variable | null)[] = [];
  v: (tf.Variable | null)[] = [];
  constructor(
    readonly lr: number,
    readonly weightDecay: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {}

  /**
   * One update. `vars` is the owner's full variable list (fixed order); variables without an entry
   * in `grads` (keyed by name) are left alone and keep their moments.
   */
  apply(vars: tf.Variable[], grads: Record<string, tf.Tensor>): void {
    while (this.m.length < vars.length) {
      this.m.push(null);
      this.v.push(null);
    }
    vars.forEach((p, i) => {
      if (grads[p.name] !== undefined && this.m[i] === null) {
        this.m[i] = tf.variable(tf.zerosLike(p), false);
        this.v[i] = tf.variable(tf.zerosLike(p), false);
      }
    });
    this.t++;
    const t = this.t;
    const bc1 = 1 - this.beta1 ** t;
    const bc2 = 1 - this.beta2 ** t;
    tf.tidy(() => {
      vars.forEach((p, i) => {
        let g = grads[p.name];
        if (g === undefined) return;
        if (this.weightDecay !== 0) g = tf.add(g, tf.mul(p, this.weightDecay));
        const mi = this.m[i] as tf.Variable;
        const vi = this.v[i] as tf.Variable;
        const m = tf.add(tf.mul(mi, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(vi, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        mi.assign(m);
        vi.assign(v);
        const step = tf.mul(tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), this.eps)), this.lr);
        p.assign(tf.sub(p, step));
      });
    });
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x?.dispose();
    this.m = [];
    this.v = [];
  }
}
