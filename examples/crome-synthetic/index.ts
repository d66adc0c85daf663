// Crome synthetic reward-hacking study (spec crome.md §8): a style attribute correlates with preference in the
// training pairs (ρ = 0.9) and anti-correlates at test; plain Bradley–Terry vs Crome (causal + neutral
// augmentations) and the ablations, linear reward models, full-batch GD (3000 steps, lr 0.5, l2 1e−3).
// Quick: seeds 101–102 and the §8.4 acceptance; full: seeds 101–105, the ρ = 0.95 run and the λ_tie sweep.
// Writes out/best-of-n.svg.
import { exitOnFail, saveLineChart, verdict } from '@drojs/example-kit';
import { type Metrics, NS, runSeed } from './study.js';

const quick = process.argv.includes('--quick');
const seeds = quick ? [101, 102] : [101, 102, 103, 104, 105];
const t0 = Date.now();

const VARIANTS = [
  'BT',
  'BT + causal',
  'BT + neutral',
  'Crome',
  'Crome + filter (defaults)',
  'Crome + filter (0.6 / 0.1)',
  'Oracle',
] as const;

// Spec §8.3 (NumPy reference, ρ = 0.9, mean over seeds 101–105): in-dist, anti, ratio, Best-of-N 1/4/16/64.
const EXPECTED: Record<string, [number, number, number, number[]]> = {
  BT: [0.917, 0.413, 0.731, [0.01, 0.76, 1.32, 1.74]],
  'BT + causal': [0.903, 0.546, 0.474, [0.01, 0.98, 1.67, 2.24]],
  'BT + neutral': [0.864, 0.687, 0.215, [0.01, 1.24, 2.12, 2.83]],
  Crome: [0.809, 0.768, 0.053, [0.01, 1.34, 2.29, 3.05]],
  'Crome + filter (defaults)': [0.809, 0.768, 0.053, [0.01, 1.34, 2.29, 3.05]],
  'Crome + filter (0.6 / 0.1)': [0.845, 0.718, 0.153, [0.01, 1.29, 2.21, 2.93]],
  Oracle: [0.791, 0.793, 0, [0.01, 1.35, 2.31, 3.08]],
};

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: number[]) => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
const fmt = (xs: number[], d = 3) => `${mean(xs).toFixed(d)} ± ${sd(xs).toFixed(d)}`;

const perSeed = seeds.map((seed) => ({ seed, r: runSeed({ seed, rho: 0.9, variants: VARIANTS }) }));
const pick = (v: string, f: (m: Metrics) => number) => perSeed.map((s) => f(s.r[v]!));

console.log(`Crome synthetic study, ρ = 0.9, seeds ${seeds.join(', ')} (${quick ? 'quick' : 'full'} mode)\n`);
console.log(
  '| reward model | in-dist acc. | anti-corr. acc. | ‖θs‖/‖θc‖ | Best-of-N quality N = 1 / 4 / 16 / 64 | spec §8.3 (in / anti / ratio / BoN) |',
);
console.log('|---|---|---|---|---|---|');
for (const v of VARIANTS) {
  const bon = NS.map((_, k) => mean(pick(v, (m) => m.bon[k]!)).toFixed(2)).join(' / ');
  const e = EXPECTED[v]!;
  const kept = perSeed[0]!.r[v]!.kept;
  const keptNote = kept
    ? ` (kept ${perSeed.map((s) => `${s.r[v]!.kept!.causal}c/${s.r[v]!.kept!.neutral}n`).join(', ')})`
    : '';
  console.log(
    `| ${v}${keptNote} | ${fmt(pick(v, (m) => m.inDist))} | ${fmt(pick(v, (m) => m.anti))} | ${fmt(pick(v, (m) => m.ratio))} | ${bon} | ${e[0]} / ${e[1]} / ${e[2]} / ${e[3].join(' / ')} |`,
  );
}

// §8.4 acceptance, per seed.
const checks: string[] = [];
for (const { seed, r } of perSeed) {
  const bt = r.BT!;
  const cr = r.Crome!;
  const or = r.Oracle!;
  const c = [
    [`anti(Crome) ≥ anti(BT) + 0.25`, cr.anti >= bt.anti + 0.25],
    [`ratio(Crome) ≤ 0.15`, cr.ratio <= 0.15],
    [`ratio(BT) ≥ 0.5`, bt.ratio >= 0.5],
    [`BoN64(Crome) ≥ BoN64(BT) + 0.9`, cr.bon[3]! >= bt.bon[3]! + 0.9],
    [`|BoN64(Crome) − BoN64(oracle)| ≤ 0.15`, Math.abs(cr.bon[3]! - or.bon[3]!) <= 0.15],
    [`inDist(BT) ≥ inDist(Crome)`, bt.inDist >= cr.inDist],
  ] as const;
  for (const [name, ok] of c) if (!ok) checks.push(`seed ${seed}: ${name} failed`);
}

