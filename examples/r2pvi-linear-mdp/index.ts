// R2PVI reproduction (robust-rl spec §8): robust vs non-robust offline policies as the test-time transition
// shift grows, scored by exact dynamic programming (no Monte-Carlo episodes).
//   A. tabular trap MDP (§8.A): R2PVI on one-hot data converges to the exact robust value;
//   B. tabular trap MDP (§8.B): learned policies under the in-support "risky" and the TV "global" shift;
//   C. the paper's simulated linear MDP (§8.C): return under the perturbation q of the fail probability;
//   D. DR-RPO online on the trap MDP (§8.D, reconstructed; informative targets).
// Usage: tsx index.ts [--quick]   (quick: fewer datasets in A, fewer episodes and seeds in D; B and C as specified)
import { mkdirSync, writeFileSync } from 'node:fs';
import { exitOnFail, verdict as kitVerdict, type Series, saveLineChart } from '@drojs/example-kit';
import {
  type Divergence,
  DrRpoAgent,
  evaluatePolicy,
  fitPevi,
  fitR2pvi,
  greedyPolicy,
  paperLinearMdp,
  type R2pviOptions,
  regularizedRobustDp,
  regularizedRobustEvaluate,
  robustDp,
  robustEvaluate,
  rolloutEpisode,
  sampleTabularDataset,
  sampleTrajectories,
  shiftGlobal,
  shiftRisky,
  toTabular,
  trapMdp,
  uniformPolicy,
} from '@drojs/robust-rl';

const quick = process.argv.includes('--quick');
const mode = quick ? 'quick' : 'full';
const t0 = Date.now();
const outDir = new URL('./out/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const verdicts: Record<string, unknown>[] = [];

const pending: { claim: string; measured: unknown; criterion: string; pass: boolean | null; plots: string[] }[] = [];
const PLOTS_B = ['out/trap-risky.svg', 'out/trap-global.svg'];
const PLOTS_C = ['out/paper-mdp.svg'];

/** Records a verdict; all are printed at the end through the kit, after the plots they name exist. */
function verdict(
  claim: string,
  measured: unknown,
  criterion: string,
  pass: boolean | null,
  plots: string[] = [],
): void {
  const status = pass === null ? 'INFO' : pass ? 'PASS' : 'FAIL';
  verdicts.push({ claim, measured, criterion, status, mode });
  pending.push({ claim, measured, criterion, pass, plots });
}

/** `a=1, b=[2, 3]`: a measured record as one readable string for the verdict line. */
function describe(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return Object.entries(v)
      .map(
        ([k, x]) =>
          `${k}=${typeof x === 'object' && x !== null && !Array.isArray(x) ? `{${describe(x)}}` : describe(x)}`,
      )
      .join(', ');
  }
  return String(v);
}
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const f3 = (x: number) => x.toFixed(3);

