import { arr, bool, checkFields, checkLength, fail, num, str } from './check.js';

/** A caller-supplied stable prompt id (e.g. `idx:<dataset index>`); never inferred from text. */
export type Uid = string;
/** A difficulty-bin label: `"0"` (hardest) … `"B−1"`, optionally `"excl"`. */
export type BinLabel = string;

/** One prompt's rollouts in one step (§2). */
export interface GroupResult {
  uid: Uid;
  /** One reward per rollout; `[]` is an empty group (counted, otherwise ignored). */
  rewards: number[];
  /** Default: `rewards[j] > correctThreshold`. */
  correct?: boolean[];
  /** DUMP: the prompt's source (else looked up in the DUMP pool). */
  source?: string;
  /** Label the prompt had when its batch was formed (echo of sample/weights/allocate). */
  bin?: BinLabel;
  /** Per-rollout advantages (token mean); DUMP uses these. */
  advantages?: number[];
  /** Prompt-level adversary loss; default failure rate 1 − mean(correct). */
  loss?: number;
}

/** A validated result with `correct` resolved. */
export interface CheckedResult {
  uid: Uid;
  rewards: number[];
  correct: boolean[];
  source?: string;
  bin?: BinLabel;
  advantages?: number[];
  loss?: number;
}

const KEYS = ['uid', 'rewards', 'correct', 'source', 'bin', 'advantages', 'loss'];

/** Validates results (§2) without touching any state. `validBin` checks echoed labels. */
export function checkResults(
  results: unknown,
  correctThreshold: number,
  validBin?: (label: string) => boolean,
  argument = 'results',
): CheckedResult[] {
  const a = arr(results, argument);
  return a.map((r0, i) => {
    const p = `${argument}[${i}]`;
    const r = checkFields(r0, p, KEYS);
    if (r0 === undefined) fail('E_DTYPE', p, 'must be a result object', 'an object', r0);
    const uid = str(r.uid, `${p}.uid`);
    if (uid.length === 0) fail('E_LABEL_RANGE', `${p}.uid`, 'must be a non-empty string', 'a stable prompt id', uid);
    if (r.rewards === undefined) fail('E_SPEC', `${p}.rewards`, 'is required', 'an array of numbers');
    const rewards = arr(r.rewards, `${p}.rewards`).map((v, j) => {
      if (v === null) fail('E_NONFINITE', `${p}.rewards[${j}]`, 'is null', 'a finite number', v);
      return num(v, `${p}.rewards[${j}]`);
    });
    let correct: boolean[];
    if (r.correct !== undefined) {
      correct = arr(r.correct, `${p}.correct`).map((v, j) => bool(v, `${p}.correct[${j}]`));
      checkLength(correct, rewards.length, `${p}.correct`, 'must have one entry per reward');
    } else correct = rewards.map((x) => x > correctThreshold);
    const out: CheckedResult = { uid, rewards, correct };
    if (r.advantages !== undefined) {
      const adv = arr(r.advantages, `${p}.advantages`).map((v, j) => num(v, `${p}.advantages[${j}]`));
      checkLength(adv, rewards.length, `${p}.advantages`, 'must have one entry per reward');
      out.advantages = adv;
    }
    if (r.loss !== undefined) out.loss = num(r.loss, `${p}.loss`);
    if (r.source !== undefined) out.source = str(r.source, `${p}.source`);
    if (r.bin !== undefined) {
      const b = str(r.bin, `${p}.bin`);
      if (validBin && !validBin(b))
        fail('E_LABEL_RANGE', `${p}.bin`, 'is not a label the classifier can emit', 'a classifier label', b);
      out.bin = b;
    }
    return out;
  });
}

/** Failure rate 1 − mean(correct) (the default prompt loss). */
export function failureRate(correct: readonly boolean[]): number {
  let c = 0;
  for (const x of correct) if (x) c += 1;
  return 1 - c / correct.length;
}

/** Non-empty group with all rewards equal (what DAPO drops, apart from singletons). */
export function isZeroVariance(rewards: readonly number[]): boolean {
  if (rewards.length < 2) return false;
  const f = rewards[0];
  return rewards.every((x) => x === f);
}
