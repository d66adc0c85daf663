// IV-like regression from data augmentation (Akbar et al., NeurIPS 2025), linear simulation of spec §4.8:
// ERM, DA+ERM, 2SLS on the DA parameters (discretised and continuous), DA+IVL with α by CV and on a
// fixed α grid; nCER mean ± sd over SCMs. Quick: 8 SCMs, n = 1024; full: 32 SCMs, n = 2048 plus the
// κ and γ sweeps. Writes out/ncer-path.svg.
import {
  discretizeUniform,
  ivlPath,
  ivlRegression,
  linearConfoundedScm,
  ncer,
  nullSpaceBasis,
  nullSpaceTranslation,
  ols,
  selectIvlAlpha,
} from '@drojs/causal';
import { createRng } from '@drojs/dro-core';
import { exitOnFail, progress, saveLineChart, verdict } from '@drojs/example-kit';

const quick = process.argv.includes('--quick');
const seedArg = process.argv.find((a) => a.startsWith('--seed='));
const seed = seedArg ? seedArg.slice(7) : 'ivl-simulation';
const S = quick ? 8 : 32;
const n = quick ? 1024 : 2048;
const d = 32;
const alphaGrid = Array.from({ length: 8 }, (_, k) => 10 ** (-5 + (10 * k) / 7));

interface Row {
  erm: number;
  daErm: number;
  disc: number;
  cont: number;
  cv: number;
  cvAlpha: number;
  grid: number[];
}

function runScm(s: number, kappa: number, gamma: number, tag: string): Row {
  const rng = createRng(seed).fork(`${tag}/scm${s}`);
  const scm = linearConfoundedScm({ d, kappa, rng: rng.fork('scm') });
  const { X, y } = scm.sample(n, rng.fork('sample'));
  const B = nullSpaceBasis(scm.f);
  const { GX, G } = nullSpaceTranslation({ X, basis: B, gamma, rng: rng.fork('da') });
  const base = { GX, y, G, intercept: false }; // the authors' data have mean zero; no intercept
  const cv = selectIvlAlpha({ ...base, X, rng: rng.fork('cv') });
  return {
    erm: ncer(scm.f, ols({ X, y, intercept: false }).params),
    daErm: ncer(scm.f, ols({ X: GX, y, intercept: false }).params),
    disc: ncer(scm.f, ivlRegression({ ...base, G: discretizeUniform(G), alpha: 0 }).coef),
    cont: ncer(scm.f, ivlRegression({ ...base, alpha: 0 }).coef),
    cv: ncer(scm.f, cv.fit.coef),
    cvAlpha: cv.alpha,
    grid: ivlPath({ ...base, alphas: alphaGrid }).map((h) => ncer(scm.f, h.coef)),
  };
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / v.length);
const median = (v: number[]) => {
  const s = v.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};
const fmt = (v: number[]) => `${mean(v).toFixed(3)} ± ${sd(v).toFixed(3)}`;

function runAll(kappa: number, gamma: number, tag: string): Row[] {
  const rows: Row[] = [];
  const bar = progress(`SCMs (${tag})`, S);
  for (let s = 0; s < S; s++) {
    rows.push(runScm(s, kappa, gamma, tag));
    bar.tick();
  }
  bar.done();
  return rows;
}

const t0 = Date.now();
const rows = runAll(1, 1, 'main');
console.log(`\nIVL linear simulation: ${S} SCMs, n = ${n}, d = ${d}, κ = γ = 1, seed "${seed}" (nCER, mean ± sd)\n`);
const table: [string, number[]][] = [
  ['ERM (OLS on X)', rows.map((r) => r.erm)],
  ['DA+ERM (OLS on GX)', rows.map((r) => r.daErm)],
  ['2SLS-on-DA, discretised G', rows.map((r) => r.disc)],
  ['2SLS-on-DA, continuous G', rows.map((r) => r.cont)],
  [`DA+IVL-CV (median α ${median(rows.map((r) => r.cvAlpha)).toFixed(3)})`, rows.map((r) => r.cv)],
  ...alphaGrid.map((a, k) => [`DA+IVL, α = ${a.toPrecision(2)}`, rows.map((r) => r.grid[k])] as [string, number[]]),
];
console.log(`| method | nCER |\n|---|---|`);
for (const [name, v] of table) console.log(`| ${name} | ${fmt(v)} |`);
const wins = rows.filter((r) => r.cv < r.daErm).length;
const m = (k: keyof Row) => mean(rows.map((r) => r[k] as number));
const ordered =
  m('cv') < m('daErm') &&
  m('daErm') < m('disc') &&
  m('daErm') < m('cont') &&
  m('disc') < m('erm') &&
  m('cont') < m('erm');
