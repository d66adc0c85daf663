// Noisy labels → ldr-loss under Gaussian noise → smoothing's certificate → SDM's verification, on 10-class
// Fashion-MNIST. `--quick` runs the vendored subset (about a minute on 2 cores); without it the full data.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FASHION_MNIST_CLASSES } from '@drojs/datasets';
import { initBackend } from '@drojs/dro-core';
import { exitOnFail, outDir, saveBarChart, verdict } from '@drojs/example-kit';
import { FULL, QUICK } from './src/config.js';
import { outcomes, runPipeline, type SdmMode } from './src/pipeline.js';
import { admittedAccuracy, disagreement, formatQuadrants, quadrants } from './src/quadrants.js';

const cfg = process.argv.includes('--quick') ? QUICK : FULL;
const FULL_COMMAND = 'FASHION_MNIST_DIR=/path/to/fashion-mnist pnpm --filter robust-pipeline full';
const log = (s: string) => console.log(s);
const pct = (v: number) => (Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)} %`);

async function main(): Promise<void> {
  const backend = await initBackend();
  log(
    `robust-pipeline (${cfg.mode}): symmetric label noise ${cfg.labelNoise}, σ = ${cfg.sigma}, r = ${cfg.radius}, ` +
      `SDM α′ = ${cfg.sdmAlpha} (lower rule), backend ${backend.name}`,
  );
  const res = await runPipeline(cfg, log);
  const n = res.certificates.length;
  const certified = res.certificates.filter((c) => c.prediction >= 0 && c.radius >= cfg.radius);
  const certAcc = certified.filter((c) => c.prediction === c.label).length / n;
  log(
    `\nbase model clean accuracy ${pct(res.cleanAccuracy)}; certified accuracy at r = ${cfg.radius}: ${pct(certAcc)}`,
  );

  const report: Record<string, unknown> = { cfg, seconds: res.seconds, cleanAccuracy: res.cleanAccuracy, certAcc };
  const bars: { category: string; group: string; value: number }[] = [];
  type Facts = { admitted: number; accuracy: number; ood: number; oodRate: number; calibration: number };
  const facts: Record<SdmMode, Facts> = {
    adaptor: { admitted: 0, accuracy: 0, ood: 0, oodRate: 0, calibration: 0 },
    frozen: { admitted: 0, accuracy: 0, ood: 0, oodRate: 0, calibration: 0 },
  };
  const recalibratedFacts: Partial<Record<SdmMode, { alpha: number; admitted: number; accuracy: number }>> = {};
  for (const mode of ['adaptor', 'frozen'] as SdmMode[]) {
    const run = res.sdm[mode];
    const pts = outcomes(res, mode);
    const rows = quadrants(pts, cfg.radius);
    const judged =
      mode === 'frozen' ? 'frozen: judges the model’s own label' : 'trained adaptor: judges the adaptor’s label';
    log(`\n${formatQuadrants(`SDM ${judged} × certified at r = ${cfg.radius} (${n} test images)`, rows)}`);
    const s = run.summary;
    const d = run.diagnosis;
    const binding = d.bindingClass >= 0 ? FASHION_MNIST_CLASSES[d.bindingClass] : '—';
    log(
      `  region at α′ = ${cfg.sdmAlpha}: ${s.regionFound ? 'found' : 'NOT found'} (binding class ${binding}, ψ = ${d.minPsi.toFixed(3)}; ` +
        `largest α′ with a region ${d.largestAlpha === null ? 'none' : d.largestAlpha.toFixed(3)}); support ${s.supportSize}, calibration ${s.calibrationSize}`,
    );
    for (const w of run.warnings) log(`  SDM warning: ${w}`);
    // Each status with the accuracy of SDM's label inside it: says whether 'ood' marks errors or real novelty.
    const statusAccuracy = (k: string) => {
      const idx = run.predictions.flatMap((p, i) => (p.reliability === k ? [i] : []));
      const hits = idx.filter((i) => run.predictions[i]?.label === res.evaluationLabels[i]).length;
      return idx.length === 0 ? '' : ` (label acc. ${pct(hits / idx.length)})`;
    };
    log(
      `  statuses: ${Object.entries(run.statuses)
        .map(([k, v]) => `${k} ${v}${statusAccuracy(k)}`)
        .join(', ')}`,
    );
    const adm = admittedAccuracy(pts);
    const ood = (run.statuses.ood ?? 0) / n;
    const bySimilarity = run.predictions.filter((p) => p.isOodBySimilarity).length;
    const byDistance = run.predictions.filter((p) => p.isOodByDistance).length;
    const dis = disagreement(pts, cfg.radius);
    log(
      `  OOD test: d₀ > ${s.oodDistanceThreshold.toPrecision(4)} (conformal ${1 - s.oodRate} quantile of ${s.calibrationSize} calibration d₀); ` +
        `upstream's flags on these images: q = 0 on ${bySimilarity}, point d = 0 on ${byDistance}`,
    );
    log(
      `  admitted ${adm.count} (accuracy ${pct(adm.accuracy)}); 'ood' ${pct(ood)} of clean test images; ` +
        `smoothed class ≠ SDM label on ${pct(dis.all)} of ${dis.numAll} non-abstained, ${pct(dis.certified)} of ${dis.numCertified} certified`,
    );
    if (run.recalibrated) {
      const re = run.recalibrated.predictions;
      const a = re.filter((p) => p.valid);
      const hits = re.filter((p, i) => p.valid && p.label === res.evaluationLabels[i]).length;
      const acc = a.length === 0 ? Number.NaN : hits / a.length;
      log(
        `  after recalibrate(${run.recalibrated.alpha}) (the diagnosed largest α′): admitted ${a.length} (accuracy ${pct(acc)})`,
      );
      recalibratedFacts[mode] = { alpha: run.recalibrated.alpha, admitted: a.length, accuracy: acc };
      report[`${mode}Recalibrated`] = recalibratedFacts[mode];
    }
    for (const r of rows) bars.push({ category: r.cell, group: `SDM ${mode}`, value: r.count });
    facts[mode] = {
      admitted: adm.count,
      accuracy: adm.accuracy,
      ood,
      oodRate: s.oodRate,
      calibration: s.calibrationSize,
    };
    report[mode] = {
      rows,
      statuses: run.statuses,
      summary: s,
      diagnosis: { ...d, psi: Array.from(d.psi), counts: Array.from(d.counts) },
      admitted: adm,
      ood,
      disagreement: dis,
    };
  }
  const sec = res.seconds;
  log(
    `\nstage cost (s): data ${sec.data.toFixed(1)}, train ${sec.train.toFixed(1)}, certify ${sec.certify.toFixed(1)}, ` +
      `features ${sec.features.toFixed(1)}, SDM adaptor ${sec.sdmAdaptor.toFixed(1)}, SDM frozen ${sec.sdmFrozen.toFixed(1)}`,
  );
  const out = outDir();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `pipeline-${cfg.mode}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const plot = await saveBarChart('quadrants.svg', {
    title: `Certified at r = ${cfg.radius} × admitted by SDM (${n} test images)`,
    x: { label: 'cell' },
    y: { label: 'test images', unit: 'count' },
    bars,
  });

  const note =
    cfg.mode === 'quick'
      ? `quick: ${res.source}; \`full\` runs the same chain on the whole data set with ${FULL.numCalibration} calibration images`
      : undefined;
  for (const mode of ['adaptor', 'frozen'] as SdmMode[]) {
    const f = facts[mode];
    const regionFound = res.sdm[mode].summary.regionFound;
    const measured = `${f.admitted} admitted, accuracy ${Number.isNaN(f.accuracy) ? 'n/a' : f.accuracy.toFixed(3)}, calibration ${f.calibration}`;
    if (mode === 'frozen') {
      // The claim the pipeline makes: frozen SDM (the model's own label) admits a non-empty, accurate set.
      // Quick mode's subset (4,000 training images, ~150 calibration images per class) is too small for a
      // region at α′ = 0.95 over ten classes; when SDM says so (no region) quick reports it and names the full
      // run, which is the check. Anything admitted is judged in every mode.
      const tooShort = cfg.mode === 'quick' && !regionFound;
      verdict({
        claim: `At its defaults (α′ = ${cfg.sdmAlpha}, lower rule) SDM (frozen: the model's own label) admits a non-empty set of clean test images with accuracy ≥ α′`,
        measured,
        criterion: `admitted > 0 and accuracy ≥ ${cfg.sdmAlpha}`,
        status: tooShort ? 'INFO' : f.admitted > 0 && f.accuracy >= cfg.sdmAlpha,
        plots: [plot],
        note: tooShort
          ? `quick is too short to show this: with ${cfg.numTrain} training images and about ${Math.round(f.calibration / 10)} ` +
            `calibration images per class SDM finds no region at α′ = ${cfg.sdmAlpha} over 10 classes (it says why above); ` +
            `\`full\` (${FULL.numTrain} training, ${FULL.numCalibration} calibration images) is the check`
          : note,
        fullCommand: FULL_COMMAND,
      });
    } else {
      // The trained adaptor judges its own label, a linear classifier of the exemplars that is weaker on Shirt
      // than the model: no region at 0.95 even in full mode (README). What it must never do is admit below α′.
      verdict({
        claim: `SDM (trained adaptor) admits only at accuracy ≥ α′ = ${cfg.sdmAlpha} (lower rule); region ${regionFound ? 'found' : 'not found'}`,
        measured,
        criterion: `accuracy of the admitted ≥ ${cfg.sdmAlpha} (INFO when nothing is admitted)`,
        status: f.admitted === 0 ? 'INFO' : f.accuracy >= cfg.sdmAlpha,
        note:
          f.admitted === 0
            ? `nothing admitted: ${regionFound ? 'a region exists but no test image clears it' : 'no region at this α′ for the adaptor’s label'}; frozen mode is the pipeline’s check`
            : note,
      });
    }
    verdict({
      claim: `SDM (${mode}) flags under 5 % of clean in-distribution test images as 'ood' (calibrated distance test, δ = ${f.oodRate})`,
      measured: Number((100 * f.ood).toFixed(1)),
      criterion: "'ood' fraction < 5 (%)",
      status: f.ood < 0.05,
      note,
    });
  }
  for (const mode of ['adaptor', 'frozen'] as SdmMode[]) {
    const r = recalibratedFacts[mode];
    if (!r) continue;
    verdict({
      claim: `After recalibrate(α′) to the largest α′ with a region that fit reported, SDM (${mode}) admits images at accuracy ≥ that α′`,
      measured: `α′ = ${r.alpha}: ${r.admitted} admitted, accuracy ${Number.isNaN(r.accuracy) ? 'n/a' : r.accuracy.toFixed(3)}`,
      criterion: 'admitted > 0 and accuracy ≥ the recalibrated α′ (the documented fallback; reported, not the claim)',
      status: 'INFO',
      note,
    });
  }
  const dis = disagreement(outcomes(res, 'frozen'), cfg.radius);
  verdict({
    claim: 'In frozen mode smoothing certifies the label SDM judges',
    measured: Number((100 * dis.certified).toFixed(1)),
    criterion: `certified class ≠ frozen SDM label on ≤ 5 % of the ${dis.numCertified} images certified at r = ${cfg.radius} (%)`,
    status: dis.certified <= 0.05,
  });
  verdict({
    claim: `The composed pipeline certifies clean test images at r = ${cfg.radius} after LDR-KL training on ${pct(res.flipRate)} flipped labels`,
    measured: Number((100 * certAcc).toFixed(1)),
    criterion: 'certified accuracy (%), reported',
    status: 'INFO',
    plots: [plot],
    note,
  });
}

main().then(exitOnFail, (e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
