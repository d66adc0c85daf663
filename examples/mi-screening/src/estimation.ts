import { createRng } from '@drojs/dro-core';
import { cvPath, fitPath, type PenaltyName, type SparsePath } from '@drojs/sparse';
import { meanSd, sparseDesign } from './designs.js';

export interface EstimationRow {
  label: string;
  tpr: number;
  meanFp: number;
  exact: number;
  l2: [number, number];
  l2Median: number;
  seconds: number;
}

interface Method {
  label: string;
  penalty: PenaltyName;
  select: 'ebic' | 'cv-min' | 'cv-1se';
  ebicGamma?: number;
  lambdaMinRatio?: number;
  saturation?: number;
}

export function estimationMethods(full: boolean, family: 'gaussian' | 'binomial'): Method[] {
  const base: Method[] = [
    { label: 'lasso, EBIC γe = 1', penalty: 'lasso', select: 'ebic' },
    { label: 'SCAD, EBIC γe = 1', penalty: 'scad', select: 'ebic' },
    { label: 'MCP, EBIC γe = 1', penalty: 'mcp', select: 'ebic' },
  ];
  if (!full) return base;
  const more: Method[] = [
    { label: 'lasso, EBIC γe = 0.5', penalty: 'lasso', select: 'ebic', ebicGamma: 0.5 },
    { label: 'SCAD, EBIC γe = 0.5', penalty: 'scad', select: 'ebic', ebicGamma: 0.5 },
    { label: 'MCP, EBIC γe = 0.5', penalty: 'mcp', select: 'ebic', ebicGamma: 0.5 },
  ];
  if (family === 'binomial') return [...base, ...more];
  return [
    ...base,
    more[0]!,
    { label: 'lasso, 10-fold CV λmin', penalty: 'lasso', select: 'cv-min' },
    { label: 'lasso, 10-fold CV λ1se', penalty: 'lasso', select: 'cv-1se' },
    { label: 'MCP, 10-fold CV λmin', penalty: 'mcp', select: 'cv-min' },
    { label: 'MCP, 10-fold CV λ1se', penalty: 'mcp', select: 'cv-1se' },
    { label: 'MCP, grid to 0.01·λmax, γe = 1', penalty: 'mcp', select: 'ebic', lambdaMinRatio: 0.01 },
    { label: 'MCP, grid to 0.01·λmax, γe = 0.5', penalty: 'mcp', select: 'ebic', lambdaMinRatio: 0.01, ebicGamma: 0.5 },
    {
      label: 'MCP, grid to 0.01·λmax, γe = 1, no saturation stop',
      penalty: 'mcp',
      select: 'ebic',
      lambdaMinRatio: 0.01,
      saturation: 0,
    },
    {
      label: 'SCAD, grid to 0.01·λmax, γe = 1, no saturation stop',
      penalty: 'scad',
      select: 'ebic',
      lambdaMinRatio: 0.01,
      saturation: 0,
    },
  ];
}

/**
 * §9.2 (Gaussian, n = 200, p = 1000) and §9.4 (binomial, n = 300, p = 500): support recovery and ℓ2 error of
 * lasso / SCAD / MCP with EBIC or 10-fold CV. Returns the table rows and the first replicate's paths (plots).
 */
export function estimationStudy(o: {
  replicates: number;
  family: 'gaussian' | 'binomial';
  full: boolean;
  seed: string;
  log?: (s: string) => void;
}): { rows: EstimationRow[]; firstPaths: Map<string, { path: SparsePath; index: number; beta: Float64Array }> } {
  const [n, p] = o.family === 'gaussian' ? [200, 1000] : [300, 500];
  const methods = estimationMethods(o.full, o.family);
  const acc = methods.map(() => ({
    tpr: [] as number[],
    fp: [] as number[],
    exact: [] as number[],
    l2: [] as number[],
    t: 0,
  }));
  const firstPaths = new Map<string, { path: SparsePath; index: number; beta: Float64Array }>();
  for (let r = 0; r < o.replicates; r++) {
    const rng = createRng(`${o.seed}/${r}`);
    const { X, y, beta } = sparseDesign(rng, n, p, o.family);
    methods.forEach((m, k) => {
      const t = performance.now();
      const opts = {
        family: o.family,
        penalty: m.penalty,
        lambdaMinRatio: m.lambdaMinRatio ?? 0.05,
        ...(m.saturation === undefined ? {} : { saturation: m.saturation }),
      };
      let coef: Float64Array;
      if (m.select === 'ebic') {
        const path = fitPath(X, y, opts);
        const sel = path.select({ ebicGamma: m.ebicGamma ?? 1 });
        coef = path.coefs[sel.index]!;
        if (r === 0 && !firstPaths.has(m.penalty) && (m.ebicGamma ?? 1) === 1 && m.lambdaMinRatio === undefined) {
          firstPaths.set(m.penalty, { path, index: sel.index, beta });
        }
      } else {
        const cv = cvPath(X, y, { ...opts, folds: 10, seed: `${o.seed}/cv/${r}` });
        coef = cv.path.coefs[m.select === 'cv-min' ? cv.indexMin : cv.index1se]!;
      }
      const a = acc[k]!;
      a.t += (performance.now() - t) / 1000;
      let tp = 0;
      let fp = 0;
      let l2 = 0;
      for (let j = 0; j < p; j++) {
        if (coef[j] !== 0 && beta[j] !== 0) tp++;
        if (coef[j] !== 0 && beta[j] === 0) fp++;
        l2 += (coef[j]! - beta[j]!) ** 2;
      }
      a.tpr.push(tp / 5);
      a.fp.push(fp);
      a.exact.push(tp === 5 && fp === 0 ? 1 : 0);
      a.l2.push(Math.sqrt(l2));
    });
    o.log?.(`  ${o.family} replicate ${r + 1}/${o.replicates}`);
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const rows = methods.map((m, k) => {
    const a = acc[k]!;
    const sorted = [...a.l2].sort((x, y) => x - y);
    const mid = sorted.length >> 1;
    return {
      label: m.label,
      tpr: mean(a.tpr),
      meanFp: mean(a.fp),
      exact: mean(a.exact),
      l2: meanSd(a.l2),
      l2Median: sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2,
      seconds: a.t / o.replicates,
    };
  });
  return { rows, firstPaths };
}

export function estimationTable(rows: EstimationRow[]): string {
  const lines = [
    '| method | TPR | mean false positives | exact support | ℓ2 error mean ± sd (median) | s per fit |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${r.tpr.toFixed(2)} | ${r.meanFp.toFixed(2)} | ${r.exact.toFixed(2)} | ${r.l2[0].toFixed(3)} ± ${r.l2[1].toFixed(3)} (${r.l2Median.toFixed(3)}) | ${r.seconds.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}
