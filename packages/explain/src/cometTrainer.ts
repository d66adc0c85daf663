import {
  checkAborted,
  checkOptions,
  checkSeed,
  checkState,
  createRng,
  DroError,
  Rng,
  type Seed,
  stateKind,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type CometTerms,
  cometLossCore,
  meanCrossEntropy,
  type ResolvedLossOptions,
  readTerms,
  resolveLossOptions,
} from './cometLoss.js';
import {
  type CometEpochMeans,
  type CometFitOptions,
  type CometModel,
  type CometNets,
  type CometStepInfo,
  type CometTrainerOptions,
  type CometTrainerState,
  FIT_OPTIONS,
  OPTIONS,
} from './cometTrainerOptions.js';
import { type ExplainOptions, type Explanation, explain } from './explain.js';
import { type Fill, fillInput, imageInput, labelsInput } from './inputs.js';
import { decodeVariables, encodeVariables, sameVariables, writeVariables } from './netState.js';
import { checkCallable, checkTrainable, netVariables, runNet, type TrainableNet } from './nets.js';
import { type OptimizerSpec, resolveOptimizer, SlotOptimizer } from './optim.js';
import { selectorLogits } from './selector.js';

export type {
  CometEpochMeans,
  CometFitOptions,
  CometModel,
  CometNets,
  CometStepInfo,
  CometTrainerOptions,
  CometTrainerState,
} from './cometTrainerOptions.js';

const KIND = stateKind('explain', 'CometTrainer');

function fillToJson(fill: Fill): unknown {
  if (typeof fill === 'number') return fill;
  if (fill instanceof tf.Tensor) return fill.arraySync();
  return Array.isArray(fill) ? fill : Array.from(fill as ArrayLike<number>);
}

function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return rng.shuffle(p);
}

/**
 * Trains a COMET selector and predictor against a detector (spec §3.5): every step takes the selector's
 * gradient of the whole objective and the predictor's gradient of its own cross-entropy `ℓ_P` at the same
 * parameters, then applies both (simultaneous); a frozen detector never enters a variable list, an adversarial
 * one minimises `ℓ_D`. Batches follow `rng.fork('explain/epoch/<e>')` of the base stream, so a restored
 * trainer redraws the same order. The user's networks are updated in place; {@link dispose} frees only the
 * optimiser slots.
 */
export class CometTrainer {
  private readonly opts: ResolvedLossOptions & {
    detectorMode: 'frozen' | 'adversarial';
    batchSize: number;
    seed: Seed | null;
    optimizer: Required<OptimizerSpec>;
    detectorOptimizer: Required<OptimizerSpec> | null;
  };
  private base: Rng;
  private readonly vars: { selector: tf.Variable[]; predictor: tf.Variable[]; detector: tf.Variable[] };
  private readonly optim: { selector: SlotOptimizer; predictor: SlotOptimizer; detector: SlotOptimizer | null };
  private stepCount = 0;
  private epochCount = 0;
  private stepInEpoch = 0;
  private numTrain: number | null = null;
  private history: CometEpochMeans[] = [];
  // sufficiency, complement, completenessArg, areaMean, total, count of the current epoch
  private epochSums = [0, 0, 0, 0, 0, 0];
  private numClasses: number | null = null;

