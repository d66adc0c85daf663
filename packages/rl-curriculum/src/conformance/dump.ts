// DUMP: the UCB scheduler over data sources.
import { DumpScheduler } from '../index.js';
import { compare } from './compare.js';
import { type CaseRunner, mapKeys, obj, ucbOf } from './shared.js';

export const dumpRunners: Record<string, CaseRunner> = {
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
};
