// EACS (Zuo & Wang 2026) on UCI Bike Sharing, spec §6.7: environments = days, covariates temp, atemp,
// hum, windspeed, outcome √cnt de-meaned within (holiday, weekday) cells; 5 contiguous folds of days.
// Compares Oracle, OLS, intercept only, anchor regression (γ by CV, and fixed γ), EACS fixed (C = 10,
// soft) and EACS 'cv'. Data: the vendored copy (data/hour-subset.csv.gz), or --data=PATH to hour.csv.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { allSubsets, anchorCV, anchorRegression, Eacs } from '@drojs/causal';
import { exitOnFail, progress, saveBarChart, verdict } from '@drojs/example-kit';

const quick = process.argv.includes('--quick');
const dataArg = process.argv.find((a) => a.startsWith('--data='));
const text = dataArg
  ? readFileSync(dataArg.slice(7), 'utf8')
  : gunzipSync(readFileSync(new URL('./data/hour-subset.csv.gz', import.meta.url))).toString('utf8');
const lines = text.trim().split('\n');
const header = lines[0].split(',');
const ix = (name: string) => header.indexOf(name);
const recs = lines.slice(1).map((l) => l.split(','));
const COV = ['temp', 'atemp', 'hum', 'windspeed'];

// Outcome: √cnt minus its mean within (holiday, weekday) over all rows (the authors' protocol).
const cell = (r: string[]) => `${r[ix('holiday')]}/${r[ix('weekday')]}`;
const sums = new Map<string, { s: number; c: number }>();
for (const r of recs) {
  const e = sums.get(cell(r)) ?? { s: 0, c: 0 };
  e.s += Math.sqrt(Number(r[ix('cnt')]));
  e.c++;
  sums.set(cell(r), e);
}
const dayMap = new Map<string, { X: number[][]; y: number[] }>();
for (const r of recs) {
  const d = r[ix('dteday')];
  const e = dayMap.get(d) ?? { X: [], y: [] };
  const m = sums.get(cell(r))!;
  e.X.push(COV.map((c) => Number(r[ix(c)])));
  e.y.push(Math.sqrt(Number(r[ix('cnt')])) - m.s / m.c);
  dayMap.set(d, e);
}
const days = Array.from(dayMap.keys()).sort();
const envs = days.map((d) => dayMap.get(d)!);
const sizes = [147, 146, 146, 146, 146];
const candidates = allSubsets(4);

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const psd = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / v.length);
const mse = (y: number[], p: ArrayLike<number>) => y.reduce((s, v, i) => s + (v - p[i]) ** 2, 0) / y.length;

type Env = { X: number[][]; y: number[] };
const results = new Map<string, number[]>();
const add = (k: string, v: number) => results.set(k, [...(results.get(k) ?? []), v]);
const chosenGammas: number[] = [];
const chosenModes: string[] = [];
const anchorGrid = [0.04, 0.25, 1, 4, 25, 100, 400];