  constructor(
    private readonly nets: CometNets,
    o?: CometTrainerOptions,
  ) {
    const caller = 'CometTrainer';
    const given = checkOptions(o, OPTIONS, caller);
    checkTrainable(nets?.selector, 'selector', caller);
    checkTrainable(nets?.predictor, 'predictor', caller);
    checkCallable(nets?.detector, 'detector', caller);
    if (given.seed !== undefined && given.rng !== undefined) {
      throw new DroError('E_SPEC', `${caller}: give seed or rng, not both`, { argument: 'rng' });
    }
    const detectorMode = given.detectorMode ?? 'frozen';
    if (detectorMode === 'frozen' && given.detectorOptimizer !== undefined) {
      throw new DroError('E_SPEC', `${caller}: detectorOptimizer needs detectorMode 'adversarial'`, {
        argument: 'detectorOptimizer',
      });
    }
    const optimizer = resolveOptimizer(given.optimizer ?? { name: 'adam', learningRate: 1e-3 }, 'optimizer');
    const detectorOptimizer =
      detectorMode === 'adversarial'
        ? resolveOptimizer(given.detectorOptimizer ?? given.optimizer ?? optimizer, 'detectorOptimizer')
        : null;
    const loss = resolveLossOptions(given);
    if (typeof loss.fill !== 'number') tf.tidy(() => fillInput(loss.fill, [1, 1, 1, 1], caller)); // finiteness
    const seed = given.rng !== undefined ? null : checkSeed(given.seed ?? 0);
    this.opts = {
      ...loss,
      detectorMode,
      batchSize: given.batchSize ?? 64,
      seed,
      optimizer,
      detectorOptimizer,
    };
    this.base = given.rng !== undefined ? given.rng.clone() : createRng(seed as Seed);
    const detectorVars =
      detectorMode === 'adversarial'
        ? netVariables(checkTrainable(nets.detector, 'detector', caller))
        : typeof nets.detector === 'object' && nets.detector !== null && 'trainableWeights' in nets.detector
          ? netVariables(nets.detector as TrainableNet)
          : typeof nets.detector === 'object' && nets.detector !== null && 'variables' in nets.detector
            ? netVariables(nets.detector as TrainableNet)
            : [];
    this.vars = {
      selector: netVariables(nets.selector),
      predictor: netVariables(nets.predictor),
      detector: detectorVars,
    };
    this.optim = {
      selector: new SlotOptimizer(optimizer, this.vars.selector),
      predictor: new SlotOptimizer(optimizer, this.vars.predictor),
      detector: detectorOptimizer ? new SlotOptimizer(detectorOptimizer, this.vars.detector) : null,
    };
  }

  /** Steps taken so far. */
  get step(): number {
    return this.stepCount;
  }

  /** Completed epochs of {@link fit}. */
  get epoch(): number {
    return this.epochCount;
  }

  /** The model for {@link explain}. */
  get model(): CometModel {
    return {
      selector: this.nets.selector,
      predictor: this.nets.predictor,
      detector: this.nets.detector,
      upsample: this.opts.upsample,
      maskMode: this.opts.maskMode,
      fill: this.opts.fill,
    };
  }

  /**
   * One simultaneous update on this batch; returns the terms before the update. A non-finite loss throws
   * E_NONFINITE and applies nothing; bad input throws before anything changes.
   */
  trainStep(x: tf.Tensor4D, labels: tf.Tensor1D | Int32Array | ArrayLike<number>): CometStepInfo {
    const caller = 'CometTrainer.trainStep';
    const o = this.opts;
    const selVars = this.vars.selector;
    const predVars = this.vars.predictor;
    let terms: CometTerms | null = null;
    tf.tidy(() => {
      const xt = imageInput(x, caller);
      const y = labelsInput(labels, caller, xt.shape[0], this.numClasses ?? undefined);
      const q = fillInput(o.fill, xt.shape, caller);
      let kept: (tf.Tensor | null)[] = [];
      const lossOf = (which: 'total' | 'sufficiency') => () => {
        const z = selectorLogits(this.nets.selector, xt, true, caller);
        const r = cometLossCore(this.nets, { x: xt, y, z, q }, o, true);
        if (kept.length === 0) {
          this.numClasses = r.numClasses;
          kept = [r.total, r.sufficiency, r.complement, r.completenessTerm, r.completenessArg, r.areaTerm];
          kept.push(r.tvTerm, r.area, r.tv, o.detectorMode === 'adversarial' ? r.complementImages : null);
          for (const t of kept) if (t) tf.keep(t);
        }
        return r[which];
      };
      const main = tf.variableGrads(lossOf('total'), [...selVars, ...predVars]);
      const [total, sufficiency, complement, completenessTerm, completenessArg, areaTerm, tvTerm, area, tv, xc] =
        kept as tf.Tensor[];
      const host = readTerms({
        total: total as tf.Scalar,
        sufficiency: sufficiency as tf.Scalar,
        complement: complement as tf.Scalar,
        completenessTerm: completenessTerm as tf.Scalar,
        completenessArg: (completenessArg ?? null) as tf.Scalar | null,
        areaTerm: areaTerm as tf.Scalar,
        tvTerm: tvTerm as tf.Scalar,
        area: area as tf.Tensor1D,
        tv: tv as tf.Tensor1D,
      });
      for (const t of kept) if (t && t !== xc) t.dispose();
      if (!Number.isFinite(host.total)) {
        if (xc) xc.dispose();
        throw new DroError(
          'E_NONFINITE',
          `${caller}: non-finite loss at epoch ${this.epochCount}, step ${this.stepCount}`,
          {
            argument: 'loss',
            received: String(host.total),
          },
        );
      }
      const grad = (v: tf.Variable, g: tf.NamedTensorMap) => g[v.name] ?? tf.zerosLike(v);
      const selGrads = selVars.map((v) => grad(v, main.grads));
      // Routing (§3.5): ∂L/∂θ = (∂L/∂ℓ_P)·∂ℓ_P/∂θ, since ℓ_D, the area and TV do not depend on θ.
      const factor =
        o.predictorWeight + (o.completeness === 'hinge' ? (host.completenessActive ? o.completenessWeight : 0) : 0);
      let predGrads: tf.Tensor[];
      if (factor > 0) predGrads = predVars.map((v) => tf.div(grad(v, main.grads), factor));
      else {
        kept = [null];
        const own = tf.variableGrads(lossOf('sufficiency'), predVars);
        predGrads = predVars.map((v) => grad(v, own.grads));
      }
      let detGrads: tf.Tensor[] | null = null;
      if (xc) {
        const yt = tf.tensor1d(y, 'int32');
        const det = tf.variableGrads(
          () => meanCrossEntropy(runNet(this.nets.detector, xc, false), yt),
          this.vars.detector,
        );
        detGrads = this.vars.detector.map((v) => grad(v, det.grads));
        xc.dispose();
      }
      // Every gradient above was taken at the same parameters; now apply them.
      this.optim.selector.apply(selGrads);
      this.optim.predictor.apply(predGrads);
      if (detGrads && this.optim.detector) this.optim.detector.apply(detGrads);
      terms = host;
    });
    const info: CometStepInfo = { ...(terms as unknown as CometTerms), step: this.stepCount, epoch: this.epochCount };
    this.stepCount += 1;
    return info;
  }

