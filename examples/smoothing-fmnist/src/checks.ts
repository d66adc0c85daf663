// The assertions of the package spec's end-to-end test (§10.3), run on the example's own output. A
// violation fails the run (exit code 1). Orderings between DRS and RS are deliberately not asserted.
import {
  abstentionRate,
  averageCertifiedRadius,
  type CertRecord,
  certifiedAccuracy,
  certifiedAccuracyCurve,
  type DualCertifyResult,
  isCorrect,
  maxCertifiableRadius,
  normPpf,
  parseCertifyLog,
  radiusFromPA,
  smoothedPredict,
} from '@drojs/smoothing';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { MethodRun } from '../index.js';
import type { Config } from './config.js';

interface CheckInput {
  cfg: Config;
  runs: MethodRun[];
  dualResults: Map<number, Map<number, DualCertifyResult>>;
  models: LayersModel[];
  xsTest: tf.Tensor;
  ysTest: ArrayLike<number>;
  skip: number;
  svg: string;
  seriesCount: number;
  logs: Map<string, string>;
  summaryText: string;
}

/** Runs the checks; returns how many passed and what failed (the caller turns that into the verdict). */
export async function runChecks(c: CheckInput): Promise<{ passed: number; failures: string[] }> {
  const failures: string[] = [];
  let passed = 0;
  const check = (ok: boolean, what: string) => {
    if (ok) passed++;
    else failures.push(what);
  };
  const { cfg } = c;
  for (const run of c.runs) {
    const tag = `${run.method} σ=${run.sigma}`;
    const recs = run.records;
    check(recs.length === cfg.testCount, `${tag}: ${recs.length} records, expected ${cfg.testCount}`);
    // Ceilings.
    if (run.method === 'RS') {
      const ceil = maxCertifiableRadius(cfg.n, cfg.alpha, run.sigma);
      check(
        recs.every((r) => r.radius <= ceil + 1e-12),
        `${tag}: a radius above the RS ceiling ${ceil}`,
      );
      check(certifiedAccuracy(recs, [ceil + 1e-9])[0] === 0, `${tag}: certified accuracy above the ceiling`);
      check(
        recs.every((r) => r.prediction === -1 || r.radius > 0),
        `${tag}: a non-abstained record with radius 0 (paper rule)`,
      );
    }
    if (run.method.startsWith('DRS (sound')) {
      const ceil = radiusFromPA((cfg.alpha / 2) ** (1 / cfg.n), run.sigma);
      check(
        recs.every((r) => r.radius <= ceil + 1e-12),
        `${tag}: a radius above the DRS ceiling ${ceil}`,
      );
      check(certifiedAccuracy(recs, [ceil + 1e-9])[0] === 0, `${tag}: certified accuracy above the ceiling`);
      const dual = c.dualResults.get(run.sigma) as Map<number, DualCertifyResult>;
      for (const r of recs) {
        const d = dual.get(r.index as number) as DualCertifyResult;
        const positive = normPpf(d.pLLower) + normPpf(d.pRLower) > 0;
        check(positive === (r.prediction !== -1), `${tag} #${r.index}: abstention disagrees with Φ⁻¹(pL)+Φ⁻¹(pR) > 0`);
      }
    }
    // Curves and abstentions.
    const curve = certifiedAccuracyCurve(recs, { step: 0.01 });
    let mono = true;
    for (let j = 1; j < curve.accuracy.length; j++)
      if ((curve.accuracy[j] as number) > (curve.accuracy[j - 1] as number)) mono = false;
    check(mono, `${tag}: curve increases somewhere`);
    check(
      curve.accuracy.every((v) => v >= 0 && v <= 1),
      `${tag}: curve outside [0, 1]`,
    );
    check(
      curve.accuracy[0] === recs.filter(isCorrect).length / recs.length,
      `${tag}: curve at 0 is not the fraction correct`,
    );
    check(averageCertifiedRadius(recs) >= 0, `${tag}: ACR < 0`);
    check(
      recs.every((r) => r.prediction !== -1 || r.radius === 0),
      `${tag}: an abstention with radius ≠ 0`,
    );
    // Smoke thresholds (broken pipelines, misaligned labels).
    if (run.method === 'RS' || run.method.startsWith('DRS (sound')) {
      const floor = run.sigma <= 0.25 ? 0.6 : 0.5;
      const at0 = certifiedAccuracy(recs, [0])[0] as number;
      check(at0 >= floor, `${tag}: certified accuracy at r = 0 is ${at0} < ${floor}`);
      const abst = abstentionRate(recs);
      check(abst <= 0.25, `${tag}: abstention rate ${abst} > 0.25`);
    }
  }
  // Legacy ordering on every image, from the same counts.
  for (const sigma of cfg.sigmas) {
    const by = (m: string) => c.runs.find((r) => r.sigma === sigma && r.method === m)?.records as CertRecord[];
    const sqrt = by('DRS legacy CIFAR rule (unsound)');
    const sum = by('DRS legacy ImageNet rule (unsound)');
    const sound = by('DRS (sound, α/2 per side)');
    for (let i = 0; i < sound.length; i++) {
      const ok =
        (sqrt[i]?.radius as number) >= (sum[i]?.radius as number) - 1e-12 &&
        (sum[i]?.radius as number) >= (sound[i]?.radius as number) - 1e-12;
      check(ok, `σ=${sigma} #${sound[i]?.index}: legacy sqrt ≥ legacy ImageNet ≥ sound violated`);
    }
  }
  // PREDICT with n = 10 at α = 0.001 abstains on every certified image.
  const model = c.models[0] as LayersModel;
  for (let k = 0; k < cfg.testCount; k++) {
    const i = k * c.skip;
    const x = tf.tidy(() => tf.squeeze(tf.slice(c.xsTest, [i], [1]), [0]));
    const p = await smoothedPredict(model, x, {
      numClasses: 10,
      noise: cfg.sigmas[0] as number,
      n: 10,
      alpha: 0.001,
      seed: i,
    });
    x.dispose();
    check(p.prediction === -1, `PREDICT n=10 did not abstain on #${i}`);
  }
  // Files.
  check((c.svg.match(/<path /g) ?? []).length === c.seriesCount, 'SVG: not one path per curve');
  check(
    c.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && c.svg.trim().endsWith('</svg>'),
    'SVG: not a document',
  );
  for (const run of c.runs) {
    const text = [...c.logs.values()][c.runs.indexOf(run)] as string;
    const back = parseCertifyLog(text);
    const same =
      back.length === run.records.length &&
      back.every(
        (r, j) =>
          r.prediction === run.records[j]?.prediction &&
          r.radius === run.records[j]?.radius &&
          r.label === run.records[j]?.label,
      );
    check(same, `${run.method} σ=${run.sigma}: TSV log does not parse back to the same records`);
  }
  const summary = JSON.parse(c.summaryText) as { methods?: unknown[] };
  check(Array.isArray(summary.methods) && summary.methods.length === c.runs.length, 'summary.json: methods missing');
  for (const f of failures.slice(0, 20)) console.error(`CHECK FAILED: ${f}`);
  console.log(`\nchecks (spec §10.3): ${passed} passed, ${failures.length} failed`);
  return { passed, failures };
}