console.log(`\nDA+IVL-CV below DA+ERM in ${wins}/${S} SCMs (paired).`);
console.log(`Ordering DA+IVL-CV < DA+ERM < each 2SLS-on-DA < ERM: ${ordered ? 'reproduced' : 'NOT reproduced'}`);

// Mean nCER along the α path, with the ERM, DA+ERM and IVL-CV levels as reference lines.
const pathMeans = alphaGrid.map((_, k) => mean(rows.map((r) => r.grid[k])));
const plot = await saveLineChart('ncer-path.svg', {
  title: `IVL: mean nCER along the regularisation path (${S} SCMs, n = ${n})`,
  x: { label: 'α, IVL regularisation weight', unit: 'ratio', scale: 'log' },
  y: { label: 'mean nCER (lower is better)', unit: 'ratio', zero: true },
  series: [{ name: 'DA+IVL on the α grid', x: alphaGrid, y: pathMeans }],
  rules: [
    { name: 'ERM', y: m('erm') },
    { name: 'DA+ERM', y: m('daErm') },
    { name: 'DA+IVL-CV', y: m('cv') },
  ],
});

if (!quick && !process.argv.includes('--no-sweeps')) {
  console.log('\nκ sweep (confounding strength; ERM / DA+ERM / DA+IVL-CV):');
  for (const kappa of [0, 0.5, 1]) {
    const r = runAll(kappa, 1, `kappa=${kappa}`);
    console.log(
      `  κ = ${kappa}: ${fmt(r.map((x) => x.erm))} / ${fmt(r.map((x) => x.daErm))} / ${fmt(r.map((x) => x.cv))}`,
    );
  }
  console.log('γ sweep (DA strength; ERM / DA+ERM / DA+IVL-CV):');
  for (const gamma of [10 ** -2.5, 0.1, 1, 10]) {
    const r = runAll(1, gamma, `gamma=${gamma.toPrecision(2)}`);
    console.log(
      `  γ = ${gamma.toPrecision(2)}: ${fmt(r.map((x) => x.erm))} / ${fmt(r.map((x) => x.daErm))} / ${fmt(r.map((x) => x.cv))}`,
    );
  }
}
console.log(`\n(${((Date.now() - t0) / 1000).toFixed(1)} s; plot: out/ncer-path.svg)`);
verdict({
  claim: 'DA+IVL with α by CV has lower nCER than DA+ERM (Akbar et al. 2025, linear simulation)',
  measured: Number((m('daErm') - m('cv')).toFixed(4)),
  criterion: `mean nCER(DA+ERM) − mean nCER(DA+IVL-CV) > 0 over ${S} SCMs (paired wins: ${wins}/${S})`,
  status: m('cv') < m('daErm'),
  plots: [plot],
});
verdict({
  claim: 'nCER ordering DA+IVL-CV < DA+ERM < each 2SLS-on-DA < ERM (spec §4.8)',
  measured: `ERM ${m('erm').toFixed(3)}, 2SLS disc ${m('disc').toFixed(3)}, 2SLS cont ${m('cont').toFixed(3)}, DA+ERM ${m('daErm').toFixed(3)}, IVL-CV ${m('cv').toFixed(3)}`,
  criterion: 'the four mean-nCER inequalities all hold',
  // With 8 SCMs the ill-posed 2SLS baselines have sd 0.1–0.27, so whether one lands below ERM is a coin flip
  // for some seeds (packages/causal/README): quick mode reports the ordering, full mode (32 SCMs) judges it.
  status: quick ? 'INFO' : ordered,
  plots: [plot],
  note: quick
    ? `quick mode (8 SCMs) is too small to judge the 2SLS-vs-ERM links (2SLS sd 0.1–0.27); ordering ${ordered ? 'holds' : 'does not hold'} on this seed`
    : undefined,
  fullCommand: quick ? 'pnpm --filter ivl-simulation full' : undefined,
});
exitOnFail();
