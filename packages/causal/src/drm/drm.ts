import {
  checkNumber,
  checkState,
  createRng,
  DroError,
  decodeF32,
  type EncodedTensor,
  encodeF32,
  invalidState,
  type Rng,
  type Seed,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { LayersModel, Sequential } from '@tensorflow/tfjs-layers';
import { StateAdam } from './adam.js';
import { checkAdaptOptions, checkDrmOptions, checkPredictOptions, DRM_KIND, DRM_LEGACY_KIND } from './drmOptions.js';
import { drmRules } from './rules.js';

export interface DrmOptions {
  /** Shared featurizer φ (a tfjs-layers model). */
  featurizer: LayersModel;
  numDomains: number;
  numClasses: number;
  /** Inferred from the featurizer's output shape. */
  featureDim?: number;
  /** D + 1 pre-trained heads (pooled last), tfjs-layers models on the features; default: linear heads. */
  heads?: LayersModel[];
  learningRate?: number;
  weightDecay?: number;
  /** dro-core `Seed`: a non-negative safe integer or a string (required). */
  seed: Seed;
}

export interface AdaptOptions {
  beta: number;
  gamma: number;
  steps?: number;
  lrScale?: number;
  label?: 'drm' | 'own' | 'last' | 'uniform';
  update?: 'heads' | 'all';
  predict?: 'before' | 'after';
  includePooled?: boolean;
  /** Reproduces the reference's dropped pooled head and double softmax (for matching only). */
  referenceQuirks?: boolean;
}

export type DrmSelect = 'batch-entropy' | 'sample-entropy' | 'weighted' | 'pooled' | number;

/** A tfjs-layers model in a state: class name, config and weights. */
export interface SerializedModel {
  className: string;
  config: unknown;
  weights: EncodedTensor[];
}

export interface DrmState {
  /** `'@drojs/causal/Drm'` (`'causal.Drm'` before the platform; such states still load). */
  kind: string;
  version: 1;
  options: {
    numDomains: number;
    numClasses: number;
    featureDim: number;
    learningRate: number;
    weightDecay: number;
    seed: number | string;
  };
  featurizer: SerializedModel;
  heads: { W: EncodedTensor; b: EncodedTensor }[] | { models: SerializedModel[] };
  optimizer: { t: number; m: (EncodedTensor | null)[]; v: (EncodedTensor | null)[] };
  adaptation: null | { lrScale: number; t: number; m: (EncodedTensor | null)[]; v: (EncodedTensor | null)[] };
  trained: EncodedTensor[] | null;
  rng: ReturnType<Rng['getState']>;
}

const enc = (t: tf.Tensor) => encodeF32(Float32Array.from(t.dataSync()), t.shape.slice());
const encOrNull = (t: tf.Tensor | null) => (t === null ? null : enc(t));

function serializeModel(model: LayersModel): SerializedModel {
  const className = model.getClassName();
  const config = JSON.parse(JSON.stringify(model.getConfig()));
  // Refuse a state that could not be restored (e.g. unregistered custom layers).
  try {
    const probe = deserializeModel({ className, config, weights: [] }, false);
    probe.dispose();
  } catch (e) {
    throw new DroError('E_SPEC', `the featurizer cannot be serialised by tfjs-layers: ${(e as Error).message}`, {
      argument: 'featurizer',
    });
  }
  return { className, config, weights: model.getWeights().map(enc) };
}

function deserializeModel(s: SerializedModel, setWeights = true): LayersModel {
  // fromConfig mutates its argument: always hand it a copy.
  // biome-ignore lint/suspicious/noExplicitAny: tfjs-layers' fromConfig takes its own config type
  const cfg = JSON.parse(JSON.stringify(s.config)) as any;
  const model =
    s.className === 'Sequential'
      ? (Sequential.fromConfig(Sequential, cfg) as LayersModel)
      : (LayersModel.fromConfig(LayersModel, cfg) as LayersModel);
  if (setWeights) {
    const ws = model.weights;
    if (ws.length !== s.weights.length)
      throw new DroError('E_SPEC', 'featurizer weights do not match its topology', { argument: 'state.featurizer' });
    const tensors = s.weights.map((w) => tf.tensor(decodeF32(w, 'state.featurizer'), w.shape));
    model.setWeights(tensors);
    for (const t of tensors) t.dispose();
  }
  return model;
}

function checkBatchX(x: unknown, argument: string): tf.Tensor {
  if (!(x instanceof tf.Tensor)) throw new DroError('E_DTYPE', `${argument} must be a tensor`, { argument });
  if (x.shape[0] === 0) throw new DroError('E_EMPTY', `${argument} is an empty batch`, { argument });
  const d = x.dataSync();
  const width = d.length / x.shape[0];
  for (let i = 0; i < d.length; i++)
    if (!Number.isFinite(d[i])) {
      const row = Math.floor(i / width);
      throw new DroError('E_NONFINITE', `${argument} has a non-finite entry at row ${row}, column ${i - row * width}`, {
        argument,
      });
    }
  return x;
}

/**
 * Domain-specific risk minimisation (Zhang et al., KDD 2023): one linear head per source domain plus a
 * pooled head on a shared featurizer; entropy-based head selection; online test-time adaptation with
 * pseudo-labels. Head weights are initialised on the host from the seeded Rng; the optimiser is Adam.
 */
export class Drm {
  private featurizer: LayersModel;
  private headW: tf.Variable[] = [];
  private headB: tf.Variable[] = [];
  /** Pre-trained model heads (when given); otherwise the linear heads above. */
  private headModels: LayersModel[] | null = null;
  private readonly opt: DrmState['options'];
  private optimizer: StateAdam;
  private adaptOpt: StateAdam | null = null;
  private adaptLrScale = 1;
  private trained: Float32Array[] | null = null;
  private rng: Rng;

  constructor(o: DrmOptions) {
    checkDrmOptions(o);
    if (!(o.featurizer instanceof LayersModel))
      throw new DroError('E_SPEC', 'featurizer must be a tfjs-layers model', { argument: 'featurizer' });
    const D = checkNumber(o.numDomains, 'numDomains', { min: 1, integer: true });
    const C = checkNumber(o.numClasses, 'numClasses', { min: 2, integer: true });
    const outShape = o.featurizer.outputs[0]!.shape;
    const fd = o.featureDim ?? (outShape[outShape.length - 1] as number);
    checkNumber(fd, 'featureDim', { min: 1, integer: true });
    const lr = checkNumber(o.learningRate ?? 1e-3, 'learningRate', { min: 0, minExclusive: true });
    const wd = checkNumber(o.weightDecay ?? 0, 'weightDecay', { min: 0 });
    this.opt = { numDomains: D, numClasses: C, featureDim: fd, learningRate: lr, weightDecay: wd, seed: o.seed };
    this.featurizer = o.featurizer;
    this.rng = createRng(o.seed);
    const init = this.rng.fork('drm/init');
    if (o.heads !== undefined) {
      if (!Array.isArray(o.heads) || o.heads.length !== D + 1 || !o.heads.every((h) => h instanceof LayersModel))
        throw new DroError('E_SHAPE', `heads must be ${D + 1} tfjs-layers models (domain heads, pooled last)`, {
          argument: 'heads',
        });
      this.headModels = o.heads.slice();
    }
    // Glorot-uniform linear heads, drawn on the host (never tf.random*).
    const lim = Math.sqrt(6 / (fd + C));
    for (let h = 0; h <= D && this.headModels === null; h++) {
      const w = Float32Array.from({ length: fd * C }, () => (2 * init.uniform() - 1) * lim);
      this.headW.push(tf.variable(tf.tensor2d(w, [fd, C]), true, `drm_head${h}_W_${uid()}`));
      this.headB.push(tf.variable(tf.zeros([C]), true, `drm_head${h}_b_${uid()}`));
    }
    this.optimizer = new StateAdam(lr, wd);
  }

  get numHeads(): number {
    return this.opt.numDomains + 1;
  }

  /** Number of adaptation optimiser updates so far (0 before the first kept batch). */
  get adaptationSteps(): number {
    return this.adaptOpt?.t ?? 0;
  }

  private featVars(): tf.Variable[] {
    return this.featurizer.trainableWeights.map((w) => w.read() as tf.Variable);
  }
  private headVars(): tf.Variable[] {
    if (this.headModels !== null)
      return this.headModels.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
    return [...this.headW, ...this.headB];
  }
  private allVars(): tf.Variable[] {
    return [...this.featVars(), ...this.headVars()];
  }

  private features(x: tf.Tensor, training: boolean): tf.Tensor2D {
    return this.featurizer.apply(x, { training }) as tf.Tensor2D;
  }

  private headLogits(f: tf.Tensor2D, h: number): tf.Tensor2D {
    if (this.headModels !== null) return this.headModels[h]!.apply(f) as tf.Tensor2D;
    return tf.add(tf.matMul(f, this.headW[h]!), this.headB[h]!) as tf.Tensor2D;
  }

  private checkLabels(y: unknown, n: number, argument: string): tf.Tensor1D {
    if (!(y instanceof tf.Tensor) || y.rank !== 1)
      throw new DroError('E_DTYPE', `${argument} must be a 1-D tensor of labels`, { argument });
    if (y.shape[0] !== n)
      throw new DroError('E_SHAPE', `${argument} has ${y.shape[0]} labels for ${n} rows`, { argument });
    if (y.dtype !== 'int32')
      throw new DroError('E_DTYPE', `${argument} must be an int32 tensor of class labels`, {
        argument,
        received: y.dtype,
      });
    const d = y.dataSync();
    for (let i = 0; i < d.length; i++) {
      if (d[i]! < 0 || d[i]! >= this.opt.numClasses)
        throw new DroError('E_LABEL_RANGE', `${argument}[${i}] = ${d[i]} is outside [0, ${this.opt.numClasses})`, {
          argument,
        });
    }
    return y as tf.Tensor1D;
  }

  private static ce(logits: tf.Tensor2D, labels: tf.Tensor1D, C: number): tf.Scalar {
    const logp = tf.sub(logits, tf.logSumExp(logits, 1, true));
    const oh = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, C);
    return tf.neg(tf.mean(tf.sum(tf.mul(logp, oh), 1))) as tf.Scalar;
  }

  /**
   * One optimisation step on one batch per source domain (in domain order):
   * (1/D)·Σ_d ½[CE(h_d(φ(x_d)), y_d) + CE(h_pooled(φ(x_d)), y_d)]. Returns the loss.
   */
  trainStep(batches: { x: tf.Tensor; y: tf.Tensor1D }[]): number {
    const D = this.opt.numDomains;
    if (!Array.isArray(batches) || batches.length !== D)
      throw new DroError(
        'E_SHAPE',
        `trainStep needs ${D} batches (one per domain), got ${Array.isArray(batches) ? batches.length : 'none'}`,
        {
          argument: 'batches',
        },
      );
    batches.forEach((b, d) => {
      checkBatchX(b?.x, `batches[${d}].x`);
      this.checkLabels(b.y, b.x.shape[0], `batches[${d}].y`);
    });
    const vars = [...this.featVars(), ...this.headVars()];
    const C = this.opt.numClasses;
    const { value, grads } = tf.variableGrads(() => {
      let total = tf.scalar(0);
      batches.forEach((b, d) => {
        const f = this.features(b.x, true);
        const own = Drm.ce(this.headLogits(f, d), b.y, C);
        const pooled = Drm.ce(this.headLogits(f, D), b.y, C);
        total = tf.add(total, tf.mul(tf.add(own, pooled), 0.5));
      });
      return tf.div(total, D) as tf.Scalar;
    }, vars);
    this.optimizer.apply(this.allVars(), grads);
    const loss = value.dataSync()[0]!; // a scalar
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
    return loss;
  }

  /** Logits of every head on a batch, read back to the host ([D+1][B][C]). */
  private hostLogits(x: tf.Tensor, feats?: tf.Tensor2D): number[][][] {
    return tf.tidy(() => {
      const f = feats ?? this.features(x, false);
      return Array.from({ length: this.numHeads }, (_, h) => this.headLogits(f, h).arraySync() as number[][]);
    });
  }

  private combineHost(
    logits: number[][][],
    sel: DrmSelect,
    gamma: number,
    includePooled: boolean,
    quirks = false,
  ): number[][] {
    const P = drmRules.softmax(logits);
    const H = drmRules.entropy(logits);
    // P has numDomains + 1 heads (checked by drmRules.softmax against the model's heads).
    if (sel === 'pooled') return P[this.opt.numDomains]!;
    if (typeof sel === 'number') {
      if (!Number.isInteger(sel) || sel < 0 || sel > this.opt.numDomains)
        throw new DroError('E_SPEC', `select head ${sel} is out of range`, { argument: 'select' });
      return P[sel]!;
    }
    if (sel === 'batch-entropy') return P[drmRules.batchHead(H)]!;
    if (sel === 'sample-entropy' || (sel === 'weighted' && gamma < 0))
      return drmRules.sampleHeads(H).map((h, b) => P[h]![b]!);
    if (sel !== 'weighted') throw new DroError('E_SPEC', `unknown select ${String(sel)}`, { argument: 'select' });
    const w = drmRules.weights(H, gamma);
    if (quirks) return drmRules.combine(P, w, { form: 'reference' });
    return drmRules.combine(P, w, { form: includePooled ? 'all-heads' : 'domain-renormalised' });
  }

  /** Class probabilities under a selection rule (default: the head of lowest mean batch entropy). */
  predict(x: tf.Tensor, o: { select?: DrmSelect; gamma?: number; includePooled?: boolean } = {}): tf.Tensor2D {
    checkPredictOptions(o);
    checkBatchX(x, 'x');
    const gamma = o.gamma ?? 1;
    if (typeof gamma !== 'number' || Number.isNaN(gamma))
      throw new DroError('E_SPEC', 'gamma must be a number', { argument: 'gamma' });
    const R = this.combineHost(this.hostLogits(x), o.select ?? 'batch-entropy', gamma, o.includePooled ?? true);
    return tf.tensor2d(R);
  }

  /**
   * Online test-time adaptation on one unlabelled batch: pseudo-labels from the DRM combination (or
   * 'uniform', 'last', 'own'), keep confidence ≥ β, `steps` Adam updates (lr × lrScale) of the heads
   * (or everything). Returns the prediction computed before the last update ('before', default).
   */
  adapt(x: tf.Tensor, o: AdaptOptions): { probs: tf.Tensor2D; kept: number; loss: number } {
    checkAdaptOptions(o);
    const beta = checkNumber(o.beta, 'beta', { min: 0, max: 1 });
    const gamma = o.gamma;
    if (typeof gamma !== 'number' || !Number.isFinite(gamma))
      throw new DroError('E_SPEC', 'gamma must be a finite number', { argument: 'gamma' });
    const steps = checkNumber(o.steps ?? 1, 'steps', { min: 1, integer: true });
    const lrScale = checkNumber(o.lrScale ?? 1, 'lrScale', { min: 0, minExclusive: true });
    const label = o.label ?? 'drm';
    if (!['drm', 'own', 'last', 'uniform'].includes(label))
      throw new DroError('E_SPEC', `unknown label mode ${label}`, { argument: 'label' });
    const update = o.update ?? 'heads';
    if (update !== 'heads' && update !== 'all')
      throw new DroError('E_SPEC', "update must be 'heads' or 'all'", { argument: 'update' });
    const predictMode = o.predict ?? 'before';
    if (predictMode !== 'before' && predictMode !== 'after')
      throw new DroError('E_SPEC', "predict must be 'before' or 'after'", { argument: 'predict' });
    const includePooled = o.includePooled ?? true;
    const quirks = o.referenceQuirks ?? false;
    checkBatchX(x, 'x');
    if (this.adaptOpt === null) {
      this.trained = [...this.featVars(), ...this.headVars()].map((v) => Float32Array.from(v.dataSync()));
      this.adaptOpt = new StateAdam(this.opt.learningRate * lrScale, this.opt.weightDecay);
      this.adaptLrScale = lrScale;
    }
    const D1 = this.numHeads;
    const C = this.opt.numClasses;
    const training = update === 'all';
    // Heads-only: features once per batch, featurizer in inference mode.
    const fixed = update === 'heads' ? tf.tidy(() => this.features(x, false)) : null;
    const vars = update === 'heads' ? this.headVars() : [...this.featVars(), ...this.headVars()];
    let pred: number[][] = [];
    let kept = 0;
    let lossV = 0;
    try {
      for (let s = 0; s < steps; s++) {
        const logits = fixed
          ? this.hostLogits(x, fixed)
          : tf.tidy(() => this.hostLogits(x, this.features(x, training)));
        pred = this.combineHost(logits, 'weighted', gamma, includePooled, quirks);
        const P = drmRules.softmax(logits);
        // Per head: pseudo-labels and keep mask.
        let perHead: { label: number[]; keep: boolean[] }[];
        if (label === 'own') perHead = P.map((p) => drmRules.pseudoLabels(p, beta));
        else {
          const R =
            label === 'drm'
              ? pred
              : label === 'last'
                ? P[D1 - 1]!
                : P[0]!.map((_, b) => P[0]![b]!.map((_, c) => P.reduce((t, h) => t + h[b]![c]!, 0) / D1));
          const pl = drmRules.pseudoLabels(R, beta, {
            doubleSoftmax: quirks && (label === 'drm' || label === 'uniform'),
          });
          perHead = P.map(() => pl);
        }
        kept = perHead[0]!.keep.filter(Boolean).length;
        const anyKept = perHead.some((p) => p.keep.some(Boolean));
        if (!anyKept) {
          lossV = 0;
          continue;
        }
        const { value, grads } = tf.variableGrads(() => {
          const f = fixed ?? this.features(x, training);
          let total = tf.scalar(0);
          perHead.forEach((p, h) => {
            const idx = p.keep.flatMap((k, b) => (k ? [b] : []));
            if (idx.length === 0) return;
            const ii = tf.tensor1d(idx, 'int32');
            const lg = tf.gather(this.headLogits(f, h), ii) as tf.Tensor2D;
            const yy = tf.tensor1d(
              idx.map((b) => p.label[b]!),
              'int32',
            );
            total = tf.add(total, Drm.ce(lg, yy, C));
          });
          return total as tf.Scalar;
        }, vars);
        this.adaptOpt.apply(this.allVars(), grads);
        lossV = value.dataSync()[0]!;
        value.dispose();
        for (const g of Object.values(grads)) g.dispose();
      }
      if (predictMode === 'after') {
        const logits = fixed ? this.hostLogits(x, fixed) : this.hostLogits(x);
        pred = this.combineHost(logits, 'weighted', gamma, includePooled, quirks);
      }
    } finally {
      fixed?.dispose();
    }
    return { probs: tf.tensor2d(pred), kept, loss: lossV };
  }

  /** Restores the trained weights and drops the adaptation optimiser. */
  reset(): void {
    if (this.trained !== null) {
      const vars = [...this.featVars(), ...this.headVars()];
      vars.forEach((v, i) => {
        tf.tidy(() => v.assign(tf.tensor(this.trained![i]!, v.shape)));
      });
    }
    this.adaptOpt?.dispose();
    this.adaptOpt = null;
    this.trained = null;
  }

  getState(): DrmState {
    const vars = [...this.featVars(), ...this.headVars()];
    return {
      kind: DRM_KIND,
      version: 1,
      options: { ...this.opt },
      featurizer: serializeModel(this.featurizer),
      heads:
        this.headModels !== null
          ? { models: this.headModels.map(serializeModel) }
          : this.headW.map((W, h) => ({ W: enc(W), b: enc(this.headB[h]!) })),
      optimizer: { t: this.optimizer.t, m: this.optimizer.m.map(encOrNull), v: this.optimizer.v.map(encOrNull) },
      adaptation:
        this.adaptOpt === null
          ? null
          : {
              lrScale: this.adaptLrScale,
              t: this.adaptOpt.t,
              m: this.adaptOpt.m.map(encOrNull),
              v: this.adaptOpt.v.map(encOrNull),
            },
      trained: this.trained === null ? null : this.trained.map((t, i) => encodeF32(t, vars[i]!.shape.slice())),
      rng: this.rng.getState(),
    };
  }

  static fromState(s: DrmState): Drm {
    checkState(s, DRM_KIND, [1], [DRM_LEGACY_KIND]);
    if (!s.featurizer || !s.heads || typeof s.heads !== 'object' || !s.optimizer)
      throw invalidState('state', 'featurizer, heads and optimizer', 'a state without them');
    const featurizer = deserializeModel(s.featurizer);
    const models = Array.isArray(s.heads) ? null : s.heads.models.map((m) => deserializeModel(m));
    const d = new Drm({ ...s.options, featurizer, ...(models ? { heads: models } : {}) });
    if (Array.isArray(s.heads)) {
      if (s.heads.length !== d.numHeads) throw invalidState('state.heads', `${d.numHeads} heads`, `${s.heads.length}`);
      const load = (v: tf.Variable, e: EncodedTensor) => tf.tidy(() => v.assign(tf.tensor(decodeF32(e), v.shape)));
      s.heads.forEach((h, i) => {
        load(d.headW[i]!, h.W);
        load(d.headB[i]!, h.b);
      });
    }
    const slot = (e: EncodedTensor | null) =>
      e === null ? null : tf.variable(tf.tensor(decodeF32(e), e.shape), false);
    const restoreAdam = (a: StateAdam, st: { t: number; m: (EncodedTensor | null)[]; v: (EncodedTensor | null)[] }) => {
      a.t = st.t;
      a.m = st.m.map(slot);
      a.v = st.v.map(slot);
    };
    restoreAdam(d.optimizer, s.optimizer);
    if (s.adaptation) {
      d.adaptOpt = new StateAdam(s.options.learningRate * s.adaptation.lrScale, s.options.weightDecay);
      d.adaptLrScale = s.adaptation.lrScale;
      restoreAdam(d.adaptOpt, s.adaptation);
    }
    d.trained = s.trained === null ? null : s.trained.map((e) => decodeF32(e));
    d.rng = createRng(0);
    d.rng.setState(s.rng);
    return d;
  }

  /** Frees the head variables and optimiser state (the featurizer belongs to the caller). */
  dispose(): void {
    // Linear heads belong to the Drm; pre-trained head models, like the featurizer, to the caller.
    if (this.headModels === null) for (const v of this.headVars()) v.dispose();
    this.optimizer.dispose();
    this.adaptOpt?.dispose();
  }
}

let counter = 0;
function uid(): number {
  counter += 1;
  return counter;
}
