// Mean ± sd tables over seeds (spec §10.4 layout).
import type { SeedResult } from './acceptance.js';
import type { ExplanationRow } from './metrics.js';

function ms(v: number[]): string {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
  return `${m.toFixed(3)} ± ${sd.toFixed(3)}`;
}

const mean = (v: number[]) => (v.reduce((a, b) => a + b, 0) / v.length).toFixed(3);

const NAMES: Record<string, string> = {
  blackBox: 'black box (= the detector)',
  cleanBlackBox: 'clean black box (no patches; reference)',
  comet: 'COMET, straight-through',
  cometSoft: 'COMET, soft',
  noDetector: 'no detector (c = 0)',
  saliency: 'gradient saliency (black box)',
  integratedGradients: 'integrated gradients (black box)',
  occlusion: 'occlusion (black box)',
};

/** Prints the accuracy and explanation tables as markdown. */
export function printTables(results: SeedResult[], quick: boolean): void {
  console.log(
    `\nAccuracy (mean ± sd over seeds ${results.map((r) => r.seed).join(', ')}; COMET rows: predictor on its own selection)`,
  );
  console.log('| model | aligned | random slot | no patch |\n|---|---|---|---|');
  for (const k of Object.keys(results[0]!.accuracy)) {
    const a = results.map((r) => r.accuracy[k]!);
    console.log(
      `| ${NAMES[k] ?? k} | ${ms(a.map((x) => x.aligned))} | ${ms(a.map((x) => x.random))} | ${ms(a.map((x) => x.none))} |`,
    );
  }
  console.log('\nExplanations (aligned test set, target = label)');
  console.log(
    '| explanation | area | object IoU | object IoU, top-k | patch coverage | patch IoU, top-16 | pointing: object / patch | mass on patch | acc. on complement | acc. on selection | deletion / insertion AUC |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const k of Object.keys(results[0]!.explanations)) {
    const e = (f: keyof ExplanationRow) => results.map((r) => r.explanations[k]![f]);
    console.log(
      `| ${NAMES[k] ?? k} | ${ms(e('area'))} | ${ms(e('iouObject'))} | ${ms(e('iouObjectTopK'))} | ${ms(e('patchCoverage'))} | ` +
        `${ms(e('patchIouTop16'))} | ${mean(e('pointObject'))} / ${mean(e('pointPatch'))} | ${ms(e('massOnPatch'))} | ` +
        `${ms(e('accComplement'))} | ${ms(e('accSelection'))} | ${mean(e('deletionAuc'))} / ${mean(e('insertionAuc'))} |`,
    );
  }
  const secs = results.map((r) =>
    Object.entries(r.seconds)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', '),
  );
  console.log(`\nTimes per seed (${quick ? 'quick' : 'full'}): ${secs.join(' | ')}`);
}
