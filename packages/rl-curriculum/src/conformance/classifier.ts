import { OnlineDifficultyClassifier, passAtK } from '../index.js';
import { compare } from './compare.js';
import { type CaseRunner, classifierMap, mapKeys, obj } from './shared.js';

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

export const classifierRunners: Record<string, CaseRunner> = {
  classifier_edges_hyst: (c, tol) => classifierCase(c, tol, false),
  classifier_uniform_extremes: (c, tol) => classifierCase(c, tol, false),
  classifier_float_obs: (c, tol) => classifierCase(c, tol, true),
};
