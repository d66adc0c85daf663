#!/usr/bin/env node
// One fault, one code: probes every package's public API (the built dist/) with the same faults and prints the
// code each answers with. Exits 1 when a fault gets another code than dro-core's table says, when a misspelt
// option is not named in the message, or when anything but a DroError escapes. Run after `pnpm build`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const load = async (pkg, entry = 'index') => {
  const file = join(root, 'packages', pkg, 'dist', `${entry}.js`);
  return existsSync(file) ? import(file) : null;
};

const dro = await load('dro-core');
await dro.initBackend({ backend: 'cpu' });
const mods = {
  ldr: await load('ldr-loss'),
  smoothing: await load('smoothing'),
  sdm: await load('sdm'),
  rl: await load('rl-curriculum'),
  causal: await load('causal'),
  datasets: await load('datasets'),
  sparse: await load('sparse'),
  robustRl: await load('robust-rl'),
  steer: await load('steer'),
  explain: await load('explain'),
};
const foreign = new dro.GroupDroWeights({ numGroups: 2 }).getState();
const notATensor = 'not a tensor';

/** [fault, expected code, probes: [label, fn, word the message must contain]] */
const faults = [
  [
    'a non-tensor, non-array argument',
    'E_DTYPE',
    [
      ['dro-core robustLoss(losses)', () => dro.robustLoss(notATensor, { kind: 'erm' }), 'losses'],
      ['dro-core solveWeights(losses)', () => dro.solveWeights(notATensor, { kind: 'erm' }), 'losses'],
      ['ldr-loss ldrKlLoss(logits)', () => mods.ldr?.ldrKlLoss(notATensor, [0]), 'logits'],
      ['ldr-loss crossEntropyLoss(logits)', () => mods.ldr?.crossEntropyLoss(notATensor, [0]), 'logits'],
      ['smoothing addNoise(x)', () => mods.smoothing?.addNoise(notATensor, 0.5, dro.createRng(1)), 'x'],
      ['causal tsls(y)', () => mods.causal?.tsls({ y: notATensor, endog: [[1]], instruments: [[1]] }), 'y'],
      [
        'datasets injectLabelNoise(labels)',
        () => mods.datasets?.injectLabelNoise(notATensor, { type: 'symmetric', rate: 0.1, numClasses: 3, seed: 1 }),
        'labels',
      ],
      ['sparse screen(X)', () => mods.sparse?.screen(notATensor, [1, 2, 3]), 'X'],
      [
        'robust-rl worstCaseExpectation via dro-core(values)',
        () => dro.worstCaseExpectation(notATensor, [1], { kind: 'kl', lambda: 1 }),
        'values',
      ],
    ],
  ],
  [
    'a misspelt option',
    'E_SPEC',
    [
      ['dro-core GroupDroWeights', () => new dro.GroupDroWeights({ numGroups: 2, etaq: 0.5 }), 'etaq'],
      ['ldr-loss AldrKlLoss', () => mods.ldr && new mods.ldr.AldrKlLoss({ numInstances: 3, lamda0: 5 }), 'lamda0'],
      ['causal Eacs', () => mods.causal && new mods.causal.Eacs({ seed: 1, mdoe: 'soft' }), 'mdoe'],
      [
        'smoothing RandomizedSmoothing',
        () => mods.smoothing && new mods.smoothing.RandomizedSmoothing({ model: (x) => x, numClasses: 2, sigam: 0.5 }),
        'sigam',
      ],
      ['sparse SparseRegression', () => mods.sparse && new mods.sparse.SparseRegression({ penalti: 'mcp' }), 'penalti'],
      [
        'rl-curriculum PromptGdroSampler',
        () => mods.rl && new mods.rl.PromptGdroSampler({ mode: 'reweight', seed: 1, etaa: 0.1 }),
        'etaa',
      ],
    ],
  ],
  ['a state of another class', 'E_STATE_VERSION', []],
];

// Every exported class with a static fromState, in every package, is given dro-core's GroupDroWeights state.
for (const [name, mod] of [['dro-core', dro], ...Object.entries(mods)]) {
  if (!mod) continue;
  for (const [exportName, value] of Object.entries(mod)) {
    if (typeof value !== 'function' || typeof value.fromState !== 'function' || exportName === 'GroupDroWeights')
      continue;
    faults[2][2].push([`${name} ${exportName}.fromState`, () => value.fromState(structuredClone(foreign)), 'kind']);
  }
}

let bad = 0;
const rows = [];
for (const [fault, code, probes] of faults) {
  for (const [label, fn, word] of probes) {
    let got = 'no error';
    let ok = false;
    try {
      const r = await fn();
      if (r === undefined) continue; // the package has not landed in this checkout
    } catch (e) {
      const isDro = e?.name === 'DroError';
      got = isDro ? e.code : `${e?.name ?? typeof e} (not a DroError)`;
      ok = isDro && e.code === code && (!word || String(e.message).includes(word));
    }
    if (!ok) bad++;
    rows.push({ fault, call: label, expected: code, got, ok: ok ? 'yes' : 'NO' });
  }
}
console.table(rows);
const codes = new Map();
for (const r of rows) codes.set(r.fault, new Set([...(codes.get(r.fault) ?? []), r.got]));
for (const [fault, set] of codes) console.log(`${fault}: ${[...set].join(', ')}`);
console.log(`probe: ${rows.length - bad} passed, ${bad} failed`);
process.exitCode = bad > 0 ? 1 : 0;