// ---------------------------------------------------------------------------------------------------------
// A. Convergence to the exact robust value (trap MDP, θ known, γ = 1, diag bonus, vMin 'data').
const trap = trapMdp();
const { P, R } = toTabular(trap);
const objectives: { name: string; spec: { divergence: Divergence; lambda?: number } }[] = [
  { name: 'TV', spec: { divergence: 'tv', lambda: 0.3 } },
  { name: 'KL', spec: { divergence: 'kl', lambda: 0.3 } },
  { name: 'χ²', spec: { divergence: 'chi2', lambda: 0.3 } },
  { name: 'none', spec: { divergence: 'none' } },
];
const numDatasetsA = quick ? 4 : 10;
console.log(
  `\nA. trap MDP, λ = 0.3: mean V̂₀(0) − V*₀(0) and suboptimality (β = 0), pessimism (β = 1); ${numDatasetsA} datasets per N`,
);
console.log('objective | N    | V̂ − V* (β 0) | normalised | suboptimality | pessimism holds (β 1)');
const atN1000: Record<string, { bias: number; subopt: number }> = {};
for (const { name, spec } of objectives) {
  const exact = robustDp(trap, spec);
  const vStar = exact.V[0]![0]!;
  for (const N of [5, 20, 100, 1000]) {
    const bias: number[] = [];
    const biasNorm: number[] = [];
    const subopt: number[] = [];
    let pessimistic = 0;
    for (let k = 0; k < numDatasetsA; k++) {
      const data = sampleTabularDataset(P, R, N, `A-${N}-${k}`);
      const base = { ...spec, theta: trap.theta, ridge: 1, bonus: 'diag' as const };
      const m0 = fitR2pvi(data, { ...base, beta: 0 });
      bias.push(m0.value(0, trap.phi[0]![0]!) - vStar);
      biasNorm.push(fitR2pvi(data, { ...base, beta: 0, normalize: true }).value(0, trap.phi[0]![0]!) - vStar);
      subopt.push(vStar - robustEvaluate(trap, greedyPolicy(m0, trap), spec)[0]![0]!);
      const m1 = fitR2pvi(data, { ...base, beta: 1 });
      const vHat = m1.value(0, trap.phi[0]![0]!);
      if (vHat <= robustEvaluate(trap, greedyPolicy(m1, trap), spec)[0]![0]! + 1e-12) pessimistic++;
    }
    console.log(
      `${name.padEnd(9)} | ${String(N).padEnd(4)} | ${f3(mean(bias)).padStart(12)} | ${f3(mean(biasNorm)).padStart(10)} | ${f3(mean(subopt)).padStart(13)} | ${pessimistic}/${numDatasetsA}`,
    );
    if (N === 1000) atN1000[name] = { bias: mean(bias), subopt: mean(subopt) };
  }
}
verdict(
  'R2PVI converges to the exact robust value on the tabular trap MDP (TV, KL, χ², none; λ = 0.3)',
  atN1000,
  '|mean V̂ − V*| ≤ 0.02 and mean suboptimality ≤ 0.01 at N = 1000 for every objective',
  Object.values(atN1000).every((r) => Math.abs(r.bias) <= 0.02 && r.subopt <= 0.01),
);

