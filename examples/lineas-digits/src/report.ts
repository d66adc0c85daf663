import { saveLineChart, type VerdictInput } from '@drojs/example-kit';
import type { PairResult } from './protocol.js';

/** Spec §7 reference (float64 NumPy, seeds 0–4, mean): success / off-target / touched at s = 1. */
const SPEC: Record<string, Record<string, [number, number, number]>> = {
  '3→8': {
    'no maps': [0, 0.977, 0],
    'mean shift': [0.997, 0.459, 54],
    'mean shift, s = 0.5': [0.975, 0.723, 54],
    'affine OT': [0.844, 0.311, 54],
    'LinEAS λ=0': [0.984, 0.727, 59.0],
    'LinEAS λ=0.02': [0.972, 0.777, 31.8],
    'LinEAS λ=0.05': [0.916, 0.835, 25.4],
    'LinEAS λ=0.1': [0.703, 0.895, 18.4],
    'LinEAS λ=0.2': [0.188, 0.959, 9.0],
  },
  '1→7': {
    'mean shift': [1.0, 0.124, 54],
    'affine OT': [0.989, 0.132, 54],
    'LinEAS λ=0': [0.986, 0.395, 59.4],
    'LinEAS λ=0.05': [0.918, 0.71, 27.0],
    'LinEAS λ=0.1': [0.745, 0.858, 19.6],
  },
  '5→9': {
    'mean shift': [1.0, 0.245, 54],
    'affine OT': [1.0, 0.305, 54],
    'LinEAS λ=0': [0.976, 0.653, 58.8],
    'LinEAS λ=0.05': [0.913, 0.845, 25.8],
    'LinEAS λ=0.1': [0.573, 0.923, 16.6],
  },
};
/** Spec §7 equal-success reference: LinEAS off-target and mean shift at equal success, λ = 0.05. */
const SPEC_EQUAL: Record<string, [number, number]> = {
  '3→8': [0.835, 0.759],
  '1→7': [0.71, 0.66],
  '5→9': [0.845, 0.77],
};
const OFF_TARGET_MIN: Record<string, number> = { '3→8': 0.78, '1→7': 0.62, '5→9': 0.78 };

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => {
  const m = mean(v);
  return v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
};
const fmt = (v: number[], digits = 3) =>
  v.length > 1 ? `${mean(v).toFixed(digits)} ± ${sd(v).toFixed(digits)}` : mean(v).toFixed(digits);

interface Row {
  pair: string;
  method: string;
  success: string;
  offTarget: string;
  touched: string;
  spec: string;
}

