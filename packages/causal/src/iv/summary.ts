import { type Diagnostic, isAvailable, type LinearFit } from './types.js';

const robustWaldText = (w: Diagnostic) =>
  isAvailable(w) ? `robust Wald/q ${(w.stat / (w.df as number)).toFixed(4)}` : `robust Wald unavailable (${w.reason})`;

const fmt = (v: number, w = 11) => {
  const s = Math.abs(v) !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e6) ? v.toExponential(3) : v.toFixed(6);
  return s.padStart(w);
};

/** Plain-text summary of a LinearFit, stating its covariance convention. */
export function formatSummary(fit: LinearFit, notes: string[]): string {
  const ci = fit.confInt(0.95);
  const stat = fit.distribution === 't' ? 't' : 'z';
  const lines = [
    `${fit.method.toUpperCase()}  n = ${fit.nobs}  intercept: ${fit.intercept}  R² = ${fit.rsquared.toFixed(6)}`,
    `covariance: ${fit.covType}, debiased: ${fit.debiased} (${fit.distribution}${fit.distribution === 't' ? `(${fit.dfResid})` : ''})${fit.method === 'kclass' ? `, κ = ${fit.kappa}` : ''}`,
    `${'name'.padEnd(12)}${'coef'.padStart(11)}${'std err'.padStart(11)}${stat.padStart(11)}${'p'.padStart(11)}${'[0.025'.padStart(11)}${'0.975]'.padStart(11)}`,
  ];
  fit.names.forEach((nm, j) => {
    lines.push(
      `${nm.padEnd(12)}${fmt(fit.params[j]!)}${fmt(fit.stdErrors[j]!)}${fmt(fit.tStats[j]!)}${fmt(fit.pValues[j]!)}${fmt(ci[j]![0])}${fmt(ci[j]![1])}`,
    );
  });
  for (const s of fit.firstStage ?? []) {
    lines.push(
      `first stage ${s.endog}: R² ${s.rsquared.toFixed(6)}, partial R² ${s.partialRsquared.toFixed(6)}, partial F(${(s.partialF.df as number[]).join(', ')}) ${s.partialF.stat.toFixed(4)} (p ${s.partialF.pValue.toExponential(3)}), ${robustWaldText(s.robustWald)}${s.effectiveF === undefined ? '' : `, effective F ${s.effectiveF.toFixed(4)}`}, Shea R² ${s.sheaPartialRsquared.toFixed(6)}`,
    );
  }
  if (fit.craggDonald !== undefined) lines.push(`Cragg–Donald: ${fit.craggDonald.toFixed(4)}`);
  if (fit.sargan)
    lines.push(`Sargan χ²(${fit.sargan.df}) = ${fit.sargan.stat.toFixed(6)} (p ${fit.sargan.pValue.toFixed(4)})`);
  if (fit.wuHausman)
    lines.push(
      `Wu–Hausman F(${(fit.wuHausman.df as number[]).join(', ')}) = ${fit.wuHausman.stat.toFixed(6)} (p ${fit.wuHausman.pValue.toFixed(4)})`,
    );
  lines.push(...notes);
  return lines.join('\n');
}