// ---------------------------------------------------------------------------------------------------------
// B. Learned policies under shifted transitions (N = 20, γ = 1, β = 0.5, diag, θ known; 10 datasets).
const eps = [0, 0.1, 0.2, 0.3, 0.4];
const shifted = {
  risky: eps.map((e) => ({ P: shiftRisky(P, e, { trap: 5, action: 1 }), R })),
  global: eps.map((e) => ({ P: shiftGlobal(P, e, { trap: 5 }), R })),
};
const learners: { name: string; colour: string; opts: R2pviOptions }[] = [
  { name: 'PEVI-style (none)', colour: '#444444', opts: { divergence: 'none' } },
  { name: 'R2PVI-KL 0.3', colour: '#1f77b4', opts: { divergence: 'kl', lambda: 0.3 } },
  { name: 'R2PVI-χ² 0.3', colour: '#2ca02c', opts: { divergence: 'chi2', lambda: 0.3 } },
  { name: 'R2PVI-TV 0.3', colour: '#d62728', opts: { divergence: 'tv', lambda: 0.3 } },
];
const curvesB: Record<string, { risky: number[]; global: number[] }> = {};
for (const l of learners) {
  const risky = eps.map(() => [] as number[]);
  const global = eps.map(() => [] as number[]);
  for (let k = 0; k < 10; k++) {
    const data = sampleTabularDataset(P, R, 20, `B-${k}`);
    const pol = greedyPolicy(
      fitR2pvi(data, { ...l.opts, ridge: 1, beta: 0.5, bonus: 'diag', theta: trap.theta }),
      trap,
    );
    eps.forEach((_, i) => {
      risky[i]!.push(evaluatePolicy(shifted.risky[i]!, pol)[0]![0]!);
      global[i]!.push(evaluatePolicy(shifted.global[i]!, pol)[0]![0]!);
    });
  }
  curvesB[l.name] = { risky: risky.map(mean), global: global.map(mean) };
}
const exactB: Record<string, { risky: number[]; global: number[] }> = {};
for (const { name, spec } of objectives) {
  const pol = robustDp(trap, spec).policy;
  exactB[name] = {
    risky: shifted.risky.map((m) => evaluatePolicy(m, pol)[0]![0]!),
    global: shifted.global.map((m) => evaluatePolicy(m, pol)[0]![0]!),
  };
}
console.log(
  '\nB. trap MDP: V₀(0) under the risky / global shift, ε = 0 / .1 / .2 / .3 / .4 (learned: mean of 10 datasets)',
);
for (const [name, c] of Object.entries(curvesB)) {
  console.log(
    `learned ${name.padEnd(18)} risky ${c.risky.map(f3).join(' / ')} | global ${c.global.map(f3).join(' / ')}`,
  );
}
for (const [name, c] of Object.entries(exactB)) {
  console.log(
    `exact   ${name.padEnd(18)} risky ${c.risky.map(f3).join(' / ')} | global ${c.global.map(f3).join(' / ')}`,
  );
}
// The spec's learned-policy table (NumPy reference, its own random datasets): agreement within the spread.
const specB: Record<string, { risky: number[]; global: number[] }> = {
  'PEVI-style (none)': { risky: [2.367, 2.208, 2.059, 1.922, 1.795], global: [2.367, 2.041, 1.754, 1.502, 1.284] },
  'R2PVI-KL 0.3': { risky: [2.242, 2.206, 2.171, 2.136, 2.101], global: [2.242, 1.876, 1.563, 1.298, 1.078] },
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: 1.442 is a table value, not log₂ e
  'R2PVI-χ² 0.3': { risky: [2.358, 2.24, 2.127, 2.021, 1.919], global: [2.358, 2.01, 1.706, 1.442, 1.216] },
  'R2PVI-TV 0.3': { risky: [2.276, 2.025, 1.803, 1.607, 1.436], global: [2.276, 2.025, 1.803, 1.607, 1.436] },
};
for (const [name, c] of Object.entries(specB)) {
  console.log(
    `spec    ${name.padEnd(18)} risky ${c.risky.map(f3).join(' / ')} | global ${c.global.map(f3).join(' / ')}`,
  );
}
const diffB = Object.fromEntries(
  Object.entries(specB).map(([name, c]) => [
    name,
    Math.max(...(['risky', 'global'] as const).flatMap((k) => c[k].map((v, i) => Math.abs(v - curvesB[name]![k][i]!)))),
  ]),
);
verdict(
  'learned-policy returns of §8.B against the spec table (different random datasets)',
  diffB,
  'informative: max |TS mean − spec mean| per learner over both shifts and all ε',
  null,
  PLOTS_B,
);
const nom = curvesB['PEVI-style (none)']!;
const kl = curvesB['R2PVI-KL 0.3']!;
const chi = curvesB['R2PVI-χ² 0.3']!;
const tv = curvesB['R2PVI-TV 0.3']!;
verdict(
  'KL- and χ²-robust policies lose less return than the nominal one under the in-support risky shift',
  { klGain: kl.risky[4]! - nom.risky[4]!, chi2Gain: chi.risky[4]! - nom.risky[4]! },
  'learned R2PVI-KL and R2PVI-χ² above the learned nominal policy at risky ε = 0.4 by ≥ 0.05',
  kl.risky[4]! - nom.risky[4]! >= 0.05 && chi.risky[4]! - nom.risky[4]! >= 0.05,
  PLOTS_B,
);
verdict(
  'the TV-robust policy loses less return than the nominal one under the global (TV) shift',
  { tvGain: tv.global[4]! - nom.global[4]! },
  'learned R2PVI-TV above the learned nominal policy at global ε = 0.4 by ≥ 0.05',
  tv.global[4]! - nom.global[4]! >= 0.05,
  PLOTS_B,
);
verdict(
  'robustness has a price at ε = 0',
  {
    klLoss: nom.risky[0]! - kl.risky[0]!,
    tvLoss: nom.risky[0]! - tv.risky[0]!,
    chi2Loss: nom.risky[0]! - chi.risky[0]!,
  },
  'learned R2PVI-KL and R2PVI-TV below the learned nominal policy at ε = 0',
  kl.risky[0]! < nom.risky[0]! && tv.risky[0]! < nom.risky[0]!,
  PLOTS_B,
);
for (const shift of ['risky', 'global'] as const) {
  const series: Series[] = [
    ...learners.map((l) => ({ name: l.name, x: eps, y: curvesB[l.name]![shift] })),
    { name: 'exact nominal', x: eps, y: exactB.none![shift] },
  ];
  await saveLineChart(`trap-${shift}.svg`, {
    title: `Trap MDP, ${shift} shift (10 datasets, N = 20)`,
    x: { label: 'shift ε', unit: 'probability' },
    y: { label: 'V₀(0) under the shifted kernel', unit: 'return' },
    series,
  });
}