  /** Epochs over `(x, labels)` in seeded order, with progress, checkpoints and abort (spec §3.5, §8). */
  async fit(
    x: tf.Tensor4D,
    labels: tf.Tensor1D | Int32Array | ArrayLike<number>,
    o: CometFitOptions,
  ): Promise<{ history: CometStepInfo[] }> {
    const caller = 'CometTrainer.fit';
    const f = checkOptions(o, FIT_OPTIONS, caller) as CometFitOptions;
    const xt = imageInput(x, caller);
    const n = xt.shape[0];
    const y = labelsInput(labels, caller, n);
    if (this.numTrain !== null && this.stepInEpoch > 0 && this.numTrain !== n) {
      if (xt !== x) xt.dispose();
      throw new DroError('E_SHAPE', `${caller}: a resumed epoch needs the same ${this.numTrain} training rows`, {
        argument: 'x',
        expected: `${this.numTrain} rows`,
        received: `${n}`,
      });
    }
    this.numTrain = n;
    const history: CometStepInfo[] = [];
    const every = f.progressEvery ?? 10;
    const bs = this.opts.batchSize;
    const numBatches = Math.ceil(n / bs);
    try {
      while (this.epochCount < f.epochs) {
        const perm = permutation(n, this.base.fork(`explain/epoch/${this.epochCount}`));
        while (this.stepInEpoch < numBatches) {
          checkAborted(f.signal, caller);
          const idx = perm.slice(this.stepInEpoch * bs, Math.min(n, (this.stepInEpoch + 1) * bs));
          const xb = tf.tidy(() => tf.gather(xt, tf.tensor1d(idx, 'int32')));
          let info: CometStepInfo;
          try {
            info = this.trainStep(
              xb as tf.Tensor4D,
              Int32Array.from(idx, (i) => y[i]!),
            );
          } finally {
            xb.dispose();
          }
          this.stepInEpoch += 1;
          this.accumulate(info);
          history.push(info);
          if (f.onProgress && this.stepCount % every === 0) f.onProgress(info);
          if (f.onCheckpoint && f.checkpointEvery && this.stepCount % f.checkpointEvery === 0) {
            await f.onCheckpoint(this.getState());
          }
          await new Promise((r) => setTimeout(r, 0)); // lets an abort from a timer or an event arrive
        }
        const s = this.epochSums;
        const c = s[5]!;
        const means: CometEpochMeans = {
          sufficiency: s[0]! / c,
          complement: s[1]! / c,
          completenessArg: this.opts.completeness === 'hinge' ? s[2]! / c : null,
          areaMean: s[3]! / c,
          total: s[4]! / c,
        };
        this.history.push(means);
        this.epochSums = [0, 0, 0, 0, 0, 0];
        this.epochCount += 1;
        this.stepInEpoch = 0;
        f.onEpochEnd?.(this.epochCount - 1, means);
      }
      if (f.onCheckpoint) await f.onCheckpoint(this.getState());
    } finally {
      if (xt !== x) xt.dispose();
    }
    return { history };
  }