if (!quick) {
  console.log('\nFurther runs (spec §8.3), seeds 101–105:');
  const strong = seeds.map((seed) => runSeed({ seed, rho: 0.95, variants: ['BT', 'Crome'] }));
  for (const v of ['BT', 'Crome'])
    console.log(
      `  ρ = 0.95 ${v}: in ${fmt(strong.map((r) => r[v]!.inDist))} / anti ${fmt(strong.map((r) => r[v]!.anti))} / ratio ${fmt(strong.map((r) => r[v]!.ratio))} / BoN64 ${fmt(
        strong.map((r) => r[v]!.bon[3]!),
        2,
      )}   (spec: ${v === 'BT' ? '0.953 / 0.274 / 0.99 / 1.40' : '0.815 / 0.762 / 0.059 / 3.04'})`,
    );
  const spec: Record<number, string> = { 0.25: '0.846 / 0.715 / 0.160 / 2.92', 4: '0.793 / 0.785 / 0.014 / 3.07' };
  for (const lambdaTie of [0.25, 4]) {
    const rs = seeds.map((seed) => runSeed({ seed, rho: 0.9, lambdaTie, variants: ['Crome'] }).Crome!);
    console.log(
      `  λ_tie = ${lambdaTie} Crome: in ${fmt(rs.map((m) => m.inDist))} / anti ${fmt(rs.map((m) => m.anti))} / ratio ${fmt(rs.map((m) => m.ratio))} / BoN64 ${fmt(
        rs.map((m) => m.bon[3]!),
        2,
      )}   (spec: ${spec[lambdaTie]})`,
    );
  }
}

// Best-of-N curves: true quality of the reward model's pick against N (log scale).
const bonVariants = ['BT', 'BT + causal', 'BT + neutral', 'Crome', 'Oracle'];
const plot = await saveLineChart('best-of-n.svg', {
  title: `Best-of-N true quality (ρ = 0.9, mean over seeds ${seeds.join(', ')})`,
  x: { label: 'N, candidates the reward model picks from', unit: 'count', scale: 'log' },
  y: { label: 'true quality of the pick', unit: 'quality units' },
  series: bonVariants.map((v) => ({ name: v, x: [...NS], y: NS.map((_, i) => mean(pick(v, (m) => m.bon[i]!))) })),
});

const bt = pick('BT', (m) => m.anti);
const cr = pick('Crome', (m) => m.anti);
for (const c of checks) console.log(`FAIL ${c}`);
console.log(`\n(${((Date.now() - t0) / 1000).toFixed(1)} s; plot: out/best-of-n.svg)`);
verdict({
  claim:
    'Crome removes the spurious style weight that plain Bradley–Terry learns: higher anti-correlated accuracy and Best-of-N quality near the oracle (spec §8.4, per seed)',
  measured: `anti-correlated accuracy BT ${mean(bt).toFixed(3)} → Crome ${mean(cr).toFixed(3)}; style/causal weight ratio BT ${mean(pick('BT', (m) => m.ratio)).toFixed(3)} → Crome ${mean(pick('Crome', (m) => m.ratio)).toFixed(3)}; BoN64 quality BT ${mean(pick('BT', (m) => m.bon[3]!)).toFixed(2)}, Crome ${mean(pick('Crome', (m) => m.bon[3]!)).toFixed(2)}, oracle ${mean(pick('Oracle', (m) => m.bon[3]!)).toFixed(2)}`,
  criterion:
    'per seed: anti(Crome) ≥ anti(BT)+0.25; ratio(Crome) ≤ 0.15, ratio(BT) ≥ 0.5; BoN64(Crome) ≥ BoN64(BT)+0.9 and within 0.15 of the oracle; inDist(BT) ≥ inDist(Crome)',
  status: checks.length === 0,
  plots: [plot],
  note: quick ? `quick mode: seeds ${seeds.join(', ')} of the spec's 101–105` : undefined,
  fullCommand: quick ? 'pnpm --filter crome-synthetic full' : undefined,
});
exitOnFail();
