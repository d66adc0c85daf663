// Rollout-GDRO: the square-root law, budget integerisation and the arm bandit.
import { integerizeAllocation, proportionalExtraAllocation, RolloutArmBandit, sqrtLaw } from '../index.js';
import { compare } from './compare.js';
import { type CaseRunner, mapKeys, obj } from './shared.js';

export const rolloutGdroRunners: Record<string, CaseRunner> = {
  sqrt_law(c, tol) {
    const x = obj(c, 'case');
    const r = sqrtLaw(x.shares as number[], x.v as number[], {
      meanBudget: x.bar_n as number,
      nMin: x.n_min as number,
      nMax: x.n_max as number,
    });
    const out: string[] = [];
    compare(r.n, x.n_cont, 'n_cont', tol, out);
    compare(r.mu, x.mu, 'mu', tol, out, 1e-9);
    if (x.unconstrained !== undefined) compare(r.unconstrained, x.unconstrained, 'unconstrained', tol, out);
    const n = integerizeAllocation(
      x.prompt_bins as number[],
      x.n_cont as number[],
      x.total as number,
      x.n_min as number,
      x.n_max as number,
    );
    compare(n, x.n_int, 'n_int', tol, out);
    return out;
  },
  integerize(c, tol) {
    const x = obj(c, 'case');
    const out: string[] = [];
    compare(
      integerizeAllocation(
        x.prompt_bins as number[],
        x.targets as number[],
        x.total as number,
        x.n_min as number,
        x.n_max as number,
      ),
      x.n_int,
      'n_int',
      tol,
      out,
    );
    return out;
  },
  proportional_extra(c, tol) {
    const x = obj(c, 'case');
    const out: string[] = [];
    compare(
      proportionalExtraAllocation(x.weights as number[], x.total as number, x.n_min as number, x.n_max as number),
      x.n_int,
      'n_int',
      tol,
      out,
    );
    return out;
  },
  rollout_arms_exp3p(c, tol) {
    const x = obj(c, 'case');
    const cfg = mapKeys(
      x.config,
      { n_min: 'nMin', n_max: 'nMax', eta: 'eta', gamma: 'gamma', dual_lr: 'dualLr' },
      'config',
    );
    const b = new RolloutArmBandit({ meanBudget: 4, variant: 'code', ...(cfg as { nMin: number; nMax: number }) });
    const out: string[] = [];
    (x.steps as unknown[]).forEach((s0, i) => {
      const s = obj(s0, `steps[${i}]`);
      const p = `steps[${i}]`;
      const counts = obj(s.bin_counts, `${p}.bin_counts`) as Record<string, number>;
      compare(
        Object.fromEntries(Object.keys(counts).map((k) => [k, b.probs(k)])),
        s.probs_before,
        `${p}.probs_before`,
        tol,
        out,
      );
      const ch = b.choose(counts, s.total as number);
      compare(ch.choice, s.choice, `${p}.choice`, tol, out);
      compare(ch.chosenSum, s.chosen_sum, `${p}.chosen_sum`, tol, out);
      b.update(ch.choice, s.bin_mean_loss as Record<string, number>, counts);
      compare(
        Object.fromEntries(b.knownBins().map((k) => [k, b.scores(k)])),
        s.scores_after,
        `${p}.scores_after`,
        tol,
        out,
      );
      compare(b.mu, s.mu_after, `${p}.mu_after`, tol, out);
    });
    return out;
  },
  rollout_arms_tiebreak_mean(c, tol) {
    const x = obj(c, 'case');
    const cfg = mapKeys(
      x.config,
      { n_min: 'nMin', n_max: 'nMax', tie_break: 'tieBreak', bar_n: 'meanBudget' },
      'config',
    );
    const b = new RolloutArmBandit(cfg as { nMin: number; nMax: number });
    const ch = b.choose(x.bin_counts as Record<string, number>, x.total as number);
    const out: string[] = [];
    compare(ch.choice, x.choice, 'choice', tol, out);
    compare(ch.chosenSum, x.chosen_sum, 'chosen_sum', tol, out);
    return out;
  },
  rollout_arms_unreachable(c, tol) {
    const x = obj(c, 'case');
    const b = new RolloutArmBandit({ nMin: 2, nMax: 4, variant: 'code' });
    const ch = b.choose(x.bin_counts as Record<string, number>, x.total as number);
    const out: string[] = [];
    compare(ch.choice, x.choice, 'choice', tol, out);
    compare(ch.chosenSum, x.chosen_sum, 'chosen_sum', tol, out);
    return out;
  },
};
