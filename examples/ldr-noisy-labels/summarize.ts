// Merges the per-invocation result files `out/results-<tag>.json` (default: every tag starting with "full")
// into one table and evaluates the spec's criteria R1–R4 on whatever has been measured.
// Usage: tsx summarize.ts [--prefix full] [--out DIR]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cell } from './src/report.js';

const arg = (n: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dir = arg('out') ?? join(import.meta.dirname, 'out');
const prefix = arg('prefix') ?? 'full';
const files = readdirSync(dir).filter((f) => f.startsWith(`results-${prefix}`) && f.endsWith('.json'));
const cells: Cell[] = [];
let lastK = 5;
const meta: string[] = [];
for (const f of files.sort()) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
    config: { lastK: number; epochs: number; nTrain: number; nTest: number };
    backend: string;
    node: string;
    date: string;
    cells: Cell[];
  };
  lastK = r.config.lastK;
  meta.push(
    `${f}: backend ${r.backend}, Node ${r.node}, ${r.date}, ${r.config.nTrain} train / ${r.config.nTest} test, ${r.config.epochs} epochs`,
  );
  for (const c of r.cells) {
    let m = cells.find((x) => x.loss === c.loss && x.noise === c.noise);
    if (!m) {
      m = { loss: c.loss, noise: c.noise, runs: [], actualNoise: [] };
      cells.push(m);
    }
    m.runs.push(...c.runs);
    m.actualNoise.push(...c.actualNoise);
  }
}
const order = ['CE', 'LDR:10', 'ALDR:10', 'LDR:1', 'GCE', 'SCE', 'MAE', 'NCE+RCE'];
const noises = ['clean', 'uniform:0.4', 'uniform:0.6', 'classdep:0.3'].filter((n) => cells.some((c) => c.noise === n));
const losses = order.filter((l) => cells.some((c) => c.loss === l));
const pct = (x: number) => (100 * x).toFixed(1);
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const cellOf = (l: string, n: string) => cells.find((c) => c.loss === l && c.noise === n);
console.log(`| loss | ${noises.join(' | ')} |\n| --- | ${noises.map(() => '---').join(' | ')} |`);
for (const l of losses) {
  const cols = noises.map((n) => {
    const c = cellOf(l, n);
    if (!c) return '–';
    const runs = [...c.runs].sort((a, b) => a.seed - b.seed);
    const per = runs.map((r) => `s${r.seed}: ${pct(r.lastKMean)} (best ${pct(r.best)} @${r.bestEpoch})`).join('; ');
    return `**${pct(mean(runs.map((r) => r.lastKMean)))}** — ${per}`;
  });
  console.log(`| ${l} | ${cols.join(' | ')} |`);
}
console.log(
  `\ncell: mean over seeds of the last-${lastK}-epoch clean test accuracy (%), then per seed: last-${lastK} (best epoch accuracy @ epoch)`,
);
console.log('\nactual fraction of training labels changed:');
for (const n of noises) {
  const seen = new Map<number, number>();
  for (const c of cells.filter((x) => x.noise === n)) c.runs.forEach((r, i) => seen.set(r.seed, c.actualNoise[i]!));
  console.log(
    `  ${n}: ${[...seen.entries()]
      .sort()
      .map(([s, a]) => `seed ${s} ${pct(a)}%`)
      .join(', ')}`,
  );
}
console.log('\nALDR λ after training (mean / min / max):');
for (const c of cells.filter((x) => x.loss.startsWith('ALDR'))) {
  for (const r of c.runs)
    console.log(
      `  ${c.noise} seed ${r.seed}: ${r.aldr?.meanLambda.toFixed(4)} / ${r.aldr?.minLambda.toFixed(4)} / ${r.aldr?.maxLambda.toFixed(4)}`,
    );
}
console.log('\nwall time per run (s):');
for (const c of cells) console.log(`  ${c.loss} ${c.noise}: ${c.runs.map((r) => r.seconds.toFixed(0)).join(', ')}`);
const m = (l: string, n: string) => {
  const c = cellOf(l, n);
  return c ? { v: mean(c.runs.map((r) => r.lastKMean)), seeds: c.runs.length } : null;
};
const crit = (name: string, ok: boolean | null, detail: string) =>
  console.log(`  ${name}: ${ok === null ? 'not measured' : ok ? 'MET' : 'NOT MET'} — ${detail}`);
console.log('\ncriteria (spec §13.2, on the seeds measured so far):');
for (const n of ['uniform:0.4', 'classdep:0.3']) {
  const ce = m('CE', n);
  for (const l of ['LDR:10', 'ALDR:10']) {
    const x = m(l, n);
    crit(
      `R1 ${l} − CE under ${n} ≥ 8 points`,
      ce && x ? x.v - ce.v >= 0.08 : null,
      ce && x ? `${pct(x.v - ce.v)} points (${x.seeds}/${ce.seeds} seeds)` : '',
    );
  }
  const l1 = m('LDR:1', n);
  crit(
    `R3 |LDR:1 − CE| under ${n} ≤ 3 points`,
    ce && l1 ? Math.abs(l1.v - ce.v) <= 0.03 : null,
    ce && l1 ? `${pct(l1.v - ce.v)} points` : '',
  );
}
const ceC = m('CE', 'clean');
const ldrC = m('LDR:10', 'clean');
crit(
  'R2 LDR:10 within 2 points of CE on clean labels',
  ceC && ldrC ? Math.abs(ldrC.v - ceC.v) <= 0.02 : null,
  ceC && ldrC ? `${pct(ldrC.v - ceC.v)} points` : '',
);
const lams = cells.filter((x) => x.loss === 'ALDR:10').flatMap((c) => c.runs.map((r) => r.aldr!));
crit(
  'R4 every ALDR λ in [5, 10]',
  lams.length ? lams.every((a) => a.minLambda >= 5 && a.maxLambda <= 10) : null,
  lams.length ? `min over runs ${Math.min(...lams.map((a) => a.minLambda)).toFixed(4)}` : '',
);
console.log(`\n${meta.join('\n')}`);