  private accumulate(info: CometStepInfo): void {
    const s = this.epochSums;
    let a = 0;
    for (const v of info.area) a += v;
    s[0] = s[0]! + info.sufficiency;
    s[1] = s[1]! + info.complement;
    s[2] = s[2]! + (info.completenessArg ?? 0);
    s[3] = s[3]! + a / info.area.length;
    s[4] = s[4]! + info.total;
    s[5] = s[5]! + 1;
  }

  /** Epoch means so far. */
  get epochHistory(): CometEpochMeans[] {
    return this.history.map((h) => ({ ...h }));
  }

  /** Explains `x` with the current networks (see {@link explain}). */
  explain(x: tf.Tensor4D, o?: ExplainOptions): Explanation {
    return explain(this.model, x, o);
  }

  getState(): CometTrainerState {
    const { optimizer, detectorOptimizer, fill, ...rest } = this.opts;
    return {
      kind: KIND,
      version: 1,
      options: { ...rest, fill: fillToJson(fill), optimizer: { ...optimizer }, detectorOptimizer },
      step: this.stepCount,
      epoch: this.epochCount,
      stepInEpoch: this.stepInEpoch,
      numTrain: this.numTrain,
      rng: this.base.getState(),
      nets: {
        selector: encodeVariables(this.vars.selector),
        predictor: encodeVariables(this.vars.predictor),
        detector: encodeVariables(this.vars.detector),
      },
      optimizers: {
        selector: this.optim.selector.getState(),
        predictor: this.optim.predictor.getState(),
        detector: this.optim.detector ? this.optim.detector.getState() : null,
      },
      history: this.history.map((h) => ({ ...h })),
      epochSums: this.epochSums.slice(),
    };
  }

  /**
   * Restores a trainer: writes the stored selector and predictor (and adversarial detector) weights into `nets`
   * and continues bit-exactly. A frozen detector must equal the stored one (E_SPEC otherwise); networks whose
   * variable shapes differ are E_SHAPE; a foreign kind or version is E_STATE_VERSION.
   */
  static fromState(state: CometTrainerState, nets: CometNets): CometTrainer {
    checkState(state, KIND, [1]);
    const { seed, ...opts } = state.options as Record<string, unknown> & { seed: Seed | null };
    const rng = Rng.fromState(state.rng);
    if (opts.detectorOptimizer === null) delete opts.detectorOptimizer;
    const t = new CometTrainer(nets, { ...(opts as CometTrainerOptions), rng });
    t.opts.seed = seed;
    const sel = decodeVariables(state.nets?.selector, t.vars.selector, 'selector');
    const pred = decodeVariables(state.nets?.predictor, t.vars.predictor, 'predictor');
    const det = decodeVariables(state.nets?.detector, t.vars.detector, 'detector');
    if (t.opts.detectorMode === 'frozen' && !sameVariables(t.vars.detector, det)) {
      t.dispose();
      throw new DroError('E_SPEC', 'CometTrainer.fromState: the detector differs from the one in the state', {
        argument: 'detector',
      });
    }
    const ints = [state.step, state.epoch, state.stepInEpoch];
    if (!ints.every((v) => Number.isInteger(v) && v >= 0) || !Array.isArray(state.epochSums)) {
      t.dispose();
      throw new DroError('E_STATE_VERSION', 'invalid state: counters', { argument: 'state.step' });
    }
    t.optim.selector.setState(state.optimizers.selector, 'optimizers.selector');
    t.optim.predictor.setState(state.optimizers.predictor, 'optimizers.predictor');
    if (t.optim.detector && state.optimizers.detector)
      t.optim.detector.setState(state.optimizers.detector, 'optimizers.detector');
    writeVariables(t.vars.selector, sel);
    writeVariables(t.vars.predictor, pred);
    if (t.opts.detectorMode === 'adversarial') writeVariables(t.vars.detector, det);
    t.stepCount = state.step;
    t.epochCount = state.epoch;
    t.stepInEpoch = state.stepInEpoch;
    t.numTrain = state.numTrain;
    t.history = state.history.map((h) => ({ ...h }));
    t.epochSums = state.epochSums.slice();
    return t;
  }

  /** Frees the optimiser slots (not the user's networks). */
  dispose(): void {
    this.optim.selector.dispose();
    this.optim.predictor.dispose();
    this.optim.detector?.dispose();
  }
}