let start = 0;
const t0 = Date.now();
const folds = progress('eacs-bike folds', 5);
for (let f = 0; f < 5; f++) {
  const testIdx = Array.from({ length: sizes[f] }, (_, k) => start + k);
  start += sizes[f];
  const isTest = new Set(testIdx);
  // Standardise covariates with the training fold's row mean and population sd.
  const trainRows = envs.filter((_, i) => !isTest.has(i)).flatMap((e) => e.X);
  const mu = COV.map((_, j) => mean(trainRows.map((r) => r[j])));
  const sd = COV.map((_, j) => psd(trainRows.map((r) => r[j])));
  const std = (e: Env): Env => ({ X: e.X.map((r) => r.map((v, j) => (v - mu[j]) / sd[j])), y: e.y });
  const train = envs.filter((_, i) => !isTest.has(i)).map(std);
  const test = testIdx.map((i) => std(envs[i]));
  const dayScore = (pred: (e: Env) => ArrayLike<number>) => mean(test.map((e) => mse(e.y, pred(e))));

  const fixed = new Eacs({
    summary: 'moments+pcorr',
    classWeight: 'balanced',
    mode: 'soft',
    C: 10,
    seed: `fold${f}`,
  }).fit(train);
  const models = fixed.subsetModels;
  const predSubset = (k: number, e: Env) =>
    e.X.map((r) => models[k].intercept + models[k].subset.reduce((s, j, q) => s + models[k].coef[q] * r[j], 0));
  add(
    'Oracle (best subset per test day)',
    mean(test.map((e) => Math.min(...candidates.map((_, k) => mse(e.y, predSubset(k, e)))))),
  );
  add(
    'OLS, all four covariates',
    dayScore((e) => predSubset(15, e)),
  );
  add(
    'intercept only',
    dayScore((e) => predSubset(0, e)),
  );

  const X = train.flatMap((e) => e.X);
  const y = train.flatMap((e) => e.y);
  const groups = train.flatMap((e, i) => e.y.map(() => i));
  const acv = anchorCV({ X, y, groups, gammas: anchorGrid, folds: 3, seed: `anchor${f}` });
  chosenGammas.push(acv.gamma);
  add(
    'anchor regression, γ by 3-fold CV',
    dayScore((e) => acv.fit.predict(e.X)),
  );
  if (!quick)
    for (const g of [0.04, 0.25, 4, 25, 100, 400]) {
      const a = anchorRegression({ X, y, anchors: { groups }, gamma: g });
      add(
        `anchor, fixed γ = ${g}`,
        dayScore((e) => a.predict(e.X)),
      );
    }
  add(
    'EACS (logistic), fixed C = 10, soft',
    dayScore((e) => fixed.predict(e.X)),
  );
  const cv = new Eacs({ summary: 'moments+pcorr', classWeight: 'balanced', mode: 'cv', seed: `eacs${f}` });
  cv.fit(train);
  chosenModes.push(`C=${cv.chosen!.C} ${cv.chosen!.mode}`);
  add(
    "EACS (logistic), mode 'cv'",
    dayScore((e) => cv.predict(e.X)),
  );
  folds.tick();
}
folds.done();
console.log(`\nEACS on UCI Bike Sharing (${days.length} days, 5 contiguous folds; per-day MSE of de-meaned √cnt)\n`);
console.log('| method | mean ± sd | folds |\n|---|---|---|');
for (const [k, v] of results)
  console.log(`| ${k} | ${mean(v).toFixed(4)} ± ${psd(v).toFixed(4)} | ${v.map((x) => x.toFixed(3)).join(', ')} |`);
console.log(`\nanchor CV chose γ = ${chosenGammas.join(', ')}; EACS cv chose ${chosenModes.join('; ')}`);
console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);

// Spec §6.7 (the authors' protocol, NumPy reference): EACS fixed C = 10 soft averages 34.888 ± 9.935 per-day MSE,
// below OLS (35.069): a small gain, won mostly in fold 2. Both the number and the direction are checked.
const FOLD_METHODS: [string, string][] = [
  ['Oracle (best subset per test day)', 'oracle subset'],
  ['OLS, all four covariates', 'OLS'],
  ['EACS (logistic), fixed C = 10, soft', 'EACS C = 10 soft'],
  ['intercept only', 'intercept only'],
];
const plot = await saveBarChart('fold-mse.svg', {
  title: 'EACS on UCI Bike Sharing: per-day test MSE by fold (lower is better)',
  x: { label: 'test fold (contiguous days)' },
  y: { label: 'mean per-day MSE of de-meaned √cnt', unit: 'count' },
  bars: FOLD_METHODS.flatMap(([key, name]) =>
    (results.get(key) ?? []).map((v, f) => ({ category: `fold ${f + 1}`, group: name, value: v })),
  ),
});
const eacs = mean(results.get('EACS (logistic), fixed C = 10, soft')!);
const olsMse = mean(results.get('OLS, all four covariates')!);
verdict({
  claim: 'EACS (fixed C = 10, soft) reproduces the spec §6.7 per-day MSE on Bike Sharing',
  measured: Number(eacs.toFixed(4)),
  criterion: '|mean MSE − 34.888| ≤ 0.001 (spec reference, 5 contiguous folds)',
  status: Math.abs(eacs - 34.888) <= 0.001,
  plots: [plot],
});
verdict({
  claim: 'Environment-adaptive covariate selection predicts unseen days better than OLS on all covariates',
  measured: Number((olsMse - eacs).toFixed(4)),
  criterion: 'OLS mean MSE − EACS mean MSE > 0 (paper direction; the gain is small: 0.18 in the spec)',
  status: olsMse - eacs > 0,
  plots: [plot],
});
exitOnFail();