// ---------------------------------------------------------------------------------------------------------
// C. The paper's simulated linear MDP: 100 uniform-policy trajectories, 20 replications, β = 1, γ = 0.1,
// λ = 0.1; the fail state (index 3) is terminal in the data.
const qs = Array.from({ length: 11 }, (_, i) => i / 10);
const testMdps = qs.map((q) => paperLinearMdp(q));
const nominalMdp = paperLinearMdp(0);
const methods: {
  name: string;
  colour: string;
  fit: (d: ReturnType<typeof sampleTrajectories>) => ReturnType<typeof fitR2pvi>;
}[] = [
  { name: 'PEVI', colour: '#444444', fit: (d) => fitPevi(d, { beta: 1, ridge: 0.1 }) },
  {
    name: 'R2PVI-TV',
    colour: '#d62728',
    fit: (d) => fitR2pvi(d, { divergence: 'tv', lambda: 0.1, beta: 1, ridge: 0.1, theta: nominalMdp.theta }),
  },
  {
    name: 'R2PVI-KL',
    colour: '#1f77b4',
    fit: (d) => fitR2pvi(d, { divergence: 'kl', lambda: 0.1, beta: 1, ridge: 0.1, theta: nominalMdp.theta }),
  },
  {
    name: 'R2PVI-χ²',
    colour: '#2ca02c',
    fit: (d) => fitR2pvi(d, { divergence: 'chi2', lambda: 0.1, beta: 1, ridge: 0.1, theta: nominalMdp.theta }),
  },
  {
    name: 'R2PVI-TV β=0',
    colour: '#ff7f0e',
    fit: (d) => fitR2pvi(d, { divergence: 'tv', lambda: 0.1, beta: 0, ridge: 0.1, theta: nominalMdp.theta }),
  },
  {
    name: 'DRPVI-TV ρ=0.3',
    colour: '#9467bd',
    fit: (d) => fitR2pvi(d, { divergence: 'tv-ball', rho: 0.3, beta: 1, ridge: 0.1, theta: nominalMdp.theta }),
  },
];
const curvesC: Record<string, { ret: number[]; sd: number[]; phi4: number; ms: number }> = {};
for (const m of methods) {
  const returns = qs.map(() => [] as number[]);
  const phi4: number[] = [];
  let ms = 0;
  for (let rep = 0; rep < 20; rep++) {
    const data = sampleTrajectories(nominalMdp, 100, `C-${rep}`, { terminalStates: [3] });
    const t = performance.now();
    const model = m.fit(data);
    ms += performance.now() - t;
    const pol = greedyPolicy(model, nominalMdp);
    phi4.push(nominalMdp.phi[0]![0]![pol[0]![0]!]![3]!);
    testMdps.forEach((mdp, i) => returns[i]!.push(evaluatePolicy(mdp, pol)[0]![0]!));
  }
  const sd = returns.map((r) => Math.sqrt(mean(r.map((x) => (x - mean(r)) ** 2))));
  curvesC[m.name] = { ret: returns.map(mean), sd, phi4: mean(phi4), ms: ms / 20 };
}
const optPol = robustDp(nominalMdp, { divergence: 'none' }).policy;
const exactC = testMdps.map((mdp) => evaluatePolicy(mdp, optPol)[0]![0]!);
console.log('\nC. paper linear MDP: mean V₀(x1) under q = 0 / .2 / .4 / .6 / .8 / 1 (20 replications)');
const pick = (x: number[]) => [0, 2, 4, 6, 8, 10].map((i) => f3(x[i]!)).join(' / ');
for (const [name, c] of Object.entries(curvesC)) {
  console.log(
    `${name.padEnd(15)} ${pick(c.ret)}  (max sd ${f3(Math.max(...c.sd))}, mean φ₄ of a₀ ${c.phi4.toFixed(2)}, fit ${c.ms.toFixed(1)} ms)`,
  );
}
console.log(`${'exact optimum'.padEnd(15)} ${pick(exactC)}`);
// The spec's table (NumPy reference, its own datasets).
const specC: Record<string, number[]> = {
  PEVI: [1.542, 1.386, 1.23, 1.074, 0.918, 0.762],
  'R2PVI-TV': [1.395, 1.317, 1.239, 1.161, 1.083, 1.005],
  'R2PVI-KL': [1.519, 1.375, 1.231, 1.087, 0.943, 0.799],
  'R2PVI-χ²': [1.512, 1.372, 1.232, 1.092, 0.952, 0.812],
  'R2PVI-TV β=0': [1.579, 1.403, 1.227, 1.051, 0.875, 0.699],
  'DRPVI-TV ρ=0.3': [1.542, 1.386, 1.23, 1.074, 0.918, 0.762],
};
for (const [name, row] of Object.entries(specC)) console.log(`spec ${name.padEnd(10)} ${row.map(f3).join(' / ')}`);
verdict(
  'mean returns of §8.C against the spec table (different random datasets; spec sd over replications ≤ 0.20)',
  Object.fromEntries(
    Object.entries(specC).map(([name, row]) => [
      name,
      Math.max(...row.map((v, k) => Math.abs(v - curvesC[name]!.ret[[0, 2, 4, 6, 8, 10][k]!]!))),
    ]),
  ),
  'informative: max |TS mean − spec mean| per method over q = 0, 0.2, …, 1',
  null,
  PLOTS_C,
);
const exactRowSpec = [1.624, 1.424, 1.224, 1.024, 0.824, 0.624];
verdict(
  "the exact optimum of the paper MDP (every objective's optimal policy equals the nominal one)",
  [0, 2, 4, 6, 8, 10].map((i) => exactC[i]),
  'spec §8.C row 1.624 … 0.624 to its printed 3 decimals (±5e-4); TV/KL/χ² optima at λ = 0.1 equal the nominal policy',
  [0, 2, 4, 6, 8, 10].every((i, k) => Math.abs(exactC[i]! - exactRowSpec[k]!) <= 5e-4) &&
    (['tv', 'kl', 'chi2'] as const).every(
      (divergence) =>
        JSON.stringify(robustDp(nominalMdp, { divergence, lambda: 0.1 }).policy.map((p) => Array.from(p))) ===
        JSON.stringify(optPol.map((p) => Array.from(p))),
    ),
  PLOTS_C,
);
const tvC = curvesC['R2PVI-TV']!.ret;
const peviC = curvesC.PEVI!.ret;
verdict(
  'R2PVI-TV (β = 1) keeps more return than PEVI under the fail-state perturbation (and pays at q = 0)',
  { gainAtQ1: tvC[10]! - peviC[10]!, lossAtQ0: peviC[0]! - tvC[0]! },
  'R2PVI-TV mean return at q = 1 above PEVI by ≥ 0.15 and at q = 0 below it',
  tvC[10]! - peviC[10]! >= 0.15 && tvC[0]! < peviC[0]!,
  PLOTS_C,
);
console.log(
  '\nWhy the TV curve is flat here (spec §8.C): the exact TV/KL/χ²-regularised optima equal the nominal policy in this MDP;\n' +
    "R2PVI-TV's near-tie between actions is broken by the pessimism bonus, which penalises the rarely seen φ₄-heavy actions;\n" +
    'with β = 0 its curve is as steep as PEVI. The tabular trap MDP (B) is the evidence for robustness.',
);
await saveLineChart('paper-mdp.svg', {
  title: 'Paper linear MDP (20 replications)',
  x: { label: 'perturbation q of the fail probability', unit: 'probability' },
  y: { label: 'V₀(x1)', unit: 'return' },
  series: [
    ...methods.map((m) => ({ name: m.name, x: qs, y: curvesC[m.name]!.ret })),
    { name: 'exact optimum', x: qs, y: exactC },
  ],
});
// ---------------------------------------------------------------------------------------------------------
// D. DR-RPO online (⚠ reconstructed loop, spec §8.D targets, not pass criteria): trap MDP, one-hot features,
// uniform π_ref, β_π = 0.05, η = 1, bonus 0.5, γ = 1; regret against regularizedRobustDp of the same objective.
const episodesD = quick ? 100 : 300;
const seedsD = quick ? 2 : 5;
const refD = uniformPolicy(trap.H, trap.S, trap.A);
const resultsD: Record<string, unknown>[] = [];
const policyTable = (agent: DrRpoAgent) =>
  trap.phi.map((rows, h) => rows.map((phiAll) => Array.from(agent.policy(h, phiAll))));
