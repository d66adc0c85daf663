import { readFileSync } from 'node:fs';

/** Column j of a parsed CSV row (the file has six columns; a short row is a broken fixture). */
function at(r: number[], j: number): number {
  const v = r[j];
  if (v === undefined) throw new Error(`mroz-inlf.csv: a row has no column ${j}`);
  return v;
}

/** The vendored Mroz subset (428 women with inlf = 1): wage, educ, exper, expersq, fatheduc, motheduc. */
export function loadMroz() {
  const text = readFileSync(new URL('../../data/mroz-inlf.csv', import.meta.url), 'utf8');
  const rows = text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  return {
    lwage: rows.map((r) => Math.log(at(r, 0))),
    educ: rows.map((r) => at(r, 1)),
    exper: rows.map((r) => at(r, 2)),
    expersq: rows.map((r) => at(r, 3)),
    fatheduc: rows.map((r) => at(r, 4)),
    motheduc: rows.map((r) => at(r, 5)),
  };
}

export function mrozArgs() {
  const m = loadMroz();
  return {
    y: m.lwage,
    exog: m.exper.map((e, i) => [e, m.expersq[i]!]),
    endog: m.educ.map((e) => [e]),
    instruments: m.fatheduc.map((f, i) => [f, m.motheduc[i]!]),
    names: { exog: ['exper', 'expersq'], endog: ['educ'], instruments: ['fatheduc', 'motheduc'] },
  };
}