/** Prints the measured tables beside the spec's, writes the SVG plots, and returns the verdict. */
export async function report(
  results: PairResult[],
  testAcc: number[],
  run: { mode: 'quick' | 'full'; seconds: number; backend: string },
): Promise<VerdictInput> {
  const pairs = [...new Set(results.map((r) => `${r.source}→${r.target}`))];
  const rows: Row[] = [];
  const equalRows: Record<string, string>[] = [];
  const plots: string[] = [];
  const checks: { pair: string; success: number; offTarget: number; gain: number; touched: number }[] = [];
  for (const pair of pairs) {
    const rs = results.filter((r) => `${r.source}→${r.target}` === pair);
    const s1 = (sweep: { strength: number; success: number; offTarget: number }[], s: number) =>
      sweep.find((p) => Math.abs(p.strength - s) < 1e-9)!;
    const add = (method: string, succ: number[], off: number[], touched: number[]) => {
      const ref = SPEC[pair]?.[method];
      rows.push({
        pair,
        method,
        success: fmt(succ),
        offTarget: fmt(off),
        touched: fmt(touched, 1),
        spec: ref ? `${ref[0].toFixed(3)} / ${ref[1].toFixed(3)} / ${ref[2]}` : '—',
      });
    };
    add(
      'no maps',
      rs.map((r) => r.noMaps.success),
      rs.map((r) => r.noMaps.offTarget),
      rs.map(() => 0),
    );
    add(
      'mean shift',
      rs.map((r) => s1(r.meanShift.sweep, 1).success),
      rs.map((r) => s1(r.meanShift.sweep, 1).offTarget),
      rs.map((r) => r.meanShift.touched),
    );
    add(
      'mean shift, s = 0.5',
      rs.map((r) => s1(r.meanShift.sweep, 0.5).success),
      rs.map((r) => s1(r.meanShift.sweep, 0.5).offTarget),
      rs.map((r) => r.meanShift.touched),
    );
    add(
      'affine OT',
      rs.map((r) => s1(r.affineOt.sweep, 1).success),
      rs.map((r) => s1(r.affineOt.sweep, 1).offTarget),
      rs.map((r) => r.affineOt.touched),
    );
    for (const lambda of rs[0]!.lineas.map((l) => l.lambda)) {
      const ls = rs.map((r) => r.lineas.find((l) => l.lambda === lambda)!);
      add(
        `LinEAS λ=${lambda}`,
        ls.map((l) => l.success),
        ls.map((l) => l.offTarget),
        ls.map((l) => l.touched),
      );
      const ms = ls.map((l) => l.equal.meanShift).filter((v): v is number => v !== null);
      const ot = ls.map((l) => l.equal.affineOt).filter((v): v is number => v !== null);
      const gains = ls.flatMap((l) => (l.equal.meanShift === null ? [] : [l.offTarget - l.equal.meanShift]));
      equalRows.push({
        pair,
        lineas: `λ=${lambda}: ${mean(ls.map((l) => l.offTarget)).toFixed(3)}`,
        'mean shift at equal success': ms.length
          ? `${mean(ms).toFixed(3)} (gain ${mean(gains) >= 0 ? '+' : ''}${mean(gains).toFixed(3)}; ${ms.length} of ${ls.length} seeds)`
          : 'never reached',
        'affine OT at equal success': ot.length
          ? `${mean(ot).toFixed(3)} (${ot.length} of ${ls.length} seeds)`
          : 'never reached',
        spec: lambda === 0.05 ? `${SPEC_EQUAL[pair]![0]} / ${SPEC_EQUAL[pair]![1]}` : '—',
      });
      if (lambda === 0.05) {
        checks.push({
          pair,
          success: mean(ls.map((l) => l.success)),
          offTarget: mean(ls.map((l) => l.offTarget)),
          gain: mean(gains),
          touched: mean(ls.map((l) => l.touched)),
        });
      }
    }
    // Seed 0's strength sweeps: success (solid) and off-target accuracy (dashed) against s.
    const r0 = rs[0]!;
    const l0 = r0.lineas.find((l) => l.lambda === 0.05)!;
    const curves = [
      { name: 'LinEAS λ=0.05', sweep: l0.sweep! },
      { name: 'mean shift', sweep: r0.meanShift.sweep },
      { name: 'affine OT', sweep: r0.affineOt.sweep },
    ];
    plots.push(
      await saveLineChart(`success-vs-strength-${r0.source}to${r0.target}.svg`, {
        title: `digits ${pair}, seed ${r0.seed}: steering success and off-target accuracy vs strength`,
        x: { label: 'strength s', unit: 'fraction of the full map' },
        y: { label: 'share of test images', unit: 'fraction', domain: [0, 1] },
        series: curves.flatMap((c) => [
          { name: `${c.name}: success`, x: c.sweep.map((p) => p.strength), y: c.sweep.map((p) => p.success) },
          { name: `${c.name}: off-target acc.`, x: c.sweep.map((p) => p.strength), y: c.sweep.map((p) => p.offTarget) },
        ]),
      }),
    );
  }
  console.log(`\nclassifier test accuracy: ${fmt(testAcc)} (spec seeds 0–4: 0.982, 0.970, 0.977, 0.977, 0.973)`);
  console.log(
    '\nsuccess / off-target accuracy / touched neurons (of 64), mean ± sd over seeds; spec column = float64 reference',
  );
  console.table(rows);
  console.log('\nequal success: baseline strength interpolated to LinEAS success per seed, off-target averaged');
  console.table(equalRows);
  console.log(`\n${run.seconds.toFixed(0)} s on ${run.backend}; plots in examples/lineas-digits/out/`);
  const avgGain = mean(checks.map((c) => c.gain));
  const failures = [
    ...checks.filter((c) => c.success < 0.85).map((c) => `${c.pair} success ${c.success.toFixed(3)} < 0.85`),
    ...checks
      .filter((c) => c.offTarget < OFF_TARGET_MIN[c.pair]!)
      .map((c) => `${c.pair} off-target ${c.offTarget.toFixed(3)} < ${OFF_TARGET_MIN[c.pair]}`),
    ...(avgGain >= 0.02 ? [] : [`gain over equal-success mean shift ${avgGain.toFixed(3)} < 0.02`]),
    ...checks.filter((c) => c.touched > 35).map((c) => `${c.pair} touched ${c.touched.toFixed(1)} > 35`),
  ];
  return {
    claim:
      'LinEAS (λ = 0.05) steers digits a → b while keeping off-target accuracy, sparsely, and beats a mean shift tuned to equal success',
    measured: `${checks
      .map(
        (c) =>
          `${c.pair}: success ${c.success.toFixed(3)}, off-target ${c.offTarget.toFixed(3)}, touched ${c.touched.toFixed(1)}`,
      )
      .join('; ')}; mean gain over equal-success mean shift ${avgGain.toFixed(3)}`,
    criterion:
      'spec §7 (seeds 0–4; quick mode: seeds 0–2): mean success ≥ 0.85 per pair; off-target ≥ 0.78 (3→8), ≥ 0.62 (1→7), ≥ 0.78 (5→9); mean gain over equal-success mean shift ≥ +0.02; mean touched ≤ 35',
    status: failures.length === 0,
    plots,
    note: failures.length
      ? `failed: ${failures.join('; ')}`
      : run.mode === 'quick'
        ? 'quick mode: seeds 0–2, λ = 0.05 only'
        : undefined,
    fullCommand: run.mode === 'quick' ? 'pnpm --filter lineas-digits full' : undefined,
  };
}
