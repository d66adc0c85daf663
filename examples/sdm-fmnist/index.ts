/**
 * SDM on Fashion-MNIST (spec §11.2), one seed: a frozen MLP, an SDM estimator over its hidden layers, and
 * the softmax / temperature / conformal baselines, evaluated in distribution, under noise, on
 * pixel-permuted images, on uniform noise and on held-out classes. `--quick` is the CI-sized demo (`pnpm
 * demo`); without it this runs the full protocol for one seed (`--seed S`). The `full` command is
 * `seeds.ts`, which runs this file for 20 seeds and judges the protocol over them. Options: --classes
 * 8|all, --alpha A, --seed S, --no-verdict (used by seeds.ts: results file only, exit 0 unless it crashed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FASHION_MNIST_CLASSES } from '@drojs/datasets';
import { loadFashionMnist } from '@drojs/datasets/node';
import { createRng, initBackend } from '@drojs/dro-core';
import {
  classifierFeatures,
  conformalSingletonAdmit,
  diagnoseRegion,
  fitTemperature,
  SdmEstimator,
  type SelectiveMetrics,
  selectiveMetrics,
  softmaxHost,
  softmaxThresholdAdmit,
} from '@drojs/sdm';
import * as tf from '@tensorflow/tfjs-core';
import { expectedBands, OOD_ADMISSION_LIMIT, oodAdmission } from './bands.js';
import { buildMlp, trainMlp } from './mlp.js';
import { runTag } from './runTag.js';
import { reliabilityBins, reliabilitySvg } from './svg.js';
import { failures, verdict } from './verdict.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const QUICK = argv.includes('--quick');
const NO_VERDICT = argv.includes('--no-verdict');
const MODE = QUICK ? 'quick' : 'full';
const FULL_COMMAND = 'pnpm --filter sdm-fmnist full';
const ALL = arg('classes', '8') === 'all';
const ALPHA = Number(arg('alpha', '0.95'));
const SEED = Number(arg('seed', '0'));
const OVERRIDE_EPOCHS = arg('sdm-epochs', '');
const OVERRIDE_M = arg('sdm-dim', '');
const TAG = runTag({ quick: QUICK, allClasses: ALL, alpha: ALPHA, seed: SEED });
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');

const KEEP = ALL ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [0, 1, 2, 3, 5, 7, 8, 9];
const HELD_OUT = ALL ? [] : [4, 6];
const C = KEEP.length;
// Full protocol of spec §11.2; quick mode shrinks every stage to fit a ~60–90 s demo on a shared 2-vCPU VM.
const CFG = QUICK
  ? { mlpTrain: 8000, mlpEpochs: 5, pool: 5000, baseCal: 4000, evalN: 1000, M: 96, k: 300, epochs: 8 }
  : {
      mlpTrain: Number.POSITIVE_INFINITY,
      mlpEpochs: 8,
      pool: 10000,
      baseCal: Number.POSITIVE_INFINITY,
      evalN: 5000,
      M: 128,
      k: 500,
      epochs: 15,
    };

if (OVERRIDE_EPOCHS) CFG.epochs = Number(OVERRIDE_EPOCHS);
if (OVERRIDE_M) CFG.M = Number(OVERRIDE_M);
const t0 = Date.now();
const log = (s: string) => console.log(s);
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

function subset(images: Float32Array, labels: Int32Array, keep: number[], limit = Number.POSITIVE_INFINITY) {
  const map = new Map(keep.map((c, i) => [c, i]));
  const idx: number[] = [];
  for (let i = 0; i < labels.length && idx.length < limit; i++) if (map.has(labels[i]!)) idx.push(i);
  const x = new Float32Array(idx.length * 784);
  const y = new Int32Array(idx.length);
  idx.forEach((j, i) => {
    x.set(images.subarray(j * 784, (j + 1) * 784), i * 784);
    y[i] = map.get(labels[j]!)!;
  });
  return { x, y, n: idx.length };
}

function rows(x: Float32Array, from: number, to: number) {
  return x.subarray(from * 784, to * 784);
}

interface EvalSet {
  name: string;
  x: Float32Array;
  y: Int32Array;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  log(
    `SDM on Fashion-MNIST (${QUICK ? 'quick' : 'full'} mode, ${C} classes, α′ = ${ALPHA}, seed ${SEED}, backend ${backend.name})`,
  );
  const data = await loadFashionMnist();
  log(`data: ${data.source} (${data.dir}), ${data.train.n} train / ${data.test.n} test images`);
  const rng = createRng(SEED);

  // Kept training images in file order, split into thirds (MLP / SDM pool / baseline calibration).
  const kept = subset(data.train.images, data.train.labels, KEEP);
  const third = Math.floor(kept.n / 3);
  const mlpN = Math.min(third, CFG.mlpTrain);
  const poolN = Math.min(third, CFG.pool);
  const calN = Math.min(third, CFG.baseCal);
  const test = subset(data.test.images, data.test.labels, KEEP, CFG.evalN);
  const held = subset(data.test.images, data.test.labels, HELD_OUT, QUICK ? CFG.evalN : Number.POSITIVE_INFINITY);
  log(
    `splits: MLP ${mlpN}, SDM pool ${poolN} (${Math.floor(poolN / 2)}/${poolN - Math.floor(poolN / 2)}), baseline calibration ${calN}, ID test ${test.n}`,
  );

  // Frozen model.
  const model = buildMlp(C, rng.fork('mlp-init'));
  await trainMlp(
    model,
    rows(kept.x, 0, mlpN),
    kept.y.subarray(0, mlpN),
    C,
    CFG.mlpEpochs,
    rng.fork('mlp-batches'),
    log,
  );
  log(`MLP trained (${secs()})`);
  const features = (x: Float32Array) =>
    tf.tidy(() => {
      const xt = tf.tensor2d(x, [x.length / 784, 784]);
      return classifierFeatures(model, xt, { embed: ['h1', 'h2'], batchSize: 512 });
    });
  const toRows = (t: tf.Tensor2D) => t.arraySync() as number[][];

  // SDM estimator on [hidden1 ; hidden2] of the pool (the MLP's logits are not appended).
  const pool = features(rows(kept.x, third, third + poolN));
  const sdm = await SdmEstimator.fit(
    { embeddings: pool.embeddings, labels: kept.y.subarray(third, third + poolN) },
    {
      numClasses: C,
      alpha: ALPHA,
      exemplarDim: CFG.M,
      maxQ: CFG.k,
      learningRate: 1e-3,
      batchSize: 50,
      epochs: CFG.epochs,
      shuffles: 1,
      seed: SEED,
      // The fit-time explanation when no region exists (or the evidence is thin), one line.
      onWarning: (w) => log(w),
      onEpochEnd: (e) =>
        log(
          `  SDM epoch ${e.epoch + 1}/${CFG.epochs}: balanced cal. loss ${e.calibrationBalancedLoss.toFixed(4)}, cal. acc. ${e.calibrationAccuracy.toFixed(3)}, median q ${e.medianQ}, q=0 ${(100 * e.fractionQZero).toFixed(1)}% (${e.seconds.toFixed(1)} s)`,
        ),
    },
  );
  tf.dispose([pool.embeddings, pool.logits]);
  mkdirSync(OUT, { recursive: true });
  await sdm.save(join(OUT, `sdm-state-${TAG}.json`));
  const summary = sdm.summaryStats();
  log(
    `SDM fitted (${secs()}): region ${summary.regionFound ? `found, q′_min = ${summary.qPrimeMin.toFixed(1)}, ψ ∈ [${Math.min(...summary.thresholds).toFixed(3)}, ${Math.max(...summary.thresholds).toFixed(3)}]` : 'NOT found'}; best epoch ${summary.bestEpoch + 1}; empty distance classes [${summary.emptyDistanceClasses}]`,
  );

  // Which class decides Algorithm 1, how far it is from α′, and the largest α′ with a region (spec §12).
  const diagnosis = diagnoseRegion({ ...sdm.calibrationDetails(), alpha: ALPHA, numClasses: C });
  const bindingName =
    (diagnosis.bindingClass >= 0 ? FASHION_MNIST_CLASSES[KEEP[diagnosis.bindingClass]!] : undefined) ?? '—';
  log(
    `region diagnosis: at the best threshold q′ ≥ ${diagnosis.bestQPrime.toFixed(1)} the worst class is ${bindingName} with ψ = ${diagnosis.minPsi.toFixed(3)} (${diagnosis.counts[diagnosis.bindingClass] ?? 0} calibration points); largest α′ with a region: ${diagnosis.largestAlpha === null ? 'none' : diagnosis.largestAlpha.toFixed(4)}`,
  );

  // Baseline calibration split (last third).
  const base = features(rows(kept.x, 2 * third, 2 * third + calN));
  const baseLogits = toRows(base.logits);
  tf.dispose([base.embeddings, base.logits]);
  const baseY = kept.y.subarray(2 * third, 2 * third + calN);
  const T = fitTemperature(baseLogits, baseY);
  const baseProbs = baseLogits.map((z) => softmaxHost(z));
  log(`temperature T = ${T.toFixed(3)}`);

  // Evaluation sets.
  const er = rng.fork('evaluation');
  const nEval = test.n;
  const gauss = Float32Array.from(test.x, (v) => Math.min(1, Math.max(0, v + 0.5 * er.normal())));
  const perm = new Float32Array(test.x.length);
  const order = Int32Array.from({ length: 784 }, (_, i) => i);
  for (let i = 0; i < nEval; i++) {
    er.shuffle(order);
    for (let j = 0; j < 784; j++) perm[i * 784 + j] = test.x[i * 784 + order[j]!]!;
  }
  const uniform = Float32Array.from({ length: nEval * 784 }, () => er.uniform());
  const sets: EvalSet[] = [
    { name: 'ID test', x: test.x, y: test.y },
    { name: 'Gaussian noise', x: gauss, y: test.y },
    { name: 'pixel-permuted', x: perm, y: test.y },
    { name: 'uniform noise', x: uniform, y: new Int32Array(nEval).fill(-1) },
  ];
  if (held.n > 0) sets.push({ name: 'held-out Coat/Shirt', x: held.x, y: new Int32Array(held.n).fill(-1) });

  const methods = [
    'no-reject (MLP)',
    'no-reject (SDM layer)',
    'softmax ≥ α′',
    'temperature',
    'LAC marginal',
    'LAC Mondrian',
    'APS',
    'SDM output ≥ α′',
    'SDM_HR',
    'SDM_HR^lower',
  ] as const;
  const table: Record<string, Record<string, SelectiveMetrics>> = {};
  const extras: Record<string, unknown> = {};
  let reliability = '';
  for (const s of sets) {
    const f = features(s.x);
    const z = toRows(f.logits);
    const pred = z.map((r) => r.indexOf(Math.max(...r)));
    const probs = z.map((r) => softmaxHost(r));
    const p = await sdm.predict(f.embeddings);
    tf.dispose([f.embeddings, f.logits]);
    const sdmPred = p.map((r) => r.label);
    const all = new Uint8Array(pred.length).fill(1);
    const m = (admit: ArrayLike<number | boolean>, pr: number[] = pred) => selectiveMetrics(admit, pr, s.y, C);
    table[s.name] = {
      'no-reject (MLP)': m(all),
      'no-reject (SDM layer)': m(all, sdmPred),
      'softmax ≥ α′': m(softmaxThresholdAdmit(z, ALPHA)),
      temperature: m(softmaxThresholdAdmit(z, ALPHA, T)),
      'LAC marginal': m(conformalSingletonAdmit(baseProbs, baseY, probs, ALPHA, { score: 'lac' })),
      'LAC Mondrian': m(conformalSingletonAdmit(baseProbs, baseY, probs, ALPHA, { score: 'lac', mondrian: true })),
      APS: m(conformalSingletonAdmit(baseProbs, baseY, probs, ALPHA, { score: 'aps' })),
      'SDM output ≥ α′': m(
        p.map((r) => r.sdmProbs[r.label]! >= ALPHA),
        sdmPred,
      ),
      SDM_HR: m(
        p.map((r) => r.isHighReliability),
        sdmPred,
      ),
      'SDM_HR^lower': m(
        p.map((r) => r.isHighReliabilityLower),
        sdmPred,
      ),
    };
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? Number.NaN;
    extras[s.name] = {
      medianQ: med(p.map((r) => r.q)),
      medianD: med(p.map((r) => r.d)),
      oodFraction: p.filter((r) => r.isOod).length / p.length,
      oodBySimilarityFraction: p.filter((r) => r.isOodBySimilarity).length / p.length,
      insufficientEvidenceFraction: p.filter((r) => r.isInsufficientEvidence).length / p.length,
    };
    if (s.name === 'ID test') {
      const lo = 1 / C;
      const correctMlp = pred.map((v, i) => v === s.y[i]);
      const correctSdm = sdmPred.map((v, i) => v === s.y[i]);
      reliability = reliabilitySvg(
        `Reliability on the ID test (${C} classes, ${QUICK ? 'quick' : 'full'})`,
        [
          {
            name: 'MLP softmax',
            colour: '#d62728',
            bins: reliabilityBins(
              probs.map((q) => Math.max(...q)),
              correctMlp,
              10,
              lo,
            ),
          },
          {
            name: `temperature T=${T.toFixed(2)}`,
            colour: '#ff7f0e',
            bins: reliabilityBins(
              z.map((r) => Math.max(...softmaxHost(r, T))),
              correctMlp,
              10,
              lo,
            ),
          },
          {
            name: 'SDM output (point)',
            colour: '#1f77b4',
            bins: reliabilityBins(
              p.map((r) => r.sdmProbs[r.label]!),
              correctSdm,
              10,
              lo,
            ),
          },
          {
            name: 'SDM output (lower)',
            colour: '#2ca02c',
            bins: reliabilityBins(
              p.map((r) => r.sdmProbsLower[r.label]!),
              correctSdm,
              10,
              lo,
            ),
          },
        ],
        lo,
      );
    }
    log(`evaluated ${s.name} (${s.y.length} images, ${secs()})`);
  }
  sdm.dispose();
  model.dispose();

  // Table: "marginal accuracy / admitted fraction" (OOD sets: admitted fraction only matters).
  const cell = (r: SelectiveMetrics) =>
    `${r.marginalAccuracy === null ? '—' : r.marginalAccuracy.toFixed(3)} / ${r.admittedFraction.toFixed(3)}`;
  const header = `| method | ${sets.map((s) => s.name).join(' | ')} |`;
  const lines = [header, `|---|${sets.map(() => '---').join('|')}|`];
  for (const meth of methods) lines.push(`| ${meth} | ${sets.map((s) => cell(table[s.name]![meth]!)).join(' | ')} |`);
  const id = table['ID test']!;
  lines.push(
    `| min class-cond. acc. on ID (softmax / SDM_HR / SDM_HR^lower) | ${[
      id['softmax ≥ α′']!,
      id.SDM_HR!,
      id['SDM_HR^lower']!,
    ]
      .map((r) => r.minClassConditionalAccuracy?.toFixed(3) ?? '—')
      .join(' / ')} |${sets
      .slice(1)
      .map(() => '')
      .join(' |')} |`,
  );
  log(
    '\n"marginal accuracy / admitted fraction" (labels −1 on uniform noise and held-out classes: every admission is an error)',
  );
  log(lines.join('\n'));
  log(
    `\nregion: ${summary.regionFound ? `q′_min = ${summary.qPrimeMin.toFixed(2)}, ψ = [${summary.thresholds.map((t) => t.toFixed(3)).join(', ')}]` : 'not found'}; T = ${T.toFixed(3)}`,
  );
  log(`per-set medians: ${JSON.stringify(extras)}`);

  writeFileSync(join(OUT, `reliability-${TAG}.svg`), reliability);
  writeFileSync(join(OUT, `table-${TAG}.md`), `${lines.join('\n')}\n`);
  writeFileSync(
    join(OUT, `results-${TAG}.json`),
    JSON.stringify(
      {
        mode: TAG,
        alpha: ALPHA,
        seed: SEED,
        backend: backend.name,
        source: data.source,
        summary,
        diagnosis: {
          ...diagnosis,
          bindingClassName: bindingName,
          psi: Array.from(diagnosis.psi),
          counts: Array.from(diagnosis.counts),
        },
        temperature: T,
        table,
        extras,
        seconds: (Date.now() - t0) / 1000,
      },
      null,
      1,
    ),
  );
  log(`wrote ${join(OUT, `reliability-${TAG}.svg`)} and the table/results (${secs()})`);

  if (!ALL && !NO_VERDICT) judge(summary.regionFound, table, extras, `out/reliability-${TAG}.svg`, bindingName);
}

/** The verdicts of one seed (spec §11.2 bands once a region exists; OOD admission always). */
function judge(
  regionFound: boolean,
  table: Record<string, Record<string, SelectiveMetrics>>,
  extras: Record<string, unknown>,
  plot: string,
  bindingName: string,
): void {
  const plots = [plot];
  const ood = oodAdmission(table);
  const id = table['ID test']!;
  const lower = id['SDM_HR^lower']!;
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const idExtras = extras['ID test'] as {
    oodFraction: number;
    oodBySimilarityFraction: number;
    insufficientEvidenceFraction: number;
  };
  const oodId = idExtras.oodFraction;
  verdict(
    {
      claim: 'SDM_HR^lower rejects far out-of-distribution images (uniform noise, pixel-permuted)',
      measured: `uniform ${pct(ood.uniform)}, permuted ${pct(ood.permuted)} admitted`,
      criterion: `≤ ${100 * OOD_ADMISSION_LIMIT} % admitted on each set`,
      status: ood.max <= OOD_ADMISSION_LIMIT ? 'PASS' : 'FAIL',
      plots,
    },
    MODE,
  );
  verdict(
    {
      claim: `a high-reliability region exists at α′ = ${ALPHA} (seed ${SEED})`,
      measured: regionFound ? 'found' : `none (binding class ${bindingName})`,
      criterion:
        'reported, not judged: on this protocol a region exists for about 12 of 20 seeds (a property of the method)',
      status: 'INFO',
      note: 'the full command runs 20 seeds and reports the region rate',
      fullCommand: FULL_COMMAND,
    },
    MODE,
  );
  verdict(
    {
      claim: "'ood' (calibrated distance test, δ = 0.01) flags few clean ID test images",
      measured: `${pct(oodId)} of ID test images 'ood', ${pct(idExtras.insufficientEvidenceFraction)} 'insufficient-evidence' (d_lower = 0, point d = 0 included); upstream's q = 0 on ${pct(idExtras.oodBySimilarityFraction)} ('no-support' unless ood or insufficient-evidence)`,
      criterion:
        "reported; 'ood' = nearest-support d₀ above the conformal 0.99 quantile of the calibration d₀ (false-alarm rate ≤ 1 % on exchangeable data)",
      status: 'INFO',
    },
    MODE,
  );
  const nAdmitted = lower.nAdmitted;
  if (!regionFound) {
    verdict(
      {
        claim: 'spec §11.2 bands on the ID test (SDM_HR^lower and SDM_HR accuracy ≥ 0.97, admission in [0.15, 0.60])',
        measured: 'no region: nothing admitted',
        criterion: 'judged only on seeds with a region',
        status: 'INFO',
        note: `no region at α′ = ${ALPHA} for seed ${SEED}; ${FULL_COMMAND} judges the bands on every seed that has one`,
        fullCommand: FULL_COMMAND,
      },
      MODE,
    );
  } else {
    // Accuracy bands are meaningful at any size once enough points are admitted; the admission band is
    // calibrated for the full protocol (5 000 calibration points, the 16 000-image MLP) and only informs in quick mode.
    const accOk = (lower.marginalAccuracy ?? 0) >= 0.97 && (id.SDM_HR!.marginalAccuracy ?? 0) >= 0.97;
    const enough = nAdmitted >= 50;
    verdict(
      {
        claim: 'admitted ID images are accurate (SDM_HR^lower and SDM_HR)',
        measured: `${lower.marginalAccuracy?.toFixed(3) ?? '—'} / ${id.SDM_HR!.marginalAccuracy?.toFixed(3) ?? '—'} (${nAdmitted} admitted by the lower rule)`,
        criterion: 'both ≥ 0.97 (judged when ≥ 50 points are admitted)',
        status: enough ? (accOk ? 'PASS' : 'FAIL') : 'INFO',
        plots,
        ...(enough ? {} : { note: 'fewer than 50 admitted points', fullCommand: FULL_COMMAND }),
      },
      MODE,
    );
    const admissionOk = lower.admittedFraction >= 0.15 && lower.admittedFraction <= 0.6;
    verdict(
      {
        claim: 'SDM_HR^lower admits a useful share of the ID test',
        measured: lower.admittedFraction,
        criterion: 'in [0.15, 0.60] (spec §11.2, full protocol)',
        status: QUICK ? 'INFO' : admissionOk ? 'PASS' : 'FAIL',
        ...(QUICK
          ? {
              note: 'quick mode has half the calibration data and a weaker MLP, so the lower rule admits less; the band is judged by the full protocol',
              fullCommand: FULL_COMMAND,
            }
          : {}),
      },
      MODE,
    );
  }
  const softmaxNoise = table['uniform noise']!['softmax ≥ α′']!.admittedFraction;
  verdict(
    {
      claim: 'the softmax ≥ α′ baseline admits uniform noise (what SDM improves on)',
      measured: softmaxNoise,
      criterion: '≥ 0.5 admitted',
      status: softmaxNoise >= 0.5 ? 'PASS' : 'FAIL',
    },
    MODE,
  );
  if (!QUICK && regionFound) {
    log('\nexpected bands (spec §11.2) on this seed:');
    for (const [name, ok] of expectedBands(table)) log(`  ${ok ? 'PASS' : 'FAIL'} ${name}`);
  }
  // Exit 1 exactly when a verdict above is FAIL.
  if (failures() > 0) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
