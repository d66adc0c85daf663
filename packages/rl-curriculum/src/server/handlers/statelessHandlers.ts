import { grpoAdvantages } from '../../advantages.js';
import { arr, fail, isPlainObject, num } from '../../check.js';
import { type DrpoOutput, drpoBatchLoss, drpoKlPenalty, drpoWeights } from '../../drpo.js';
import { zeroVarianceMask } from '../../zeroVariance.js';
import { checkParams } from '../protocol.js';
import type { Handler } from './context.js';

/** DRPO questions of the wire format: `rewards` in {0, 1} is accepted in place of `correct`. */
function wireQuestions(questions: unknown): unknown[] {
  return arr(questions, 'questions').map((q0, i) => {
    if (!isPlainObject(q0)) fail('E_DTYPE', `questions[${i}]`, 'must be an object', 'an object', q0);
    const { rewards, correct, ...rest } = q0;
    if ((rewards === undefined) === (correct === undefined)) {
      fail('E_SPEC', `questions[${i}]`, 'needs exactly one of correct and rewards', 'correct | rewards');
    }
    if (rewards !== undefined) {
      const c = arr(rewards, `questions[${i}].rewards`).map((r, j) => {
        const v = num(r, `questions[${i}].rewards[${j}]`);
        if (v !== 0 && v !== 1)
          fail('E_LABEL_RANGE', `questions[${i}].rewards[${j}]`, 'must be exactly 0 or 1', '0 | 1', v);
        return v === 1;
      });
      return { ...rest, correct: c };
    }
    return { ...rest, correct };
  });
}

/** Stateless functions over the wire: `advantages`, `zeroVarianceMask`, `drpoWeights`, `drpoKlPenalty`. */
export const statelessHandlers: ReadonlyArray<readonly [string, Handler]> = [
  [
    'advantages',
    {
      mutating: false,
      run: (p) => {
        checkParams(p, ['groups', 'options'], ['groups']);
        return { advantages: grpoAdvantages(p.groups as number[][], p.options as never) };
      },
    },
  ],
  [
    'zeroVarianceMask',
    {
      mutating: false,
      run: (p) => {
        checkParams(p, ['groups', 'tol'], ['groups']);
        return {
          keep: zeroVarianceMask(p.groups as number[][], p.tol === undefined ? undefined : { tol: p.tol as number }),
        };
      },
    },
  ],
  [
    'drpoWeights',
    {
      mutating: false,
      run: (p) => {
        checkParams(p, ['questions', 'options'], ['questions', 'options']);
        const qs = wireQuestions(p.questions);
        const outputs: DrpoOutput[] = qs.map((q) => drpoWeights(q as never, p.options as never));
        const canLoss = outputs.length > 0 && outputs.every((x) => !x.valid || x.loss !== undefined);
        return canLoss ? { outputs, batchLoss: drpoBatchLoss(outputs) } : { outputs };
      },
    },
  ],
  [
    'drpoKlPenalty',
    {
      mutating: false,
      run: (p) => {
        checkParams(p, ['kl', 'beta', 'delta'], ['kl']);
        const o: { beta?: number; delta?: number } = {};
        if (p.beta !== undefined) o.beta = p.beta as number;
        if (p.delta !== undefined) o.delta = p.delta as number;
        return drpoKlPenalty(p.kl as number, o);
      },
    },
  ],
];
