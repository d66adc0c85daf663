// Prompt-GDRO: the class-level adversary and the paper multiplier.
import { PromptGdroAdversary, paperPromptGdroMultiplier } from '../index.js';
import { compare } from './compare.js';
import { adversaryMap, type CaseRunner, mapKeys, obj } from './shared.js';

export const promptGdroRunners: Record<string, CaseRunner> = {
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
};
