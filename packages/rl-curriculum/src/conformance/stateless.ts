// Stateless functions: GRPO advantages, DAPO keep mask, pass@k, DRPO, RSD and the DRM score.
import {
  dimensionRewardScore,
  drpoKlPenalty,
  drpoWeights,
  grpoAdvantages,
  passAtK,
  rsdStep,
  zeroVarianceMask,
} from '../index.js';
import { compare } from './compare.js';
import { type CaseRunner, mapKeys, obj } from './shared.js';

export const statelessRunners: Record<string, CaseRunner> = {
  grpo(c, tol) {
    const x = obj(c, 'case');
    const o = mapKeys(
      x.config,
      {
        scale: 'scale',
        std_mode: 'stdMode',
        eps: 'eps',
        singleton: 'singleton',
        clip: 'clip',
        null_rewards: 'nullRewards',
      },
      'config',
    );
    const out: string[] = [];
    compare(grpoAdvantages(x.groups as number[][], o), x.advantages, 'advantages', tol, out);
    return out;
  },
  dapo_keep(c, tol) {
    const x = obj(c, 'case');
    const out: string[] = [];
    compare(
      zeroVarianceMask(x.groups as number[][], x.tol === undefined ? undefined : { tol: x.tol as number }),
      x.keep,
      'keep',
      tol,
      out,
    );
    return out;
  },
  pass_at_k(c, tol) {
    const x = obj(c, 'case');
    const out: string[] = [];
    compare(passAtK(x.n as number, x.c as number, x.k as number), x.value, 'value', tol, out);
    return out;
  },
  drpo(c, tol) {
    const x = obj(c, 'case');
    const i = obj(x.input, 'input');
    const r = drpoWeights(
      {
        correct: i.correct as boolean[],
        lengths: i.lengths as number[],
        seqLogprob: (i.seq_logprob ?? null) as number[] | null,
      },
      { maxLength: i.max_len as number, lambda: i.lam as number, tau: i.tau as number },
    );
    const e = obj(x.output, 'output');
    const out: string[] = [];
    compare(r.coef, e.coef, 'coef', tol, out);
    compare(r.valid, e.valid, 'valid', tol, out);
    compare(r.lengthReward, e.length_reward, 'length_reward', tol, out);
    if (e.loss !== undefined) compare(r.loss, e.loss, 'loss', tol, out);
    else if (r.loss !== undefined) out.push(`loss: expected absent, got ${r.loss}`);
    if (e.excluded !== undefined) compare(r.excluded, e.excluded, 'excluded', tol, out);
    return out;
  },
  length_penalty_grpo(c, tol) {
    const x = obj(c, 'case');
    const correct = x.correct as number[];
    const lengths = x.lengths as number[];
    const out: string[] = [];
    const rewards = correct.map((y, j) => y - ((x.alpha as number) * (lengths[j] as number)) / 8192);
    compare(rewards, x.rewards, 'rewards', tol, out);
    const adv = grpoAdvantages([x.rewards as number[]], {
      scale: 'group',
      stdMode: 'unbiased',
      eps: 1e-6,
      singleton: 'verl',
    })[0];
    compare(adv, x.advantages, 'advantages', tol, out);
    const d = drpoWeights({ correct: correct.map((y) => y === 1), lengths }, { maxLength: 8192, lambda: 0.1, tau: 10 });
    compare(d.coef, x.drpo_coef, 'drpo_coef', tol, out);
    return out;
  },
  drpo_kl_coef(c, tol) {
    const x = obj(c, 'case');
    const r = drpoKlPenalty(x.kl as number, { beta: x.beta as number, delta: x.delta as number });
    const out: string[] = [];
    compare(r.coef, x.coef, 'coef', tol, out);
    if (x.value !== undefined) compare(r.value, x.value, 'value', tol, out);
    return out;
  },
  rsd(c, tol) {
    const x = obj(c, 'case');
    const toMap = (m: unknown) => new Map(Object.entries(obj(m, 'map')).map(([k, v]) => [Number(k), v as number]));
    const r = rsdStep(toMap(x.teacher), toMap(x.student), x.uniforms as number[]);
    const out: string[] = [];
    compare([r.token, r.fallback, r.trials], x.out, 'out', tol, out);
    return out;
  },
  drm(c, tol) {
    const x = obj(c, 'case');
    const r = dimensionRewardScore(
      {
        reasonLogp: x.reason_logp as number[],
        answerLogp: x.answer_logp as number[],
        relevance: x.relevance as number,
        coherence: x.coherence as number,
      },
      x.weights as [number, number, number],
    );
    const out: string[] = [];
    compare(r, x.out, 'out', tol, out);
    return out;
  },
};
