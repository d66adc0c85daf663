// Per-key replays of the vectors format (§17.1). Each runner returns the list of mismatches of one case.
import {
  DumpScheduler,
  dimensionRewardScore,
  drpoKlPenalty,
  drpoWeights,
  grpoAdvantages,
  integerizeAllocation,
  OnlineDifficultyClassifier,
  PromptGdroAdversary,
  paperPromptGdroMultiplier,
  passAtK,
  proportionalExtraAllocation,
  RolloutArmBandit,
  rsdStep,
  sqrtLaw,
  zeroVarianceMask,
} from './index.js';

export type CaseRunner = (c: unknown, tol: number) => string[];
type Obj = Record<string, unknown>;

/** Recursive comparison: numbers within `tol` abs (and `rel` if given), everything else exactly, maps by key. */
export function compare(
  actual: unknown,
  expected: unknown,
  path: string,
  tol: number,
  out: string[],
  rel?: number,
): void {
  if (expected === null) {
    if (actual !== null && actual !== undefined)
      out.push(`${path}: expected null (absent), got ${JSON.stringify(actual)}`);
    return;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number' || !Number.isFinite(actual)) {
      out.push(`${path}: expected ${expected}, got ${JSON.stringify(actual)}`);
      return;
    }
    const d = Math.abs(actual - expected);
    if (!(d <= tol) || (rel !== undefined && !(d <= rel * Math.abs(expected))))
      out.push(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  if (typeof expected === 'string' || typeof expected === 'boolean') {
    if (actual !== expected) out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: expected an array of length ${expected.length}, got ${JSON.stringify(actual)}`);
      return;
    }
    for (let i = 0; i < expected.length; i++) compare(actual[i], expected[i], `${path}[${i}]`, tol, out, rel);
    return;
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      out.push(`${path}: expected an object, got ${JSON.stringify(actual)}`);
      return;
    }
    const a = actual as Obj;
    const ek = Object.keys(expected as Obj).sort();
    const ak = Object.keys(a)
      .filter((k) => a[k] !== undefined)
      .sort();
    if (ek.join('\u0000') !== ak.join('\u0000'))
      out.push(`${path}: expected keys ${JSON.stringify(ek)}, got ${JSON.stringify(ak)}`);
    for (const k of ek) compare(a[k], (expected as Obj)[k], `${path}.${k}`, tol, out, rel);
    return;
  }
  out.push(`${path}: unsupported expected value`);
}

function obj(x: unknown, what: string): Obj {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new Error(`${what} must be an object`);
  return x as Obj;
}

/** Maps snake_case config keys to camelCase options; unknown keys are an error (never silently ignored). */
function mapKeys(config: unknown, map: Record<string, string>, what: string): Obj {
  const c = obj(config, what);
  const o: Obj = {};
  for (const k of Object.keys(c)) {
    const to = map[k];
    if (to === undefined) throw new Error(`${what}: unknown key ${JSON.stringify(k)}`);
    if (to !== '') o[to] = c[k];
  }
  return o;
}

const classifierMap = {
  edges: 'edges',
  num_bins: 'numBins',
  history_len: 'historyLen',
  hysteresis: 'hysteresis',
  extremes: 'extremes',
  indicator: 'indicator',
  correct_threshold: 'correctThreshold',
};

// The reference's PromptGdroAdversary config keys (the z-score case adds its own three).
const adversaryMap = {
  eta: 'eta',
  gamma: 'gamma',
  ema_beta: 'emaBeta',
  max_weight: 'maxWeight',
  norm_by_share: 'normalizeByShare',
};

function classifierCase(c: unknown, tol: number, floatObs: boolean): string[] {
  const x = obj(c, 'case');
  const cfg = mapKeys(x.config, classifierMap, 'config');
  const cls = new OnlineDifficultyClassifier({ indicator: 'anyOfN', ...cfg });
  const out: string[] = [];
  (x.trace as unknown[]).forEach((e0, i) => {
    const e = obj(e0, `trace[${i}]`);
    const uid = typeof e.uid === 'string' ? e.uid : 'u';
    const p = `trace[${i}]`;
    compare(cls.classify(uid), e.label_before, `${p}.label_before`, tol, out);
    let value = e.observe as number | boolean;
    if (floatObs || e.n !== undefined) {
      value = passAtK(e.n as number, e.c as number, e.k as number);
      compare(value, e.observe, `${p}.observe`, tol, out);
    }
    cls.observe(uid, value);
    compare(cls.accuracy(uid), e.acc_after, `${p}.acc_after`, tol, out);
    compare(cls.classify(uid), e.label_after, `${p}.label_after`, tol, out);
  });
  return out;
}

const ucbOf = (mu: Obj, n: Obj, cfg: Obj): Obj => {
  const N = Math.max(
    1,
    Object.values(n).reduce((a: number, b) => a + (b as number), 0),
  );
  return Object.fromEntries(
    Object.keys(mu).map((s) => [
      s,
      (mu[s] as number) + (cfg.c as number) * Math.sqrt((2 * Math.log(N + 1)) / ((n[s] as number) + 1)),
    ]),
  );
};

export const runners: Record<string, CaseRunner> = {
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
  classifier_edges_hyst: (c, tol) => classifierCase(c, tol, false),
  classifier_uniform_extremes: (c, tol) => classifierCase(c, tol, false),
  classifier_float_obs: (c, tol) => classifierCase(c, tol, true),
  prompt_gdro(c, tol) {
    const x = obj(c, 'case');
    const cfg = mapKeys(x.config, adversaryMap, 'config');
    const a = new PromptGdroAdversary({ form: 'code', ...cfg });
    const out: string[] = [];
    (x.steps as unknown[]).forEach((s0, i) => {
      const s = obj(s0, `steps[${i}]`);
      const p = `steps[${i}]`;
      const ids = s.class_ids as string[];
      compare(a.sampleWeights(ids), s.weights_before_update, `${p}.weights_before_update`, tol, out);
      compare(a.q(ids), s.q_before_update, `${p}.q_before_update`, tol, out);
      a.update(ids, s.losses as number[]);
      const st = a.getState().classes;
      compare(Object.fromEntries(st.map((e) => [e[0], e[1]])), s.ema_after, `${p}.ema_after`, tol, out);
      compare(Object.fromEntries(st.map((e) => [e[0], e[2]])), s.count_after, `${p}.count_after`, tol, out);
      compare(a.q(ids), s.q_after_same_classes, `${p}.q_after_same_classes`, tol, out);
      compare(a.sampleWeights(ids), s.weights_after, `${p}.weights_after`, tol, out);
    });
    return out;
  },
  prompt_gdro_zscore_cap(c, tol) {
    const x = obj(c, 'case');
    const cfg = obj(x.config, 'config');
    const o = mapKeys(cfg, { ...adversaryMap, zscore: '', z_cap: '', z_std_floor: '' }, 'config');
    if (cfg.zscore === true) o.zscore = { cap: cfg.z_cap, stdFloor: cfg.z_std_floor };
    const a = new PromptGdroAdversary({ form: 'code', ...o });
    const u = obj(x.update, 'update');
    a.update(u.class_ids as string[], u.losses as number[]);
    const out: string[] = [];
    compare(Object.fromEntries(a.getState().classes.map((e) => [e[0], e[1]])), x.ema, 'ema', tol, out);
    compare(a.q(['a', 'b', 'c']), x.q, 'q', tol, out);
    compare(a.sampleWeights(['a', 'b', 'c', 'c']), x.weights, 'weights', tol, out);
    return out;
  },
  paper_multiplier(c, tol) {
    const x = obj(c, 'case');
    const out: string[] = [];
    compare(
      paperPromptGdroMultiplier(x.score as number, {
        eta: x.eta as number,
        clip: x.C as number,
        maxWeight: x.w_max as number,
      }),
      x.value,
      'value',
      tol,
      out,
    );
    return out;
  },
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
  dump(c, tol) {
    const x = obj(c, 'case');
    const cfg = mapKeys(x.config, { sources: 'sources', window: 'window', c: 'c', tau: 'tau' }, 'config');
    const d = new DumpScheduler(cfg as { sources: string[] });
    const out: string[] = [];
    (x.trace as unknown[]).forEach((e0, i) => {
      const e = obj(e0, `trace[${i}]`);
      const p = `trace[${i}]`;
      if (e.update !== undefined) {
        d.updateAdvantages(e.update as Record<string, number[]>);
        compare(d.learnability(), e.mu, `${p}.mu`, tol, out);
        compare(d.counts(), e.n, `${p}.n`, tol, out);
      }
      if (e.ucb !== null && e.ucb !== undefined) {
        compare(d.ucb(), e.ucb, `${p}.ucb`, tol, out);
        // Per-entry relation: ucb from mu and n.
        if (e.mu && e.n) compare(ucbOf(obj(e.mu, 'mu'), obj(e.n, 'n'), cfg), e.ucb, `${p}.ucb (from mu, n)`, tol, out);
      }
      compare(d.weights(), e.weights, `${p}.weights`, tol, out);
    });
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
