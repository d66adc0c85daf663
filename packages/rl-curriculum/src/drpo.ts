import { arr, bool, checkFields, checkLength, checkOptionKeys, fail, int, num, numIn } from './check.js';
import { sum } from './numeric.js';

/** One question's rollouts for {@link drpoWeights}. */
export interface DrpoInput {
  correct: readonly boolean[];
  /** Response lengths in tokens, integers in [0, maxLength]. */
  lengths: readonly number[];
  /** Mean token log-prob of each rollout under the current policy (needed for the negative softmax and `loss`). */
  seqLogprob?: readonly number[] | null;
}
export interface DrpoOptions {
  /** C, the padded response width (8192 in the released scripts). */
  maxLength: number;
  /** λ of the length-aware positive distribution; default 0.1. */
  lambda?: number;
  /** τ of the negative log-mean-exp; default 10. */
  tau?: number;
}
export interface DrpoOutput {
  /** Per-rollout gradient coefficient: ∇loss = −Σ coef_i ∇s_i. Positives sum to 1, negatives to −1 (when valid). */
  coef: number[];
  /** Both a positive and a negative rollout present (after exclusions). */
  valid: boolean;
  /** 1 − L_i/C for every rollout. */
  lengthReward: number[];
  /** The per-question objective value (only when valid and `seqLogprob` is given). */
  loss?: number;
  /** Indices of zero-length rollouts (no tokens; coef 0). */
  excluded: number[];
}

function softmaxOf(x: readonly number[]): number[] {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of x) if (v > m) m = v;
  const e = x.map((v) => Math.exp(v - m));
  const s = sum(e);
  return e.map((v) => v / s);
}

/**
 * DRPO coefficients for one question (§3.4): positives weighted by softmax(−L/(C·λ)) (the closed-form
 * length-aware positive distribution), negatives by −softmax(s/τ) (or −1/|N| without log-probs).
 * An all-correct or all-wrong question gives no signal at all (`valid: false`, coefficients 0).
 */
export function drpoWeights(q: DrpoInput, o: DrpoOptions): DrpoOutput {
  const opt = checkOptionKeys(o, ['maxLength', 'lambda', 'tau'], 'drpoWeights');
  if (opt.maxLength === undefined) fail('E_SPEC', 'options.maxLength', 'is required', 'a positive integer');
  const C = int(opt.maxLength, 'options.maxLength', 1);
  const lambda = opt.lambda === undefined ? 0.1 : numIn(opt.lambda, 'options.lambda', { min: 0, minEx: true });
  const tau = opt.tau === undefined ? 10 : numIn(opt.tau, 'options.tau', { min: 0, minEx: true });
  const x = checkFields(q, 'question', ['correct', 'lengths', 'seqLogprob']);
  const correct = arr(x.correct, 'question.correct').map((v, i) => bool(v, `question.correct[${i}]`));
  const lengths = arr(x.lengths, 'question.lengths').map((v, i) => int(v, `question.lengths[${i}]`));
  checkLength(lengths, correct.length, 'question.lengths', 'must have one length per rollout');
  lengths.forEach((L, i) => {
    if (L < 0 || L > C) fail('E_LABEL_RANGE', `question.lengths[${i}]`, 'is outside [0, maxLength]', `0 ≤ L ≤ ${C}`, L);
  });
  let s: number[] | null = null;
  if (x.seqLogprob !== undefined && x.seqLogprob !== null) {
    s = arr(x.seqLogprob, 'question.seqLogprob').map((v, i) => num(v, `question.seqLogprob[${i}]`));
    checkLength(s, correct.length, 'question.seqLogprob', 'must have one value per rollout');
  }
  const n = correct.length;
  const lengthReward = lengths.map((L) => 1 - L / C);
  const excluded: number[] = [];
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < n; i++) {
    if (lengths[i] === 0) excluded.push(i);
    else if (correct[i]) pos.push(i);
    else neg.push(i);
  }
  const coef = new Array<number>(n).fill(0);
  const valid = pos.length > 0 && neg.length > 0;
  if (!valid) return { coef, valid, lengthReward, excluded };
  const w = softmaxOf(pos.map((i) => -(lengths[i] as number) / (C * lambda)));
  pos.forEach((i, k) => {
    coef[i] = w[k] as number;
  });
  let loss: number | undefined;
  if (s) {
    const sv = s;
    const z = neg.map((j) => (sv[j] as number) / tau);
    const pn = softmaxOf(z);
    neg.forEach((j, k) => {
      coef[j] = -(pn[k] as number);
    });
    let m = Number.NEGATIVE_INFINITY;
    for (const v of z) if (v > m) m = v;
    const lme = m + Math.log(sum(z.map((v) => Math.exp(v - m))) / neg.length);
    let pterm = 0;
    pos.forEach((i, k) => {
      pterm += (w[k] as number) * (sv[i] as number);
    });
    loss = -(pterm - tau * lme);
  } else {
    for (const j of neg) coef[j] = -1 / neg.length;
  }
  for (const v of coef)
    if (!Number.isFinite(v)) fail('E_NONFINITE', 'question', 'gives a non-finite coefficient', 'finite values', v);
  return loss === undefined ? { coef, valid, lengthReward, excluded } : { coef, valid, lengthReward, loss, excluded };
}

/** (1/Q)·Σ_q loss_q over all questions, invalid ones counted as 0 (valid ones must carry `loss`). */
export function drpoBatchLoss(outputs: readonly DrpoOutput[]): number {
  const a = arr(outputs, 'outputs');
  if (a.length === 0) fail('E_EMPTY', 'outputs', 'must hold at least one question', 'a non-empty array', a);
  let t = 0;
  a.forEach((out, i) => {
    const q = out as DrpoOutput;
    if (q.valid) {
      if (q.loss === undefined)
        fail('E_SPEC', `outputs[${i}].loss`, 'is missing on a valid question (pass seqLogprob)', 'a number');
      t += num(q.loss, `outputs[${i}].loss`);
    }
  });
  return t / a.length;
}

/** DRPO's KL penalty: coef = β·max(kl − δ, 0) (detached), value = (β/2)·max(kl − δ, 0)² (same gradient). */
export function drpoKlPenalty(kl: number, o?: { beta?: number; delta?: number }): { coef: number; value: number } {
  const x = checkOptionKeys(o, ['beta', 'delta'], 'drpoKlPenalty');
  const beta = x.beta === undefined ? 1e3 : numIn(x.beta, 'options.beta', { min: 0 });
  const delta = x.delta === undefined ? 1e-4 : numIn(x.delta, 'options.delta', { min: 0 });
  const k = numIn(kl, 'kl', { min: 0 }, 'E_LABEL_RANGE');
  const e = Math.max(k - delta, 0);
  return { coef: beta * e, value: (beta / 2) * e * e };
}
