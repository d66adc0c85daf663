import { andersonRubinSet, liml, ols, tsls } from '@drojs/causal';
import type { IvAnswer } from './protocol.js';

/** Columns of the Mroz extract (428 women in the labour force; Wooldridge Example 15.5). */
export interface Mroz {
  wage: number[];
  educ: number[];
  exper: number[];
  expersq: number[];
  fatheduc: number[];
  motheduc: number[];
}

export function parseMroz(csv: string): Mroz {
  const rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  const col = (j: number) => rows.map((r) => r[j]!);
  return { wage: col(0), educ: col(1), exper: col(2), expersq: col(3), fatheduc: col(4), motheduc: col(5) };
}

/** OLS, 2SLS and LIML of log(wage) on educ (instrumented by the chosen parents' education), 95 % intervals. */
export function ivCompare(m: Mroz, instruments: ('fatheduc' | 'motheduc')[]): IvAnswer {
  const y = m.wage.map(Math.log);
  const exog = m.exper.map((e, i) => [e, m.expersq[i]!]);
  const args = {
    y,
    exog,
    endog: m.educ.map((e) => [e]),
    instruments: m.educ.map((_, i) => instruments.map((k) => m[k][i]!)),
    names: { exog: ['exper', 'expersq'], endog: ['educ'], instruments },
  };
  const row = (method: string, f: ReturnType<typeof tsls>) => {
    const j = f.names.indexOf('educ');
    const ci = f.confInt(0.95)[j]!;
    return { method, estimate: f.params[j]!, stdError: f.stdErrors[j]!, low: ci[0], high: ci[1] };
  };
  const o = ols({ X: m.exper.map((e, i) => [e, m.expersq[i]!, m.educ[i]!]), y, names: ['exper', 'expersq', 'educ'] });
  const t = tsls(args);
  const l = liml(args);
  const ar = andersonRubinSet(args);
  return {
    nobs: t.nobs,
    rows: [row('OLS (ignores endogeneity)', o), row('2SLS', t), row('LIML', l)],
    firstStageF: t.firstStage?.[0]?.partialF.stat ?? Number.NaN,
    anderson: `${ar.kind} ${ar.bounds.map(([a, b]) => `[${a.toFixed(4)}, ${b.toFixed(4)}]`).join(' ∪ ')}`,
    ...(t.sargan ? { sargan: { stat: t.sargan.stat, pValue: t.sargan.pValue } } : {}),
  };
}