console.log(`\nD. DR-RPO online on the trap MDP (${episodesD} episodes, ${seedsD} seeds; reconstructed loop)`);
for (const rho of [0, 0.1, 0.3]) {
  const opt = regularizedRobustDp(trap, refD, { beta: 0.05, rho });
  const vOpt = opt.V[0]![0]!;
  const checkpoints = [50, 150, 300].filter((k) => k <= episodesD);
  const regretAt = checkpoints.map(() => [] as number[]);
  const finalGlobal = [0, 0.2, 0.4].map(() => [] as number[]);
  for (let seed = 0; seed < seedsD; seed++) {
    const agent = new DrRpoAgent({
      H: 4,
      d: 12,
      nActions: 2,
      rho,
      betaPolicy: 0.05,
      eta: 1,
      bonus: 0.5,
      ridge: 1,
      theta: trap.theta,
    });
    let regret = 0;
    for (let k = 1; k <= episodesD; k++) {
      regret += vOpt - regularizedRobustEvaluate(trap, policyTable(agent), refD, { beta: 0.05, rho })[0]![0]!;
      agent.observe(rolloutEpisode(trap, agent, `D-${rho}-${seed}-${k}`));
      agent.update();
      const c = checkpoints.indexOf(k);
      if (c >= 0) regretAt[c]!.push(regret);
    }
    const table = policyTable(agent);
    [0, 0.2, 0.4].forEach((e, i) =>
      finalGlobal[i]!.push(evaluatePolicy({ P: shiftGlobal(P, e, { trap: 5 }), R }, table)[0]![0]!),
    );
  }
  const optGlobal = [0, 0.2, 0.4].map(
    (e) => evaluatePolicy({ P: shiftGlobal(P, e, { trap: 5 }), R }, opt.policy)[0]![0]!,
  );
  const row = {
    rho,
    optimum: vOpt,
    regret: Object.fromEntries(checkpoints.map((k, c) => [k, mean(regretAt[c]!)])),
    finalGlobal: finalGlobal.map(mean),
    optimalGlobal: optGlobal,
  };
  resultsD.push(row);
  console.log(
    `ρ = ${rho}: optimum ${f3(vOpt)}; cumulative regret ${checkpoints.map((k, c) => `${k}: ${mean(regretAt[c]!).toFixed(2)}`).join(', ')}; ` +
      `final policy global ε 0/.2/.4 ${row.finalGlobal.map(f3).join(' / ')}; exact optimal ${optGlobal.map(f3).join(' / ')}`,
  );
}
verdict(
  'DR-RPO online (reconstructed): cumulative regret and the final policy under the global shift',
  resultsD,
  'informative: spec §8.D targets (ρ = 0 / 0.1 / 0.3: optimum 2.299 / 1.928 / 1.378; regret after 300 episodes 27.33 / 16.85 / 5.28)',
  null,
);

writeFileSync(
  new URL('results.json', outDir),
  JSON.stringify({ mode, atN1000, curvesB, exactB, curvesC, exactC, resultsD, verdicts }, null, 1),
);
console.log(
  `\nwrote out/trap-risky.svg, out/trap-global.svg, out/paper-mdp.svg, out/results.json (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
);
for (const v of pending) {
  kitVerdict({
    claim: v.claim,
    measured: describe(v.measured),
    criterion: v.criterion,
    status: v.pass === null ? 'INFO' : v.pass,
    plots: v.plots,
    note: v.pass === null ? 'informative: the spec gives targets, not pass criteria, for this part' : undefined,
  });
}
exitOnFail();
